// `npm run bench`: runs the four benchmarks of issue 7 and rewrites their sections of docs/benchmarks.md, with one
// chart each (docs/bench-*.svg). `npm run bench -- --quick` is a smoke run at small sizes that writes its report to a
// temporary directory instead; `--only org-status,throttling` runs some of them. Each run keeps its measurements in
// bench/results/<benchmark>.json; `--report-only` rewrites the sections from those without measuring again. The
// emulator-throughput section is
// bench/emulator-throughput.ts's own (`npx tsx bench/emulator-throughput.ts --write`), and is left as it is.
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchOrgStatus, COLD_TARGET, reportOrgStatus, summarizeOrgStatus, type OrgStatusResult, type OrgStatusSummary } from './org-status.js';
import { benchServerOverhead, OVERHEAD_TARGET, reportServerOverhead, type OverheadResult } from './server-overhead.js';
import { benchSubscriptions, CALLS_TOLERANCE, reportSubscriptions, type SubscriptionResult } from './subscriptions.js';
import { benchThrottling, reportThrottling, type ThrottlingResult } from './throttling.js';
import { useCompiledStatusGraph } from './support/processes.js';
import { BENCHMARKS_FILE, count, DOCS_DIR, duration, megabytes, ratio, table, writeSection } from './support/report.js';
import { median, percentile } from './support/stats.js';

const BENCHMARKS = ['org-status', 'server-overhead', 'throttling', 'subscriptions'] as const;
type Benchmark = (typeof BENCHMARKS)[number];
/** Latency the emulator adds to every call, in milliseconds. */
const LATENCY_MS = 25;

/** Sizes and lengths: the full run (about 15 minutes on 2 cores) and the smoke run. */
const PLANS = {
  full: {
    orgStatus: { sizes: [100, 1_000, 5_000], tunedSizes: [100, 1_000, 5_000], runs: 3 },
    overhead: { runs: 3, seconds: 4, connections: 20 },
    throttling: { accounts: 1_000, tpsLimit: 50, runs: 3 },
    subscriptions: { subscriberCounts: [100, 1_000, 5_000], runs: 3 },
  },
  quick: {
    orgStatus: { sizes: [20, 100], tunedSizes: [100], runs: 1 },
    overhead: { runs: 1, seconds: 2, connections: 10 },
    throttling: { accounts: 100, tpsLimit: 20, runs: 1 },
    subscriptions: { subscriberCounts: [100, 200], runs: 1 },
  },
} as const;

/** With the pacing lifted: the general limit far above anything the emulator is asked here. */
const UNPACED_ENV = { STATUSGRAPH_AWS_RATE_LIMIT: '10000' };

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'report-only': { type: 'boolean', default: false } },
});
const reportOnly = values['report-only'];
const selected = (values.only?.split(',') ?? BENCHMARKS) as Benchmark[];
for (const name of selected) if (!BENCHMARKS.includes(name)) throw new Error(`unknown benchmark ${name}; choose from ${BENCHMARKS.join(', ')}`);
const plan = values.quick ? PLANS.quick : PLANS.full;
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
  const file = join(RESULTS_DIR, `${name}.json`);
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
  overhead?: OverheadResult[];
  throttling?: ThrottlingResult;
  subscriptions?: SubscriptionResult[];
} = {};

for (const name of selected) {
  log(`${name}…`);
  let section: string;
  switch (name) {
    case 'org-status': {
      const options = { sizes: plan.orgStatus.sizes, runs: plan.orgStatus.runs, latencyMs: LATENCY_MS };
      const { results, tuned } = await measured(name, async (): Promise<{ results: OrgStatusResult[]; tuned: OrgStatusResult[] }> => {
        const results = await benchOrgStatus(options, log);
        log('org-status with the pacing lifted…');
        const tuned = await benchOrgStatus({ ...options, sizes: plan.orgStatus.tunedSizes, env: UNPACED_ENV, withScript: false }, log);
        return { results, tuned };
      });
      section = await reportOrgStatus({ results, tuned, tunedEnv: UNPACED_ENV, runs: options.runs, latencyMs: LATENCY_MS, command: command(name), chartDirectory: outputDir });
      outcomes.orgStatus = results.map(summarizeOrgStatus);
      outcomes.orgStatusTuned = tuned.map(summarizeOrgStatus);
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
if (outcomes.orgStatus && outcomes.overhead && outcomes.throttling && outcomes.subscriptions) {
  await writeSection('headlines', headlines(outcomes as Required<typeof outcomes>), reportFile);
}
log(`done in ${((performance.now() - startedAt) / 60_000).toFixed(1)} min`);

/** One row per target, from a run of all four benchmarks. */
function headlines({ orgStatus, orgStatusTuned, overhead, throttling, subscriptions }: Required<typeof outcomes>): string {
  const verdict = (met: boolean) => (met ? 'met' : '**not met** (cause and plan in its section)');
  const largest = orgStatus.at(-1)!;
  const rps = (query: string, server: string) =>
    median(overhead.find((result) => result.query === query && result.server === server)!.runs.map((run) => run.requestsPerSecond));
  const shares = ['one account', '100-account page'].map((query) => rps(query, 'statusgraph') / rps(query, 'bare Apollo Server'));
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
          `${count(largest.accounts)} accounts: ${count(largest.coldCalls)} AWS calls cold (budget ${count(largest.budget)}; the user's script ${count(largest.scriptCalls)}); cold ${duration(largest.coldMs)}, warm ${duration(largest.warmMs)} (the script ${duration(largest.scriptMs)}, every time)`,
          'calls = budget',
          verdict(orgStatus.every((row) => row.coldCalls === row.budget - row.deniedAccounts)),
        ],
        [
          '',
          `cold ÷ lower bound, default settings: ${orgStatus.map((row) => `${ratio(row.coldMs / row.lowerBoundMs)} at ${count(row.accounts)}`).join(', ')}`,
          `≤ ${COLD_TARGET}×`,
          verdict(orgStatus.every((row) => row.coldMs <= COLD_TARGET * row.lowerBoundMs)),
        ],
        [
          '',
          `cold ÷ lower bound, pacing lifted: ${orgStatusTuned.map((row) => `${ratio(row.coldMs / row.lowerBoundMs)} at ${count(row.accounts)}`).join(', ')} (${orgStatusTuned.map((row) => duration(row.coldCpuMs / row.coldCalls)).join(', ')} CPU per AWS call)`,
          `≤ ${COLD_TARGET}×`,
          verdict(orgStatusTuned.every((row) => row.coldMs <= COLD_TARGET * row.lowerBoundMs)),
        ],
        [
          '2. server overhead',
          `${shares.map((share) => `${Math.round(share * 100)}%`).join(' / ')} of a bare Apollo Server's requests/s (one account / 100-account page, warm)`,
          `≥ ${Math.round(OVERHEAD_TARGET * 100)}%`,
          verdict(shares.every((share) => share >= OVERHEAD_TARGET)),
        ],
        [
          '3. under throttling',
          `errors returned: statusgraph ${count(errors(throttling.statusgraph))}, the user script ${count(median(throttling.script.map((run) => run.errorsReturned)))} (median)`,
          '0 errors',
          verdict(errors(throttling.statusgraph) === 0),
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
