// Benchmark 3 — under throttling: the 1,000-account org-wide query while the emulator admits only N requests per
// second to each operation and answers the rest with the service's throttling error, side by side with the user's
// script (bench/user-script.ts). Counted: AWS requests (every attempt), the throttling answers among them, the errors
// that reach the reader, and the wall time. statusgraph runs with its default settings.
import { fileURLToPath } from 'node:url';
import { ORG_STATUS_QUERY } from './org-status.js';
import { panelledBars, writeChart } from './support/chart.js';
import { runJsonScript, startEmulatorProcess, startStatusGraphProcess } from './support/processes.js';
import { count, duration, machineLine, table, ratio } from './support/report.js';
import { callsMatching, median } from './support/stats.js';
import type { UserScriptResult } from './user-script.js';

const USER_SCRIPT = fileURLToPath(new URL('./user-script.ts', import.meta.url));

/**
 * statusgraph's AWS requests in the run issue 19 measures against ("no more requests than today"): 2,050 calls and 2
 * throttling answers, median of 3 (7 December 2026, 02:11 UTC, the start-high pacing's first run, 43–75 s a query).
 */
export const REQUESTS_BEFORE = 2_052;

/** Whether statusgraph returned no error in any run and sent no more requests (median) than REQUESTS_BEFORE. */
export function throttlingTargets(result: ThrottlingResult): { readonly errors: boolean; readonly requests: boolean } {
  return {
    errors: Math.max(...result.statusgraph.map((run) => run.errorsReturned)) === 0,
    requests: median(result.statusgraph.map((run) => run.requests)) <= REQUESTS_BEFORE,
  };
}
const MAX_PAGE = 1_000;

export interface ThrottlingOptions {
  readonly accounts: number;
  /** Requests per second the emulator admits to each operation (all accounts together). */
  readonly tpsLimit: number;
  readonly latencyMs: number;
  readonly runs: number;
}

export interface ThrottledRun {
  /** Every HTTP request the emulator received: attempts, retries included. */
  readonly requests: number;
  /** Calls made (a call the SDK retried counts once). */
  readonly calls: number;
  /** Throttling answers: the requests that were retries of a throttled attempt or ended a call throttled. */
  readonly throttled: number;
  /** Errors the reader got: GraphQL errors other than the demo's refused member roles (AWS_ACCESS_DENIED), or the
   * script's failed reads other than the same refusals (AccessDenied). */
  readonly errorsReturned: number;
  readonly wallMs: number;
  /** statusgraph's throttling answers per operation ("<signing name>:<Operation>": requests less calls), where any. */
  readonly throttledByOperation?: Readonly<Record<string, number>>;
}

export interface ThrottlingResult {
  readonly statusgraph: readonly ThrottledRun[];
  readonly script: readonly ThrottledRun[];
}

export async function benchThrottling(options: ThrottlingOptions, log: (line: string) => void = console.log): Promise<ThrottlingResult> {
  const emulator = await startEmulatorProcess({ memberAccounts: options.accounts - 1, delayMs: 3_600_000 });
  const result = { statusgraph: [] as ThrottledRun[], script: [] as ThrottledRun[] };
  try {
    await emulator.setFaults({ latencyMs: options.latencyMs, tpsLimit: options.tpsLimit });
    for (let run = 1; run <= options.runs; run++) {
      const server = await startStatusGraphProcess(emulator.endpoint);
      try {
        const callsBefore = await awsCallsReported(server.url);
        await emulator.resetCalls();
        const started = performance.now();
        const answer = await server.gql(ORG_STATUS_QUERY, { first: Math.min(options.accounts, MAX_PAGE) });
        const wallMs = performance.now() - started;
        const requestsByOperation = await emulator.calls();
        const requests = callsMatching(requestsByOperation);
        const callsByOperation = subtract(await awsCallsReported(server.url), callsBefore);
        const calls = sum(callsByOperation);
        const throttledByOperation = Object.fromEntries(
          Object.entries(requestsByOperation)
            .map(([operation, count]) => [operation, count - (callsByOperation[operation] ?? 0)] as const)
            .filter(([, throttled]) => throttled > 0),
        );
        const errors = (answer.errors ?? []).filter((error) => error.extensions?.code !== 'AWS_ACCESS_DENIED');
        result.statusgraph.push({ requests, calls, throttled: requests - calls, errorsReturned: errors.length, wallMs, throttledByOperation });
      } finally {
        await server.stop();
      }
      await emulator.resetCalls();
      const user = await runJsonScript<UserScriptResult>(USER_SCRIPT, ['--endpoint', emulator.endpoint]);
      const requests = callsMatching(await emulator.calls());
      result.script.push({ requests, calls: user.calls, throttled: requests - user.calls, errorsReturned: user.throttlingFailures + user.otherFailures - user.refusedFailures, wallMs: user.wallMs });
      const [ours, theirs] = [result.statusgraph.at(-1)!, result.script.at(-1)!];
      log(
        `  run ${run}: statusgraph ${ours.requests} requests, ${ours.throttled} throttled, ${ours.errorsReturned} errors, ${duration(ours.wallMs)}; ` +
          `script ${theirs.requests} requests, ${theirs.throttled} throttled, ${theirs.errorsReturned} errors, ${duration(theirs.wallMs)}`,
      );
    }
    return result;
  } finally {
    await emulator.stop();
  }
}

