// `npm run bench`: runs the four benchmarks of issue 7 and rewrites their sections of docs/benchmarks.md, with one
// chart each (docs/bench-*.svg). `npm run bench -- --quick` is a smoke run at small sizes that writes its report to a
// temporary directory instead; `--only org-status,throttling` runs some of them. The emulator-throughput section is
// bench/emulator-throughput.ts's own (`npx tsx bench/emulator-throughput.ts --write`), and is left as it is.
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchOrgStatus, reportOrgStatus, summarizeOrgStatus } from './org-status.js';
import { benchServerOverhead, reportServerOverhead } from './server-overhead.js';
import { benchSubscriptions, reportSubscriptions } from './subscriptions.js';
import { benchThrottling, reportThrottling } from './throttling.js';
import { useCompiledStatusGraph } from './support/processes.js';
import { BENCHMARKS_FILE, DOCS_DIR, writeSection } from './support/report.js';

const BENCHMARKS = ['org-status', 'server-overhead', 'throttling', 'subscriptions'] as const;
type Benchmark = (typeof BENCHMARKS)[number];
/** Latency the emulator adds to every call, in milliseconds. */
const LATENCY_MS = 25;

/** Sizes and lengths: the full run (about 15 minutes on 2 cores) and the smoke run. */
const PLANS = {
  full: {
    orgStatus: { sizes: [100, 1_000, 5_000], tunedSizes: [100, 1_000], runs: 3 },
    overhead: { runs: 3, seconds: 5, connections: 20 },
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

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
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
log(`compiling statusgraph (tsconfig.build.json) to run it as npm start does`);
await useCompiledStatusGraph();

for (const name of selected) {
  log(`${name}…`);
  let section: string;
  switch (name) {
    case 'org-status': {
      const options = { sizes: plan.orgStatus.sizes, runs: plan.orgStatus.runs, latencyMs: LATENCY_MS };
      const results = await benchOrgStatus(options, log);
      log('org-status with the pacing lifted…');
      const tuned = await benchOrgStatus({ ...options, sizes: plan.orgStatus.tunedSizes, env: UNPACED_ENV, withScript: false }, log);
      section = await reportOrgStatus({ results, tuned, tunedEnv: UNPACED_ENV, runs: options.runs, latencyMs: LATENCY_MS, command: command(name), chartDirectory: outputDir });
      for (const row of results.map(summarizeOrgStatus)) log(`  ${JSON.stringify(row)}`);
      break;
    }
    case 'server-overhead': {
      const options = { ...plan.overhead, latencyMs: LATENCY_MS };
      section = await reportServerOverhead({ results: await benchServerOverhead(options, log), options, command: command(name), chartDirectory: outputDir });
      break;
    }
    case 'throttling': {
      const options = { ...plan.throttling, latencyMs: LATENCY_MS };
      section = await reportThrottling({ result: await benchThrottling(options, log), options, command: command(name), chartDirectory: outputDir });
      break;
    }
    case 'subscriptions': {
      const options = { ...plan.subscriptions, latencyMs: LATENCY_MS };
      section = await reportSubscriptions({ results: await benchSubscriptions(options, log), options, command: command(name), chartDirectory: outputDir });
      break;
    }
  }
  await writeSection(name, section, reportFile);
  log(`${name}: written to ${reportFile}`);
}
log(`done in ${((performance.now() - startedAt) / 60_000).toFixed(1)} min`);
