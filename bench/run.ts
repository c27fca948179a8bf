// `npm run bench`: runs the four benchmarks of issue 7 and rewrites their sections of docs/benchmarks.md, with one
// chart each (docs/bench-*.svg). `npm run bench -- --quick` is a smoke run at small sizes that writes its report to a
// temporary directory instead; `--only org-status,throttling` runs some of them. Each run keeps its measurements in
// bench/results/<benchmark>.json; `--report-only` rewrites the sections from those without measuring again. The
// emulator-throughput section is
// bench/emulator-throughput.ts's own (`npx tsx bench/emulator-throughput.ts --write`), and is left as it is.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchOrgStatus, COLD_TARGET, CPU_SHARE_TARGET, LIFTED_COLD_TARGET, SCRIPT_SPEEDUP_TARGET, summarizeOrgStatus, type OrgStatusResult, type OrgStatusSummary } from './org-status.js';
import { judgeLine, reportOrgStatus, summarizeLine, type NodeLineResults } from './org-status-report.js';
import { benchServerOverhead, OVERHEAD_TARGET, reportServerOverhead, type OverheadResult } from './server-overhead.js';
import { benchSubscriptions, CALLS_TOLERANCE, reportSubscriptions, type SubscriptionResult } from './subscriptions.js';
import { benchThrottling, REQUESTS_BEFORE, reportThrottling, throttlingTargets, type ThrottlingResult } from './throttling.js';
import { useCompiledStatusGraph, useNodeBinary } from './support/processes.js';
import { HISTORY_RESULTS_FILE, writeHistoryHeadlines, type HistoryResults } from './support/history-report.js';
import { BENCHMARKS_FILE, count, DOCS_DIR, duration, megabytes, ratio, table, writeSection } from './support/report.js';
import { median, percentile } from './support/stats.js';

const BENCHMARKS = ['org-status', 'server-overhead', 'throttling', 'subscriptions'] as const;
type Benchmark = (typeof BENCHMARKS)[number];
/** Latency the emulator adds to every call, in milliseconds. */
const LATENCY_MS = 25;

/** Sizes and lengths: the full run (about 15 minutes on 2 cores) and the smoke run. */
const PLANS = {
  full: {
    orgStatus: { sizes: [100, 1_000, 5_000, 10_000], tunedSizes: [100, 1_000, 5_000], runs: 3, runsAt: { 10_000: 1 } },
    overhead: { runs: 5, seconds: 4, connections: 20 },
    throttling: { accounts: 1_000, tpsLimit: 50, runs: 3 },
    subscriptions: { subscriberCounts: [100, 1_000, 5_000], runs: 3 },
  },
  quick: {
    orgStatus: { sizes: [20, 100], tunedSizes: [100], runs: 1, runsAt: {} },
    overhead: { runs: 1, seconds: 2, connections: 10 },
    throttling: { accounts: 100, tpsLimit: 20, runs: 1 },
    subscriptions: { subscriberCounts: [100, 200], runs: 1 },
  },
} as const;

/** With the pacing lifted: the general limit far above anything the emulator is asked here. */
const UNPACED_ENV = { STATUSGRAPH_AWS_RATE_LIMIT: '10000' };

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const NODE_LINE = fileURLToPath(new URL('../scripts/node-line', import.meta.url));
/** Node lines benchmark 1 is also measured on (`--node <line>`), each kept in bench/results/org-status-node<line>.json. */
const OTHER_NODE_LINES = ['24'];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'report-only': { type: 'boolean', default: false },
    node: { type: 'string' },
    /** Fewer runs of benchmark 1 than the plan's, when time is short (the report says how many). */
    runs: { type: 'string' },
    /** Only these sizes of benchmark 1 (comma-separated), when time is short. */
    sizes: { type: 'string' },
  },
});
const reportOnly = values['report-only'];
const selected = (values.only?.split(',') ?? BENCHMARKS) as Benchmark[];
for (const name of selected) if (!BENCHMARKS.includes(name)) throw new Error(`unknown benchmark ${name}; choose from ${BENCHMARKS.join(', ')}`);
const plan = values.quick ? PLANS.quick : PLANS.full;
if (values.node !== undefined && (values.only !== 'org-status' || !OTHER_NODE_LINES.includes(values.node))) {
  throw new Error(`--node measures benchmark 1 on another Node line: --only org-status --node ${OTHER_NODE_LINES.join('|')}`);
}
/** The Node line measured: another line's binary from the registry, else this process's own. */
const nodeVersion = values.node && !values['report-only'] ? useNodeBinary(`${execFileSync(NODE_LINE, [values.node], { encoding: 'utf8' }).trim()}/node`) : process.version;
const command = (name: Benchmark) => `npm run bench -- --only ${name}${values.quick ? ' --quick' : ''}`;

