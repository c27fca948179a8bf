// Profiling aid, not part of `npm run bench`: one cold org-wide query at N accounts against the emulator with 25 ms of
// latency, statusgraph compiled and run with `--cpu-prof` (the pacing lifted unless the settings say otherwise);
// prints the calls, wall and CPU time, and leaves the .cpuprofile in DIR for Chrome DevTools or speedscope.
//
//   npx tsx bench/profile-cold-query.ts [accounts=1000] [dir=/tmp/statusgraph-profile] ['{"STATUSGRAPH_…":"…"}']
import { ORG_STATUS_QUERY } from './org-status.js';
import { cpuMsOf, startEmulatorProcess, startStatusGraphProcess, useCompiledStatusGraph } from './support/processes.js';

const accounts = Number(process.argv[2] ?? 1_000);
const dir = process.argv[3] ?? '/tmp/statusgraph-profile';
const extraEnv = JSON.parse(process.argv[4] ?? '{}') as Record<string, string>;
await useCompiledStatusGraph();
const emulator = await startEmulatorProcess({ memberAccounts: accounts - 1, delayMs: 3_600_000 });
await emulator.setFaults({ latencyMs: 25 });
const server = await startStatusGraphProcess(emulator.endpoint, { STATUSGRAPH_AWS_RATE_LIMIT: '10000', ...extraEnv }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
await server.gql('{ viewer { id state } }');
await emulator.resetCalls();
const cpu0 = cpuMsOf(server.pid);
const t0 = performance.now();
const body = await server.gql(ORG_STATUS_QUERY, { first: Math.min(accounts, 1000) });
const wall = performance.now() - t0;
const cpu = cpuMsOf(server.pid) - cpu0;
const calls = await emulator.calls();
const total = Object.values(calls).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ accounts, wall: Math.round(wall), cpu, total, calls, errors: body.errors?.length ?? 0 }));
await server.stop();
await emulator.stop();
