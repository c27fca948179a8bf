// Benchmark 1's section of docs/benchmarks.md: per Node line measured, the default settings beside the user's script
// and the lower bound, the same query with the pacing lifted (CPU per AWS call against the script's), memory, and
// the targets of issue 19 with their verdicts — and, for a target missed, the measured cause.
import type { TopLevelSpec } from 'vega-lite';
import { loadConfig } from '../src/config/index.js';
import {
  COLD_TARGET,
  CPU_SHARE_TARGET,
  expectedColdCalls,
  LIFTED_COLD_TARGET,
  SCRIPT_SPEEDUP_TARGET,
  summarizeOrgStatus,
  type OrgStatusResult,
  type OrgStatusSummary,
} from './org-status.js';
import { CHART_CONFIG, writeChart } from './support/chart.js';
import { count, duration, machineLine, megabytes, ratio, table } from './support/report.js';

/** ListAccounts pages hold 20 accounts. */
const ORGANIZATIONS_PAGE = 20;
const COLD_TARGET_SIZES = [1_000, 5_000];
const LIFTED_TARGET_SIZE = 5_000;
const { rateLimitPerSecond: DEFAULT_GENERAL_RATE, assumeRoleRatePerSecond: DEFAULT_ASSUME_ROLE_RATE } = loadConfig({}).aws;

/** The measurements of one Node line: default settings (with the script) and the pacing lifted. */
export interface NodeLineResults {
  readonly results: readonly OrgStatusResult[];
  readonly tuned?: readonly OrgStatusResult[];
  /** The machine's load averages (1, 5 and 15 minutes) when the line's last run started and when it ended. */
  readonly loadAverages?: { readonly start: readonly number[]; readonly end: readonly number[] };
}

export interface OrgStatusReportInput extends NodeLineResults {
  readonly tunedEnv?: Record<string, string>;
  /** Further Node lines measured with `npm run bench -- --only org-status --node <line>`. */
  readonly otherLines?: readonly NodeLineResults[];
  readonly runs: number;
  readonly latencyMs: number;
  readonly command: string;
  readonly chartDirectory?: string;
}

interface LineSummary {
  readonly node: string;
  readonly rows: readonly OrgStatusSummary[];
  readonly tuned: readonly OrgStatusSummary[];
}

/** The verdicts of issue 19's targets on one Node line. */
export function judgeLine(line: LineSummary) {
  const lifted = line.tuned.find((row) => row.accounts === LIFTED_TARGET_SIZE);
  const cpuShares = line.tuned.flatMap((row) => {
    const script = line.rows.find((each) => each.accounts === row.accounts);
    return script && Number.isFinite(script.scriptCpuMs) ? [row.coldCpuMs / row.coldCalls / (script.scriptCpuMs / script.scriptCalls)] : [];
  });
  return {
    calls: line.rows.every((row) => row.coldCalls === expectedColdCalls(row)),
    speedup: line.rows.every((row) => row.scriptMs >= SCRIPT_SPEEDUP_TARGET * row.coldMs),
    cold: line.rows.filter((row) => COLD_TARGET_SIZES.includes(row.accounts)).every((row) => row.coldMs <= COLD_TARGET * row.lowerBoundMs),
    lifted: lifted !== undefined && lifted.coldMs <= LIFTED_COLD_TARGET * lifted.lowerBoundMs,
    cpu: cpuShares.length > 0 && cpuShares.every((share) => share <= CPU_SHARE_TARGET),
    cpuShares,
  };
}

export function summarizeLine(line: NodeLineResults): LineSummary {
  const rows = line.results.map(summarizeOrgStatus);
  return { node: rows[0]?.node ?? 'unknown', rows, tuned: (line.tuned ?? []).map(summarizeOrgStatus) };
}

const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
const at = (rows: readonly OrgStatusSummary[], value: (row: OrgStatusSummary) => string) =>
  rows.map((row) => `${value(row)} at ${count(row.accounts)}`).join(', ');