/**
 * statusgraph_aws_requests_total (calls, SDK retries counted once) from the server's /metrics, per operation keyed as
 * the emulator keys its requests ("<signing name>:<Operation>").
 */
async function awsCallsReported(graphqlUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(new URL('/metrics', graphqlUrl))).text();
  const calls: Record<string, number> = {};
  for (const match of text.matchAll(/^statusgraph_aws_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(match[1]!)?.[1] ?? '';
    const operation = `${label('service')}:${label('operation')}`;
    calls[operation] = (calls[operation] ?? 0) + Number(match[2]);
  }
  return calls;
}

function subtract(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([operation, count]) => [operation, count - (before[operation] ?? 0)]));
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}

export interface ThrottlingReportInput {
  readonly result: ThrottlingResult;
  readonly options: ThrottlingOptions;
  readonly command: string;
  readonly chartDirectory?: string;
}

export async function reportThrottling({ result, options, command, chartDirectory }: ThrottlingReportInput): Promise<string> {
  const summarize = (runs: readonly ThrottledRun[]) => ({
    requests: median(runs.map((run) => run.requests)),
    calls: median(runs.map((run) => run.calls)),
    throttled: median(runs.map((run) => run.throttled)),
    errorsReturned: median(runs.map((run) => run.errorsReturned)),
    worstErrors: Math.max(...runs.map((run) => run.errorsReturned)),
    wallMs: median(runs.map((run) => run.wallMs)),
  });
  const rows = { statusgraph: summarize(result.statusgraph), 'user script': summarize(result.script) };
  const spec = panelledBars({
    title: `${count(options.accounts)} accounts at ${options.tpsLimit} requests/s per operation`,
    values: Object.entries(rows).flatMap(([side, row]) => [
      { panel: 'throttling answers from AWS', bar: side, value: row.throttled },
      { panel: 'errors returned to the reader', bar: side, value: row.errorsReturned },
    ]),
    yTitle: 'count',
  });
  const chart = await writeChart('bench-throttling', spec, 'Throttling answers and errors returned: statusgraph and the user script', chartDirectory);
  return [
    '## 3. Under throttling',
    '',
    `The query of benchmark 1 over ${count(options.accounts)} accounts while the emulator admits ${options.tpsLimit} requests per second to each operation — all accounts together, which is stricter than AWS, where a member account's calls count against that member's own quota — and answers the rest with the service's throttling error (\`PUT /_emulator/faults {"latencyMs":${options.latencyMs},"tpsLimit":${options.tpsLimit}}\`). statusgraph with default settings (rate limit, 3 attempts, 8 while throttled) against the user's script (SDK defaults: 3 attempts). Median of ${options.runs} runs.`,
    '',
    '```',
    command,
    '```',
    '',
    machineLine(),
    '',
    table(
      ['', 'AWS requests', 'calls', 'throttling answers', 'errors returned (worst run)', 'wall time'],
      Object.entries(rows).map(([side, row]) => [
        side,
        count(row.requests),
        count(row.calls),
        count(row.throttled),
        `${count(row.errorsReturned)} (${count(row.worstErrors)})`,
        duration(row.wallMs),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    chart,
    '',
    `**Target: zero errors returned — ${rows.statusgraph.worstErrors === 0 ? 'met' : 'NOT met'}** (statusgraph's worst run: ${count(rows.statusgraph.worstErrors)}; the script's median: ${count(rows['user script'].errorsReturned)}). statusgraph rides out the throttling with its throttling-aware retries (up to 8 attempts while AWS only throttles), the fixed pacing of the management account's own calls (ListAccounts, ListCreateAccountStatus, the enrollment scan, AssumeRole), and the SDK's adaptive sending rate in every client: once AWS throttles a client, that client slows to what AWS admits. That matters most for the one STS client that assumes every member's role — without it, a throttled burst of AssumeRoles spent the client's retry token bucket and the members after it failed (311 errors in the run before it was added). Its GetRegisterAccountStatus calls are keyed per member account, because on AWS each member has its own quota; this emulator setting counts every account's calls to an operation together, the worst case for per-account keys. The script sends ${ratio(rows['user script'].requests / rows.statusgraph.requests)} as many requests as statusgraph (${count(rows.statusgraph.throttled)} throttling answers against ${count(rows['user script'].throttled)}): statusgraph makes a third fewer calls and slows down instead of retrying into the limit. ${rows.statusgraph.wallMs > rows['user script'].wallMs ? "It takes longer: waiting for what AWS admits (999 AssumeRoles at 50/s are 20 s at best) and out backoff is how it returns no error, where the script gives up after 3 attempts and returns some" : 'It is also faster'}.`,
    '',
    requestsParagraph(result, rows.statusgraph.requests),
    ...(rows.statusgraph.worstErrors === 0
      ? []
      : [
          '',
          '*Cause and plan.* Calls that were still throttled after 8 attempts reached the reader as THROTTLED. Plan: share one adaptive rate per (service, operation, region) across the member accounts\' clients, so a burst that AWS counts together slows down as one instead of spending each member\'s retries.',
        ]),
  ].join('\n');
}

/** The requests target, where the median run's throttling answers went, and why their number moves. */
function requestsParagraph(result: ThrottlingResult, requests: number): string {
  const runs = [...result.statusgraph].sort((a, b) => a.requests - b.requests);
  const middle = runs[Math.floor(runs.length / 2)]!;
  const where = Object.entries(middle.throttledByOperation ?? {})
    .sort(([, a], [, b]) => b - a)
    .map(([operation, throttled]) => `${count(throttled)} to ${operation.split(':')[1]}`)
    .join(', ');
  const met = requests <= REQUESTS_BEFORE;
  return [
    `**Target: no more AWS requests than before (${count(REQUESTS_BEFORE)}: 2,050 calls and 2 throttling answers, 7 December 02:11 UTC) — ${met ? 'met' : 'NOT met'}** (median ${count(requests)}; the runs: ${result.statusgraph.map((run) => `${count(run.requests)} in ${duration(run.wallMs)}`).join(', ')}).`,
    where ? `The median run's ${count(middle.throttled)} throttling answers: ${where}.` : '',
    "The calls are fewer than before (2,009 against 2,050: statusgraph no longer assumes a role in the 40 suspended or closing members); the throttling answers are what moves. The emulator admits 50 requests per second per operation in fixed one-second windows; the 999 AssumeRoles go through one STS client whose pacing starts at 1,000/s, so until STS's first throttling answer comes back the client sends as fast as its core allows, and afterwards the SDK's adaptive rate (CUBIC) probes past 50/s every few seconds and is throttled again. The GetRegisterAccountStatus answers are member calls: on AWS each member has its own quota, here all members share one, and they are not paced together. How many throttling answers a run gets follows how fast statusgraph sends: the 2,052 run was on a loaded machine (its three runs: 39, 0 and 2 throttling answers in 43.7 s, 60.2 s and 75.5 s) and the runs at 11:54 UTC on a quieter one (110, 100 and 90 in 31–33 s). Two changes to the adaptive rate (src/aws/retry.ts) cut both the answers and the time: each attempt waits for the rate right before it is paced and signed instead of when its call starts (hundreds of AssumeRoles had passed the start before STS first throttled), and one throttled burst cuts the rate once instead of by 30% per answer (which left it on its 20/s floor, so the AssumeRoles went out at ~30/s where 50/s was admitted). Single trials at load 2–5, 7 December: 2,061 requests in 32.0 s before, 2,092 in 32.7 s with the first change alone, 2,054 in 23.2 s with both; the three runs above (14:40–14:43 UTC, load 1.8–2.8) against 2,109 in 32.8 s (median) at 11:54 UTC with neither. What is left over 2,052 is the first burst of AssumeRoles — sent before STS's first throttling answer is back, since the pacing starts at 1,000/s so that a cold organization assumes its roles as fast as AWS allows (benchmark 1) — the CUBIC probes after it, and the members' FleetWise calls, which AWS would count per member. Starting AssumeRole at this emulator's 50/s would meet this target here and cost benchmark 1 its cold-query speed wherever AWS admits more.",
  ]
    .filter(Boolean)
    .join(' ');
}
