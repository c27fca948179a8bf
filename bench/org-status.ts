// Benchmark 1 — org-wide status at 100, 1,000 and 5,000 accounts: AWS calls and wall time of statusgraph's one query,
// cold and warm, side by side with the script a user would write (bench/user-script.ts) and with the architecture's
// lower bound (docs/architecture.md: the call budget, and the sequential ListAccounts pages plus one latency).
// Each run starts a fresh statusgraph process (a cold cache and no assumed roles) against one emulator per size.
import { OrganizationsClient, paginateListCreateAccountStatus } from '@aws-sdk/client-organizations';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { loadConfig } from '../src/config/index.js';
import { CHART_CONFIG, writeChart } from './support/chart.js';
import { cpuMsOf, runJsonScript, startEmulatorProcess, startStatusGraphProcess, type GraphQLBody } from './support/processes.js';
import { count, duration, machineLine, ratio, table } from './support/report.js';
import { callsMatching, median } from './support/stats.js';
import type { UserScriptResult } from './user-script.js';

const USER_SCRIPT = fileURLToPath(new URL('./user-script.ts', import.meta.url));
/** ListAccounts and ListCreateAccountStatus pages hold 20; GetEnrollmentStatusesForOrganization pages 1,000. */
const ORGANIZATIONS_PAGE = 20;
const ENROLLMENT_PAGE = 1_000;
/** The API's largest `accounts(first:)` page. */
const MAX_PAGE = 1_000;
/** The target: a cold query within this factor of the lower bound. */
export const COLD_TARGET = 1.5;
/** statusgraph's defaults (STATUSGRAPH_AWS_RATE_LIMIT, STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT), in requests per second. */
/** The defaults: the rates of a configuration with nothing set. */
const { rateLimitPerSecond: DEFAULT_GENERAL_RATE, assumeRoleRatePerSecond: DEFAULT_ASSUME_ROLE_RATE } = loadConfig({}).aws;
/** Long enough that no demo transition completes during a run: statuses stay as the demo organization set them. */
const EMULATOR_DELAY_MS = 3_600_000; // 1 hour

/**
 * statusgraph's one query for the whole organization: the first page of accounts (up to 1,000) with their three
 * statuses, and the status summary, which reads all three statuses of every account of the organization.
 */
export const ORG_STATUS_QUERY = /* GraphQL */ `
  query OrgStatus($first: Int!) {
    organization {
      accounts(first: $first) {
        totalCount
        nodes { id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } creationRequest { state } }
      }
      statusSummary { totalAccounts sources { source counts { value count } } }
    }
  }
`;

const WARM_UP_QUERY = '{ viewer { id state } }';

export interface OrgStatusOptions {
  /** Organization sizes, in accounts (the management account included). */
  readonly sizes: readonly number[];
  readonly runs: number;
  /** Latency the emulator adds to every call, in milliseconds. */
  readonly latencyMs: number;
  /** statusgraph settings on top of the defaults (none: measure the default configuration). */
  readonly env?: Record<string, string>;
  /** Run the user's script too. @default true */
  readonly withScript?: boolean;
}

export interface StatusGraphRun {
  readonly coldCalls: number;
  readonly coldMs: number;
  readonly warmCalls: number;
  readonly warmMs: number;
  /** CPU time the statusgraph process spent on the cold query, in milliseconds. */
  readonly coldCpuMs: number;
  /** GraphQL errors in the cold answer other than the demo's accounts without a member role. */
  readonly unexpectedErrors: number;
  /** Accounts whose member role AssumeRole refused (the demo organization has some). */
  readonly deniedAccounts: number;
}

export interface ScriptRun {
  readonly calls: number;
  readonly wallMs: number;
  readonly failedAccounts: number;
  /** CPU time of the script's process while it read, in milliseconds. */
  readonly cpuMs: number;
}

export interface OrgStatusResult {
  readonly accounts: number;
  readonly creationRequests: number;
  /** Architecture §2's budget for one region, plus the one DescribeOrganization the query needs. */
  readonly budget: number;
  /** The sequential ListAccounts pages plus one more call, at the injected latency. */
  readonly lowerBoundMs: number;
  readonly statusgraph: readonly StatusGraphRun[];
  readonly script: readonly ScriptRun[];
}