export async function reportOrgStatus(input: OrgStatusReportInput): Promise<string> {
  const lines = [summarizeLine(input), ...(input.otherLines ?? []).map(summarizeLine)];
  const main = lines[0]!;
  const chart = await writeChart(
    'bench-org-status',
    orgStatusChart(main.rows, main.tuned),
    'Cold wall time per organization size: statusgraph, the user script and the lower bound',
    input.chartDirectory,
  );
  const tunedSettings = Object.entries(input.tunedEnv ?? {}).map(([key, value]) => `${key}=${value}`).join(' ');
  const out = [
    "## 1. Org-wide status: statusgraph against a user's script and the lower bound",
    '',
    `statusgraph's one query — \`organization { accounts(first: min(A, 1000)) { nodes { fleetwiseRegistration computeOptimizerEnrollment creationRequest } } statusSummary }\`, which reads all three statuses of every account — against the script a user writes with the same SDK clients (\`bench/user-script.ts\`: ListAccounts, ListCreateAccountStatus indexed by account, then per account AssumeRole + GetRegisterAccountStatus + GetEnrollmentStatus, 10 accounts at a time) and against the architecture's lower bound (the call budget; the sequential ListAccounts pages plus one latency). ${input.latencyMs} ms of latency on every emulator call; statusgraph with default settings (the management account's pacing starts at ${DEFAULT_GENERAL_RATE} requests/s per operation and ${count(DEFAULT_ASSUME_ROLE_RATE)} AssumeRoles/s, slowed by the SDK's adaptive rate only if AWS throttles), compiled, a fresh process for every cold run (warmed up by one \`viewer\` query, so that cold means a running server with nothing cached); the demo organization as seeded (every state, transitions frozen); medians of ${at(main.rows, (row) => `${row.runs} run${row.runs === 1 ? '' : 's'}`)}. Every process of a line — emulator, statusgraph, script — runs on that line's Node (\`scripts/node-line\` fetches the registry's), one line after the other, each side by side with its script.`,
    '',
    '```',
    input.command,
    `${input.command} --node 24   # the same on the newest Node 24, kept beside the machine's line`,
    '```',
    '',
    machineLine(),
    '',
  ];
  const loads = [input, ...(input.otherLines ?? [])].flatMap((line, index) => loadsOf(line, lines[index]!));
  if (loads.length > 0) out.push(`Load averages during the measurements (\`uptime\`) — ${loads.join('; ')}.`, '');
  for (const line of lines) out.push(...lineTables(line, tunedSettings));
  out.push(chart, '', ...verdicts(lines, input.latencyMs));
  return out.join('\n');
}

/** The load averages a line's runs recorded: per size (1 minute, start → end), else the whole run's (1 / 5 / 15 minutes). */
function loadsOf(line: NodeLineResults, summary: LineSummary): string[] {
  const perSize = summary.rows.filter((row) => row.loadAverages);
  const out = perSize.length === 0 ? [] : [`Node ${summary.node}, 1 minute, at the start → end of a size's runs with default settings: ${at(perSize, (row) => `${row.loadAverages![0].toFixed(1)} → ${row.loadAverages![1].toFixed(1)}`)}`];
  const whole = line.loadAverages;
  const shown = (loads: readonly number[]) => loads.map((load) => load.toFixed(1)).join(' / ');
  if (whole) out.push(`Node ${summary.node}${perSize.length > 0 ? ', the other sizes' : ''}, 1 / 5 / 15 minutes: ${shown(whole.start)} at the start of the run, ${shown(whole.end)} at its end`);
  return out;
}

