// Profiling aid, not part of `npm run bench`: a CPU profile of the measured part only of benchmark 5 (history) —
// recording N changes through the HistoryRecorder, or a subscriber (a process of its own) replaying N events over
// graphql-ws from the real server (in this process) — taken with the inspector around that part, so start-up and
// set-up stay out; prints the rate and this process's CPU per event (steadier than the rate on a shared machine).
//
//   npx tsx bench/profile-history.ts recording|replay [events] [engine: sqlite|postgres] [out=/tmp/history.cpuprofile]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openHistoryStore } from '../src/history/index.js';
import { startPostgresServer } from '../test/postgres/support/postgres-server.js';
import { startStack } from '../test/support/stack.js';
import { BATCH, fillLog, observation, organizationAccountIds } from './support/history-fixtures.js';

const run = promisify(execFile);
const SUBSCRIBER = fileURLToPath(new URL('support/replay-subscriber.ts', import.meta.url));
const [part = 'replay', eventsArgument, engine = 'sqlite', out = '/tmp/history.cpuprofile'] = process.argv.slice(2);
const events = Number(eventsArgument ?? 100_000);
const session = new Session();
session.connect();

async function profiled<T>(run: () => Promise<T>): Promise<T> {
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
  console.log(JSON.stringify({ part, events, engine, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(events / seconds), cpuMicrosPerEvent: Number(((cpu.user + cpu.system) / events).toFixed(1)), profile: out }));
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'profile-history-'));
try {
  if (part === 'recording') {
    const postgres = engine === 'postgres' ? await startPostgresServer() : undefined;
    const store = await openHistoryStore({
      location: postgres ? { engine: 'postgres', url: postgres.url } : { engine: 'sqlite', dataDir: dir },
      retentionDays: 400,
    });
    await profiled(async () => {
      for (let index = 0; index < events; index += BATCH) {
        await store.history.record(Array.from({ length: BATCH }, (_, offset) => observation(index + offset)));
      }
    });
    await store.close();
    await postgres?.close();
  } else {
    await fillLog(dir, events, 0, await organizationAccountIds());
    const stack = await startStack({ env: { STATUSGRAPH_DATA_DIR: dir } });
    // The subscriber runs in a process of its own: the profile is the server's alone.
    await profiled(() => run(process.execPath, ['--import', 'tsx', SUBSCRIBER, stack.graphqlUrl, String(events)]));
    await stack.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