export async function benchOrgStatus(options: OrgStatusOptions, log: (line: string) => void = console.log): Promise<OrgStatusResult[]> {
  const results: OrgStatusResult[] = [];
  for (const accounts of options.sizes) {
    const emulator = await startEmulatorProcess({ memberAccounts: accounts - 1, delayMs: EMULATOR_DELAY_MS });
    try {
      const creationRequests = await creationRequestsOnRecord(emulator.endpoint);
      await emulator.setFaults({ latencyMs: options.latencyMs });
      const statusgraph: StatusGraphRun[] = [];
      const script: ScriptRun[] = [];
      for (let run = 1; run <= options.runs; run++) {
        statusgraph.push(await statusGraphRun(emulator, accounts, options.env ?? {}));
        const last = statusgraph.at(-1)!;
        let line = `  ${accounts} accounts, run ${run}: statusgraph cold ${last.coldCalls} calls ${duration(last.coldMs)} (CPU ${duration(last.coldCpuMs)}), warm ${last.warmCalls} calls ${duration(last.warmMs)}`;
        if (options.withScript ?? true) {
          await emulator.resetCalls();
          const user = await runJsonScript<UserScriptResult>(USER_SCRIPT, ['--endpoint', emulator.endpoint]);
          script.push({ calls: callsMatching(await emulator.calls()), wallMs: user.wallMs, failedAccounts: user.failedAccounts, cpuMs: user.cpuMs });
          line += `; script ${script.at(-1)!.calls} calls ${duration(user.wallMs)}`;
        }
        log(line);
      }
      results.push({
        accounts,
        creationRequests,
        budget: callBudget(accounts, creationRequests),
        lowerBoundMs: (Math.ceil(accounts / ORGANIZATIONS_PAGE) + 1) * options.latencyMs,
        statusgraph,
        script,
      });
    } finally {
      await emulator.stop();
    }
  }
  return results;
}

/** One cold query on a fresh statusgraph process, then the same query warm. */
async function statusGraphRun(
  emulator: Awaited<ReturnType<typeof startEmulatorProcess>>,
  accounts: number,
  env: Record<string, string>,
): Promise<StatusGraphRun> {
  const server = await startStatusGraphProcess(emulator.endpoint, env);
  try {
    const variables = { first: Math.min(accounts, MAX_PAGE) };
    // A running server whose cache is cold, not a process that has never answered: one small query first loads and
    // compiles the code paths of a GraphQL request (it reads one account, which the query below does not reuse).
    await server.gql(WARM_UP_QUERY);
    await emulator.resetCalls();
    const cpuBefore = cpuMsOf(server.pid);
    let started = performance.now();
    const cold = await server.gql(ORG_STATUS_QUERY, variables);
    const coldMs = performance.now() - started;
    const coldCpuMs = cpuMsOf(server.pid) - cpuBefore;
    const coldCalls = await emulator.calls();
    checkAnswer(cold, accounts);
    await emulator.resetCalls();
    started = performance.now();
    const warm = await server.gql(ORG_STATUS_QUERY, variables);
    const warmMs = performance.now() - started;
    checkAnswer(warm, accounts);
    const denied = (cold.errors ?? []).filter((error) => error.extensions?.code === 'AWS_ACCESS_DENIED');
    return {
      coldCalls: callsMatching(coldCalls),
      coldMs,
      coldCpuMs,
      warmCalls: callsMatching(await emulator.calls()),
      warmMs,
      unexpectedErrors: (cold.errors?.length ?? 0) - denied.length,
      deniedAccounts: new Set(denied.map((error) => error.path?.[3])).size,
    };
  } finally {
    await server.stop();
  }
}

function checkAnswer(body: GraphQLBody, accounts: number): void {
  const total = body.data?.organization?.statusSummary?.totalAccounts;
  if (total !== accounts) throw new Error(`statusgraph answered ${String(total)} accounts, expected ${accounts}: ${JSON.stringify(body.errors?.slice(0, 3))}`);
}

/** Architecture §2 for A accounts, R creation requests and one region, plus DescribeOrganization. */
export function callBudget(accounts: number, creationRequests: number): number {
  const members = accounts - 1;
  return (
    Math.ceil(accounts / ORGANIZATIONS_PAGE) + // ListAccounts
    Math.ceil(creationRequests / ORGANIZATIONS_PAGE) + // ListCreateAccountStatus
    Math.ceil(members / ENROLLMENT_PAGE) + // GetEnrollmentStatusesForOrganization
    1 + // GetEnrollmentStatus of the management account
    members + // AssumeRole
    accounts + // GetRegisterAccountStatus
    1 // DescribeOrganization
  );
}