// A smoke run must not overwrite the committed results.
const outputDir = values.quick ? await mkdtemp(join(tmpdir(), 'statusgraph-bench-')) : DOCS_DIR;
const reportFile = values.quick ? join(outputDir, 'benchmarks.md') : BENCHMARKS_FILE;
if (values.quick) await copyFile(BENCHMARKS_FILE, reportFile);

const startedAt = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}`);
if (!reportOnly) {
  log(`compiling statusgraph (tsconfig.build.json) to run it as npm start does`);
  await useCompiledStatusGraph();
}

/** Measures, or with --report-only reads the last full run's measurements; a full run keeps what it measured. */
async function measured<T>(name: Benchmark, measure: () => Promise<T>): Promise<T> {
  const file = join(RESULTS_DIR, `${name}${values.node ? `-node${values.node}` : ''}.json`);
  if (reportOnly) return JSON.parse(await readFile(file, 'utf8')) as T;
  const result = await measure();
  if (!values.quick) {
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(file, `${JSON.stringify(result, null, 1)}\n`);
  }
  return result;
}

const outcomes: {
  orgStatus?: OrgStatusSummary[];
  orgStatusTuned?: OrgStatusSummary[];
  orgStatusLines?: NodeLineResults[];
  overhead?: OverheadResult[];
  throttling?: ThrottlingResult;
  subscriptions?: SubscriptionResult[];
} = {};

for (const name of selected) {
  log(`${name}…`);
  let section: string;
  switch (name) {
    case 'org-status': {
      const lineFile = (line?: string) => join(RESULTS_DIR, `org-status${line ? `-node${line}` : ''}.json`);
      const stored = async (line?: string): Promise<NodeLineResults | undefined> =>
        existsSync(lineFile(line)) ? (JSON.parse(await readFile(lineFile(line), 'utf8')) as NodeLineResults) : undefined;
      const runs = values.runs === undefined ? plan.orgStatus.runs : Number(values.runs);
      const sizes: readonly number[] = values.sizes === undefined ? plan.orgStatus.sizes : values.sizes.split(',').map(Number);
      const options = { sizes, runs, runsAt: plan.orgStatus.runsAt, latencyMs: LATENCY_MS };
      const measuredLine = await measured(name, async (): Promise<NodeLineResults> => {
        log(`org-status on Node ${nodeVersion}…`);
        const results = await benchOrgStatus(options, log, nodeVersion);
        log('org-status with the pacing lifted…');
        const tunedSizes = plan.orgStatus.tunedSizes.filter((size) => sizes.includes(size));
        const tuned = await benchOrgStatus({ ...options, sizes: tunedSizes, env: UNPACED_ENV, withScript: false }, log, nodeVersion);
        // --sizes remeasures those sizes: the line keeps its other sizes from its last run.
        const before = values.sizes === undefined || values.quick ? undefined : await stored(values.node);
        // Each size keeps its own load averages (benchOrgStatus); a line measured before that keeps its run's.
        return before ? { ...before, results: bySize(before.results, results), tuned: bySize(before.tuned ?? [], tuned) } : { results, tuned };
      });
      // The section shows the machine's line and every other line measured so far, whichever this run measured.
      const machine = values.node ? ((await stored()) ?? measuredLine) : measuredLine;
      const others = values.quick ? [] : (await Promise.all(OTHER_NODE_LINES.map((line) => (line === values.node ? measuredLine : stored(line))))).filter((line) => line !== undefined);
      section = await reportOrgStatus({ ...machine, otherLines: others, tunedEnv: UNPACED_ENV, runs: options.runs, latencyMs: LATENCY_MS, command: command(name), chartDirectory: outputDir });
      outcomes.orgStatus = machine.results.map(summarizeOrgStatus);
      outcomes.orgStatusTuned = (machine.tuned ?? []).map(summarizeOrgStatus);
      outcomes.orgStatusLines = [machine, ...others];
      break;
    }
    case 'server-overhead': {
      const options = { ...plan.overhead, latencyMs: LATENCY_MS };
      outcomes.overhead = await measured(name, () => benchServerOverhead(options, log));
      section = await reportServerOverhead({ results: outcomes.overhead, options, command: command(name), chartDirectory: outputDir });
      break;
    }
    case 'throttling': {
      const options = { ...plan.throttling, latencyMs: LATENCY_MS };
      outcomes.throttling = await measured(name, () => benchThrottling(options, log));
      section = await reportThrottling({ result: outcomes.throttling, options, command: command(name), chartDirectory: outputDir });
      break;
    }
    case 'subscriptions': {
      const options = { ...plan.subscriptions, latencyMs: LATENCY_MS };
      outcomes.subscriptions = await measured(name, () => benchSubscriptions(options, log));
      section = await reportSubscriptions({ results: outcomes.subscriptions, options, command: command(name), chartDirectory: outputDir });
      break;
    }
  }
  await writeSection(name, section, reportFile);
  log(`${name}: written to ${reportFile}`);
}
// The headlines take what this run did not measure from the last full run's measurements.
if (!values.quick) {
  const stored = async <T>(name: string): Promise<T | undefined> => {
    const file = join(RESULTS_DIR, `${name}.json`);
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as T) : undefined;
  };
  outcomes.overhead ??= await stored<OverheadResult[]>('server-overhead');
  outcomes.throttling ??= await stored<ThrottlingResult>('throttling');
  outcomes.subscriptions ??= await stored<SubscriptionResult[]>('subscriptions');
  if (!outcomes.orgStatusLines) {
    const machine = await stored<NodeLineResults>('org-status');
    const others = (await Promise.all(OTHER_NODE_LINES.map((line) => stored<NodeLineResults>(`org-status-node${line}`)))).filter((line) => line !== undefined);
    if (machine) outcomes.orgStatusLines = [machine, ...others];
  }
}
if (outcomes.orgStatusLines && outcomes.overhead && outcomes.throttling && outcomes.subscriptions) {
  await writeSection('headlines', headlines(outcomes as Required<typeof outcomes>), reportFile);
  // Benchmark 5 (bench/history.ts, run on its own) keeps its rows from its last run.
  if (existsSync(HISTORY_RESULTS_FILE)) await writeHistoryHeadlines(JSON.parse(await readFile(HISTORY_RESULTS_FILE, 'utf8')) as HistoryResults, reportFile);
}
log(`done in ${((performance.now() - startedAt) / 60_000).toFixed(1)} min`);

/** The earlier results with the sizes measured now replaced, in size order. */
function bySize(earlier: readonly OrgStatusResult[], now: readonly OrgStatusResult[]): OrgStatusResult[] {
  const sizes = new Set(now.map((result) => result.accounts));
  return [...earlier.filter((result) => !sizes.has(result.accounts)), ...now].sort((a, b) => a.accounts - b.accounts);
}

/** One row per target, from the last measurements of all four benchmarks. */
function headlines({ orgStatusLines, overhead, throttling, subscriptions }: Required<typeof outcomes>): string {
  const verdict = (met: boolean) => (met ? 'met' : '**not met** (cause and plan in its section)');
  const lines = orgStatusLines.map(summarizeLine);
  const judged = lines.map(judgeLine);
  const perLine = (figure: (line: ReturnType<typeof summarizeLine>, index: number) => string) =>
    lines.map((line, index) => `Node ${line.node}: ${figure(line, index)}`).join('; ');
  const atSizes = (rows: readonly OrgStatusSummary[], value: (row: OrgStatusSummary) => string) =>
    rows.map((row) => `${value(row)} at ${count(row.accounts)}`).join(', ');
  const largest = lines[0]!.rows.at(-1)!;
  const rps = (query: string, server: string) =>
    median(overhead.find((result) => result.query === query && result.server === server)!.runs.map((run) => run.requestsPerSecond));
  const shares = ['one account', '100-account page'].map((query) => rps(query, 'statusgraph') / rps(query, 'bare Apollo Server'));
  // The server's own CPU per request (bare ÷ statusgraph), which a shared machine's load moves less than requests/s.
  const cpuOf = (query: string, server: string) =>
    median(overhead.find((result) => result.query === query && result.server === server)!.runs.map((run) => ((run.serverCpuMs ?? Number.NaN) * 1_000) / run.requests));
  const cpuShares = ['one account', '100-account page'].map((query) => cpuOf(query, 'bare Apollo Server') / cpuOf(query, 'statusgraph'));
  const errors = (runs: readonly { errorsReturned: number }[]) => Math.max(...runs.map((run) => run.errorsReturned));
  const calls = subscriptions.map((result) => median(result.callsPerInterval));
  const last = subscriptions.at(-1)!;
  return [
    '## Headlines',
    '',
    'From the last run of each benchmark (`npm run bench`, or `--only <benchmark>` for one; the measurements are in `bench/results/`); medians of at least 3 runs, 25 ms of latency per AWS call.',
    '',
    table(
      ['benchmark', 'figure', 'target', 'verdict'],
      [
        [
          '1. org-wide status',
          `${count(largest.accounts)} accounts, AWS calls cold: ${perLine((line) => count(line.rows.find((row) => row.accounts === largest.accounts)?.coldCalls ?? Number.NaN))} (budget ${count(largest.budget)}; the user's script ${count(largest.scriptCalls)}); Node ${lines[0]!.node}: cold ${duration(largest.coldMs)}, warm ${duration(largest.warmMs)} (the script ${duration(largest.scriptMs)}, every time)`,
          'calls = budget',
          verdict(judged.every((line) => line.calls)),
        ],
        [
          '',
          `script ÷ statusgraph, cold, default settings: ${perLine((line) => atSizes(line.rows, (row) => ratio(row.scriptMs / row.coldMs)))}`,
          `≥ ${SCRIPT_SPEEDUP_TARGET}× at every size`,
          verdict(judged.every((line) => line.speedup)),
        ],
        [
          '',
          `cold ÷ lower bound, default settings: ${perLine((line) => atSizes(line.rows, (row) => ratio(row.coldMs / row.lowerBoundMs)))}`,
          `≤ ${COLD_TARGET}× at 1,000 and 5,000`,
          verdict(judged.every((line) => line.cold)),
        ],
        [
          '',
          `cold ÷ lower bound, pacing lifted: ${perLine((line) => atSizes(line.tuned, (row) => ratio(row.coldMs / row.lowerBoundMs)))}`,
          `≤ ${LIFTED_COLD_TARGET}× at 5,000`,
          verdict(judged.every((line) => line.lifted)),
        ],
        [
          '',
          `CPU per AWS call, statusgraph ÷ the bare SDK script: ${perLine((line, index) => atSizes(line.tuned, (row) => `${Math.round((judged[index]!.cpuShares[line.tuned.indexOf(row)] ?? Number.NaN) * 100)}%`))}`,
          `≤ ${Math.round(CPU_SHARE_TARGET * 100)}%`,
          verdict(judged.every((line) => line.cpu)),
        ],
        [
          '',
          `memory: ${perLine((line) => { const row = line.rows.at(-1)!; return `RSS ${megabytes(row.rssAfterColdBytes)} after a cold ${count(row.accounts)}-account query, ${(row.rssPerAccountBytes / 1024).toFixed(1)} KB per cached account`; })}`,
          'reported',
          '—',
        ],
        [
          '2. server overhead',
          `${shares.map((share) => `${Math.round(share * 100)}%`).join(' / ')} of a bare Apollo Server's requests/s (one account / 100-account page, warm); by CPU per request ${cpuShares.map((share) => (Number.isNaN(share) ? '—' : `${Math.round(share * 100)}%`)).join(' / ')}`,
          `≥ ${Math.round(OVERHEAD_TARGET * 100)}%`,
          verdict(shares.every((share) => share >= OVERHEAD_TARGET)),
        ],
        [
          '3. under throttling',
          `errors returned: statusgraph ${count(errors(throttling.statusgraph))}, the user script ${count(median(throttling.script.map((run) => run.errorsReturned)))} (median); AWS requests: statusgraph ${count(median(throttling.statusgraph.map((run) => run.requests)))}, the script ${count(median(throttling.script.map((run) => run.requests)))}`,
          `0 errors; requests ≤ ${count(REQUESTS_BEFORE)} (the run before)`,
          verdict(Object.values(throttlingTargets(throttling)).every(Boolean)),
        ],
        [
          '4. subscriptions',
          `AWS calls per interval: ${subscriptions.map((result, index) => `${count(calls[index]!)} for ${count(result.subscribers)}`).join(', ')} subscribers; ${count(last.subscribers)} subscribers: pushed p99 ${duration(percentile(last.pushedMs, 0.99))}, RSS ${megabytes(last.rssBytes)}`,
          'independent of subscribers',
          verdict(Math.max(...calls) / Math.min(...calls) - 1 <= CALLS_TOLERANCE),
        ],
      ],
    ),
  ].join('\n');
}