function lineTables(line: LineSummary, tunedSettings: string): string[] {
  const out = [
    `**Node ${line.node}, default settings.**`,
    '',
    table(
      ['accounts', 'call budget', 'statusgraph cold: calls', 'cold wall', 'warm: calls', 'warm wall', 'script: calls', 'script wall', 'lower bound', 'cold ÷ lower bound', 'script ÷ statusgraph, cold / warm'],
      line.rows.map((row) => [
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
    table(
      ['accounts', 'RSS after the cold query', 'RSS per cached account (growth over the query ÷ accounts)'],
      line.rows.map((row) => [count(row.accounts), megabytes(row.rssAfterColdBytes), `${(row.rssPerAccountBytes / 1024).toFixed(1)} KB`]),
      ['r', 'r', 'r'],
    ),
    '',
  ];
  if (line.tuned.length > 0) {
    out.push(
      `**Node ${line.node}, pacing lifted** (\`${tunedSettings}\`, as for an account whose quotas are known to allow it). CPU is the statusgraph process's during the query, and the script's during its run: the script is the SDK clients with nothing around them, so its CPU per call is what the SDK itself costs here.`,
      '',
      table(
        ['accounts', 'cold: calls', 'cold wall', 'statusgraph CPU', 'CPU per AWS call', "script's CPU per AWS call", 'statusgraph ÷ script, per call', 'lower bound', 'cold ÷ lower bound'],
        line.tuned.map((row) => {
          const script = line.rows.find((each) => each.accounts === row.accounts);
          const scriptPerCall = script && Number.isFinite(script.scriptCpuMs) ? script.scriptCpuMs / script.scriptCalls : Number.NaN;
          return [
            count(row.accounts),
            count(row.coldCalls),
            duration(row.coldMs),
            duration(row.coldCpuMs),
            duration(row.coldCpuMs / row.coldCalls),
            Number.isFinite(scriptPerCall) ? duration(scriptPerCall) : '–',
            Number.isFinite(scriptPerCall) ? ratio(row.coldCpuMs / row.coldCalls / scriptPerCall) : '–',
            duration(row.lowerBoundMs),
            ratio(row.coldMs / row.lowerBoundMs),
          ];
        }),
        ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
  }
  return out;
}

function verdicts(lines: readonly LineSummary[], latencyMs: number): string[] {
  const judged = lines.map((line) => ({ line, verdict: judgeLine(line) }));
  const per = (pick: (verdict: ReturnType<typeof judgeLine>) => boolean, detail: (line: LineSummary) => string) =>
    judged.map(({ line, verdict }) => `Node ${line.node}: ${met(pick(verdict))} (${detail(line)})`).join('; ');
  const main = lines[0]!;
  return [
    `**Target: calls equal to the budget — ${per((v) => v.calls, (line) => at(line.rows, (row) => `${count(row.coldCalls)} of ${count(row.budget)}`))}.** The budget counts one GetRegisterAccountStatus per account; the demo organization has accounts whose member role AssumeRole refuses, and suspended or closing members no role can be assumed in (${at(main.rows, (row) => `${count(row.deniedAccounts - row.inactiveAccounts)} and ${count(row.inactiveAccounts)}`)}): no FleetWise call can be made in either, and statusgraph does not ask AWS to assume a role in a suspended or closing account, so the cold query makes the budget minus one call per refused member and two per inactive one. ${callsOff(lines)}GraphQL errors other than those refusals: ${main.rows.map((row) => row.unexpectedErrors).join(', ')}. The script makes ${main.rows.map((row) => ratio(row.scriptCalls / row.coldCalls)).join(', ')} as many calls (per-account GetEnrollmentStatus where one org-wide page answers 1,000 members). A warm query right after the cold one makes ${main.rows.map((row) => count(row.warmCalls)).join(', ')} calls: only statuses in a transitional state, cached for 5 s, that expired during a cold query longer than that.`,
    '',
    `**Target: with default settings, cold at least ${SCRIPT_SPEEDUP_TARGET}× faster than the script at every size — ${per((v) => v.speedup, (line) => at(line.rows, (row) => ratio(row.scriptMs / row.coldMs)))}.**`,
    '',
    `**Target: with default settings, cold within ${COLD_TARGET}× the lower bound at 1,000 and 5,000 accounts — ${per((v) => v.cold, (line) => at(line.rows.filter((row) => COLD_TARGET_SIZES.includes(row.accounts)), (row) => ratio(row.coldMs / row.lowerBoundMs)))}** (benchmark 3 holds the same defaults to 0 errors under throttling). The management account's pacing now starts at ${DEFAULT_GENERAL_RATE}/s per operation and ${count(DEFAULT_ASSUME_ROLE_RATE)} AssumeRoles/s and lets the SDK's adaptive rate find what AWS admits (docs/architecture.md, Rate limits); before, 20/s and 100/s held a cold 5,000-account query to 49 s. What the defaults alone still hold a cold query to: ${at(main.rows, (row) => duration(pacingFloorMs(row.accounts, latencyMs)))}.`,
    '',
    `**Target: with the pacing lifted, cold 5,000 accounts within ${LIFTED_COLD_TARGET}× the lower bound — ${per((v) => v.lifted, (line) => at(line.tuned.filter((row) => row.accounts === LIFTED_TARGET_SIZE), (row) => ratio(row.coldMs / row.lowerBoundMs)))}.**`,
    '',
    `**Target: statusgraph's CPU per AWS call at most ${Math.round(CPU_SHARE_TARGET * 100)}% of the bare SDK script's — ${judged.map(({ line, verdict }) => `Node ${line.node}: ${met(verdict.cpu)} (${verdict.cpuShares.map((share) => `${Math.round(share * 100)}%`).join(', ')} at ${line.tuned.map((row) => count(row.accounts)).join(', ')})`).join('; ')}.**`,
    '',
    CAUSES + (judged.every(({ verdict }) => verdict.speedup) ? '' : SPEEDUP_CAUSE),
  ];
}

/** The operations whose calls differ from the expected count, per line and size ('' where none do). */
function callsOff(lines: readonly LineSummary[]): string {
  const off = lines.flatMap((line) =>
    line.rows.filter((row) => row.callDifferences.length > 0).map((row) => `Node ${line.node} at ${count(row.accounts)}: ${row.callDifferences.join('; ')}`),
  );
  if (off.length === 0) return '';
  // Since an operation reads each followed creation request at most once (status/followed-creations.ts), none is.
  const followed = off.some((each) => each.includes('DescribeCreateAccountStatus'))
    ? "A DescribeCreateAccountStatus there is the demo's in-progress creation request read again once its 5-second transitional reading expired during a long cold query, in a run made before one operation read each followed creation request at most once (test/e2e/call-budget.test.ts holds that now). "
    : '';
  return `Calls off that count, per operation: ${off.join(' — ')}. ${followed}`;
}

/**
 * Why the cold query is where it is, from a CPU profile of it (bench/profile-cold-query.ts, 1,000 accounts, default
 * settings, Node 20, 7 December 2026 after the history recorder's batching): the shares are of the samples taken while
 * the query ran.
 */
const CAUSES =
  "*Measured causes where a target is missed.* The management account's pacing is not what holds a cold query: the fastest run with default settings takes as long as with the pacing lifted (Node 20, 7 December 2026: 4.36 s against 4.13–4.49 s at 1,000 accounts, 14.2 s against 14.0–17.8 s at 5,000), and in those runs the statusgraph process's CPU time is within 2% of the wall time — the query is CPU-bound on its one core; the slower runs with default settings are the same CPU stretched by other work on the shared core (the load averages above). The member calls are independent, so the emulator's latency overlaps, and what is left is the work per call. A CPU profile of the cold 1,000-account query (`npx tsx bench/profile-cold-query.ts 1000 DIR '{\"STATUSGRAPH_AWS_RATE_LIMIT\":\"50\"}'`, Node 20, the same morning: 93% of the samples busy) puts 31% of the samples in the SDK's own code (@smithy/core's middleware stack, schema serde, retry and endpoint resolution, @aws-sdk/core's protocols and XML parser, SigV4), 22% in Node's HTTP client, streams and hashing under it, 13% garbage collection, 6% promise jobs — and 5% recording history (one transaction per event-loop turn's readings; it was 8% and more with one each), 4% statusgraph's own AWS call path (circuit breaker, deadline and abort signals, errors), 2% the rate limiter's p-queue, 1.5% metrics, 1.5% the status cache and loaders, 1% GraphQL. The bare script pays the same SDK cost per call, so statusgraph's CPU per call is 0.85–1.1× the script's on Node 20 and 0.66–1.3× on Node 24 (lowest at 5,000 accounts, where one enrollment page answers 1,000 members and the clients are shared longest): halving it against the script would need the SDK's per-call work itself halved. The Node 24 runs were measured at load averages of 5–7 (the line above): with default settings their wall time was 1.3–2.7× their CPU time — the measured core shared with other work, not pacing — so their ratios to the lower bound are the machine's as much as statusgraph's; their fastest runs with default settings (1,000: 6.31 s, 5,000: 17.1 s) are 5.0× and 2.7× the lower bound, with the pacing lifted (4.86 s, 12.2 s) 3.8× and 1.9×; at 10,000 accounts the cold query is CPU-bound on both lines — Node 20 25.0 s with 24.5 s of CPU (7 December 15:00 UTC, load 1.2–1.8), Node 24 32.7 s with 25.2 s of CPU at load 5–7 (14:18 UTC) — and Node 24 kept less memory per cached account. Levers measured and not taken: a larger V8 young generation (`--max-semi-space-size=64`, with and without `--min-semi-space-size=16`) left the cold 1,000-account query's CPU where it was (two cold queries per variant, default settings, no profiler: 4.6–5.6 s in every variant, load average 6–9), so the 13% in garbage collection is not the scavenger's size; the SDK's cached middleware (`cacheMiddleware`, used only for a send without options) costs 0.24 ms of CPU per FleetWise send in process against 0.37 ms for a send with an abort signal (`npx tsx bench/sdk-send-cost.ts`: an in-memory HTTP answer, Node 20, the second of two rounds of 3,000 sends) — about 0.26 s of the 4.1–4.5 s at 1,000 accounts (6%), short of the 20–25% that 3× the lower bound at 1,000 needs, and taking it means carrying each call's abort signal outside the send options, which abandoned calls, the rate limiter's queue and the HTTP request's cancellation all read. The levers left: one FleetWise client per region choosing each request's identity, with that cached middleware, which saves building a client per member (2–3% of the samples) and most of the RSS per cached account; and worker threads, which spread the same CPU over a second core — a shorter wall time where a core is free, not less CPU per call — while this benchmark gives the second core to the emulator and the machine's two cores are shared. The lower bound counts no CPU at all: at 25 ms of latency, two SDK calls per member on one core take longer than the sequential ListAccounts pages, which is why the ratio to it falls as the organization grows (the pages grow as fast as the calls, and the CPU per call falls once V8 has optimized the path).";

/** Said only where the script ÷ statusgraph target is missed. */
const SPEEDUP_CAUSE =
  " Where the script ÷ statusgraph target misses, it is for the same reason: the script's 10 accounts in flight are latency-bound, statusgraph is CPU-bound on a shared core.";

/**
 * What the default limits alone hold a cold query to: the sequential ListAccounts pages (a rolling second admits
 * DEFAULT_GENERAL_RATE of them) and, overlapping them, the AssumeRoles (a rolling second admits
 * DEFAULT_ASSUME_ROLE_RATE), whichever is longer, then one call.
 */
export function pacingFloorMs(accounts: number, latencyMs: number): number {
  const pages = Math.ceil(accounts / ORGANIZATIONS_PAGE);
  const listMs = pages <= DEFAULT_GENERAL_RATE ? pages * latencyMs : Math.max((pages / DEFAULT_GENERAL_RATE) * 1_000, pages * latencyMs);
  const assumeRoleMs = (Math.ceil((accounts - 1) / DEFAULT_ASSUME_ROLE_RATE) - 1) * 1_000 + latencyMs;
  return Math.max(listMs, assumeRoleMs) + latencyMs;
}

function orgStatusChart(rows: readonly OrgStatusSummary[], tuned: readonly OrgStatusSummary[]): TopLevelSpec {
  const values = rows.flatMap((row) => [
    { accounts: row.accounts, series: 'statusgraph cold (default settings)', seconds: row.coldMs / 1000 },
    { accounts: row.accounts, series: 'statusgraph warm', seconds: row.warmMs / 1000 },
    { accounts: row.accounts, series: 'user script', seconds: row.scriptMs / 1000 },
    { accounts: row.accounts, series: 'lower bound', seconds: row.lowerBoundMs / 1000 },
  ]);
  for (const row of tuned) values.push({ accounts: row.accounts, series: 'statusgraph cold (pacing lifted)', seconds: row.coldMs / 1000 });
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