async function creationRequestsOnRecord(endpoint: string): Promise<number> {
  const client = new OrganizationsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  let requests = 0;
  for await (const page of paginateListCreateAccountStatus({ client }, {})) requests += page.CreateAccountStatuses?.length ?? 0;
  client.destroy();
  return requests;
}

export interface OrgStatusSummary {
  readonly accounts: number;
  readonly budget: number;
  readonly coldCalls: number;
  readonly coldMs: number;
  readonly coldCpuMs: number;
  readonly warmCalls: number;
  readonly warmMs: number;
  readonly scriptCalls: number;
  readonly scriptMs: number;
  /** The script's CPU time, in milliseconds (NaN when the script did not run). */
  readonly scriptCpuMs: number;
  readonly lowerBoundMs: number;
  /** ListCreateAccountStatus pages the organization's creation requests fill. */
  readonly creationPages: number;
  readonly deniedAccounts: number;
  readonly unexpectedErrors: number;
}

/** Medians across runs. */
export function summarizeOrgStatus(result: OrgStatusResult): OrgStatusSummary {
  const sg = (pick: (run: StatusGraphRun) => number) => median(result.statusgraph.map(pick));
  const sc = (pick: (run: ScriptRun) => number) => median(result.script.map(pick));
  return {
    accounts: result.accounts,
    budget: result.budget,
    coldCalls: sg((run) => run.coldCalls),
    coldMs: sg((run) => run.coldMs),
    coldCpuMs: sg((run) => run.coldCpuMs),
    warmCalls: sg((run) => run.warmCalls),
    warmMs: sg((run) => run.warmMs),
    scriptCalls: sc((run) => run.calls),
    scriptMs: sc((run) => run.wallMs),
    scriptCpuMs: result.script.length > 0 ? sc((run) => run.cpuMs) : Number.NaN,
    lowerBoundMs: result.lowerBoundMs,
    creationPages: Math.ceil(result.creationRequests / ORGANIZATIONS_PAGE),
    deniedAccounts: sg((run) => run.deniedAccounts),
    unexpectedErrors: Math.max(...result.statusgraph.map((run) => run.unexpectedErrors)),
  };
}

export interface OrgStatusReportInput {
  readonly results: readonly OrgStatusResult[];
  readonly tuned?: readonly OrgStatusResult[];
  readonly tunedEnv?: Record<string, string>;
  readonly runs: number;
  readonly latencyMs: number;
  readonly command: string;
  readonly chartDirectory?: string;
}

export async function reportOrgStatus(input: OrgStatusReportInput): Promise<string> {
  const rows = input.results.map(summarizeOrgStatus);
  const tuned = input.tuned?.map(summarizeOrgStatus);
  const chart = await writeChart(
    'bench-org-status',
    orgStatusChart(rows, tuned),
    'Cold wall time per organization size: statusgraph, the user script and the lower bound',
    input.chartDirectory,
  );
  const callsMet = rows.every((row) => row.coldCalls === row.budget - row.deniedAccounts);
  const coldMet = rows.every((row) => row.coldMs <= COLD_TARGET * row.lowerBoundMs);
  const lines = [
    "## 1. Org-wide status: statusgraph against a user's script and the lower bound",
    '',
    `statusgraph's one query — \`organization { accounts(first: min(A, 1000)) { nodes { fleetwiseRegistration computeOptimizerEnrollment creationRequest } } statusSummary }\`, which reads all three statuses of every account — against the script a user writes with the same SDK clients (\`bench/user-script.ts\`: ListAccounts, ListCreateAccountStatus indexed by account, then per account AssumeRole + GetRegisterAccountStatus + GetEnrollmentStatus, 10 accounts at a time) and against the architecture's lower bound (the call budget; the sequential ListAccounts pages plus one latency). ${input.latencyMs} ms of latency on every emulator call; statusgraph with default settings, compiled, a fresh process for every cold run (warmed up by one \`viewer\` query, so that cold means a running server with nothing cached); the demo organization as seeded (every state, transitions frozen); median of ${input.runs} runs.`,
    '',
    '```',
    input.command,
    '```',
    '',
    machineLine(),
    '',
    table(
      ['accounts', 'call budget', 'statusgraph cold: calls', 'cold wall', 'warm: calls', 'warm wall', 'script: calls', 'script wall', 'lower bound', 'cold ÷ lower bound', 'script ÷ statusgraph, cold / warm'],
      rows.map((row) => [
        count(row.accounts),
        count(row.budget),
        count(row.coldCalls),
        duration(row.coldMs),
        count(row.warmCalls),
        duration(row.warmMs),
        count(row.scriptCalls),
        duration(row.scriptMs),
        duration(row.lowerBoundMs),
        ratio(row.coldMs / row.lowerBoundMs),
        `${ratio(row.scriptMs / row.coldMs)} / ${ratio(row.scriptMs / row.warmMs)}`,
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    chart,
    '',
  ];
  if (tuned && input.tunedEnv) {
    lines.push(
      `The same cold query with the client-side pacing lifted (\`${Object.entries(input.tunedEnv).map(([key, value]) => `${key}=${value}`).join(' ')}\`, as for an account whose quotas are known to allow it), to tell the time the default rate limits add from the time the calls themselves take. CPU is the statusgraph process's during the query, and the script's during its run: the script is the SDK clients with nothing around them, so its CPU per call is what the SDK itself costs here.`,
      '',
      table(
        ['accounts', 'cold: calls', 'cold wall', 'statusgraph CPU', 'CPU per AWS call', "script's CPU per AWS call", 'lower bound', 'cold ÷ lower bound'],
        tuned.map((row) => {
          const script = rows.find((each) => each.accounts === row.accounts);
          return [
            count(row.accounts),
            count(row.coldCalls),
            duration(row.coldMs),
            duration(row.coldCpuMs),
            duration(row.coldCpuMs / row.coldCalls),
            script && Number.isFinite(script.scriptCpuMs) ? duration(script.scriptCpuMs / script.scriptCalls) : '–',
            duration(row.lowerBoundMs),
            ratio(row.coldMs / row.lowerBoundMs),
          ];
        }),
        ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
  }
  const denied = rows.map((row) => `${count(row.deniedAccounts)} of ${count(row.accounts)}`).join(', ');
  const tunedMet = tuned !== undefined && tuned.length > 0 && tuned.every((row) => row.coldMs <= COLD_TARGET * row.lowerBoundMs);
  const cpuPerCall = tuned?.map((row) => duration(row.coldCpuMs / row.coldCalls)).join(', ') ?? '–';
  const scriptCpuPerCall = rows.filter((row) => Number.isFinite(row.scriptCpuMs)).map((row) => duration(row.scriptCpuMs / row.scriptCalls)).join(', ');
  lines.push(
    `**Target: calls equal to the budget — ${callsMet ? 'met' : 'NOT met'}.** The budget counts one GetRegisterAccountStatus per account; the demo organization has accounts whose member role AssumeRole refuses (${denied}), and no FleetWise call can be made in those, so the cold query makes the budget minus exactly that many calls${callsMet ? '' : ' — at some size it did not (see the table)'}. GraphQL errors other than those refusals: ${rows.map((row) => row.unexpectedErrors).join(', ')}. The script makes ${rows.map((row) => ratio(row.scriptCalls / row.coldCalls)).join(', ')} as many calls (per-account GetEnrollmentStatus where one org-wide page answers 1,000 members). A warm query right after the cold one makes ${rows.map((row) => count(row.warmCalls)).join(', ')} calls: only statuses in a transitional state (PENDING, IN_PROGRESS…), cached for 5 s (\`STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS\`), that expired during a cold query longer than that; settled statuses and the creation-request index are kept for the settled TTL.`,
    '',
    `**Target: cold wall time within ${COLD_TARGET}× the lower bound — ${coldMet ? 'met' : 'NOT met'} with default settings** (${rows.map((row) => `${ratio(row.coldMs / row.lowerBoundMs)} at ${count(row.accounts)}`).join(', ')})${tuned && tuned.length > 0 ? `, ${tunedMet ? 'met' : 'NOT met'} with the pacing lifted (${tuned.map((row) => `${ratio(row.coldMs / row.lowerBoundMs)} at ${count(row.accounts)}`).join(', ')})` : ''}. The status summary starts each account's AssumeRole and GetRegisterAccountStatus as soon as its ListAccounts page arrives, so the member calls overlap the sequential pages instead of following them (\`test/e2e/streaming-directory.test.ts\` proves the order with the emulator's call counts).`,
  );
  if (!coldMet || !tunedMet) {
    lines.push(
      '',
      '*Causes.* (1) With default settings, the pacing, by design: statusgraph holds the management account\'s calls to 20 requests/s per operation (`STATUSGRAPH_AWS_RATE_LIMIT`), so past the first 20 ListAccounts pages each takes 50 ms rather than the 25 ms the lower bound assumes, and it assumes member roles at 100 requests/s (`STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT`), 10 s per 1,000 members; these defaults are what an organization whose quotas nobody has checked should get, and the AWS calls they save a throttled organization are benchmark 3\'s subject. The pacing alone holds the cold query to ' +
        rows.map((row) => `${duration(pacingFloorMs(row.accounts, input.latencyMs))} at ${count(row.accounts)}`).join(', ') +
        `. (2) With the pacing lifted, CPU: the query then runs on one core that is busy the whole time — ${cpuPerCall} of statusgraph CPU per AWS call, against ${scriptCpuPerCall || '–'} for the bare SDK clients of the script (SigV4 signing, the middleware stack, endpoint resolution, XML and JSON parsing, and one FleetWise client per member account, because a client signs with one set of credentials). The lower bound counts no CPU at all: at 25 ms of latency, two calls per member at even the script's cost per call take longer on one core than the ${duration(Math.max(...rows.map((row) => row.lowerBoundMs)))} of sequential pages.`,
      '',
      '*Plan.* (a) The management account\'s STS and Organizations clients already slow down when AWS throttles them (the SDK\'s adaptive rate, benchmark 3); what remains is to start them above the fixed defaults and let that adaptive rate find what the account admits, so the default settings approach the lifted ones wherever AWS allows it. (b) Cut the SDK\'s CPU per member: one FleetWise client per region choosing each request\'s identity (instead of a client per member) was built and measured side by side — on Node 20 the AsyncLocalStorage it needs to carry the account to the signer and to the per-account retry bucket slows every promise of the process by about what the client constructions cost, so it was not kept; it becomes worth it on Node 22+, whose AsyncLocalStorage does not use promise hooks. (c) For organizations in the thousands, spread the member calls over worker threads: the signing and parsing are CPU-bound and independent per member, and the machine\'s other cores are idle. None of this adds a call.',
    );
  }
  return lines.join('\n');
}

/**
 * What the default limits alone hold a cold query to: the sequential ListAccounts pages (a rolling second admits
 * DEFAULT_GENERAL_RATE of them) and, overlapping them, the AssumeRoles (a rolling second admits
 * DEFAULT_ASSUME_ROLE_RATE), whichever is longer, then one call.
 */
export function pacingFloorMs(accounts: number, latencyMs: number): number {
  const pages = Math.ceil(accounts / ORGANIZATIONS_PAGE);
  const listMs = pages <= DEFAULT_GENERAL_RATE ? pages * latencyMs : (pages / DEFAULT_GENERAL_RATE) * 1_000;
  const assumeRoleMs = (Math.ceil((accounts - 1) / DEFAULT_ASSUME_ROLE_RATE) - 1) * 1_000 + latencyMs;
  return Math.max(listMs, assumeRoleMs) + latencyMs;
}

function orgStatusChart(rows: readonly OrgStatusSummary[], tuned?: readonly OrgStatusSummary[]): TopLevelSpec {
  const values = rows.flatMap((row) => [
    { accounts: row.accounts, series: 'statusgraph cold (default settings)', seconds: row.coldMs / 1000 },
    { accounts: row.accounts, series: 'statusgraph warm', seconds: row.warmMs / 1000 },
    { accounts: row.accounts, series: 'user script', seconds: row.scriptMs / 1000 },
    { accounts: row.accounts, series: 'lower bound', seconds: row.lowerBoundMs / 1000 },
  ]);
  for (const row of tuned ?? []) values.push({ accounts: row.accounts, series: 'statusgraph cold (pacing lifted)', seconds: row.coldMs / 1000 });
  return {
    ...CHART_CONFIG,
    title: 'Org-wide status: wall time (log scale)',
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'accounts', type: 'quantitative', scale: { type: 'log' }, axis: { values: rows.map((row) => row.accounts), title: 'accounts' } },
      y: { field: 'seconds', type: 'quantitative', scale: { type: 'log' }, title: 'seconds' },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}
