// Benchmark 5, status history (issue 18): `npx tsx bench/history.ts [--quick]` measures, side by side with a baseline
// of the bare driver doing the same writes or reads, and writes its section of docs/benchmarks.md:
//  - recording: sustained events/s through the HistoryRecorder into the embedded store and into PostgreSQL (a real
//    server started here), the p99 event-loop delay while it runs, and bytes on disk per event;
//  - replay: a subscriber (a process of its own) resuming after 100,000 events over graphql-ws from the real server
//    (embedded store), in order, events/s, the server's CPU per event, and how much the server process's RSS grew;
//  - Account.history(first: 50): p99 of the page query with 10 million events in the embedded log (`--log-sizes
//    1000000,3000000,10000000`: at each size, one log grown, to show how the cost grows).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import Database from 'better-sqlite3';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { openHistoryStore, type HistoryStore } from '../src/history/index.js';
import { EventLog } from '../src/history/event-log.js';
import { openHistoryDb } from '../src/history/database.js';
import { startPostgresServer } from '../test/postgres/support/postgres-server.js';
import { startStack } from '../test/support/stack.js';
import { ACCOUNTS, accountId, BATCH, fillLog, observation, organizationAccountIds, ROW_COLUMNS, rowOf } from './support/history-fixtures.js';
import { count, machineLine, table, writeSection } from './support/report.js';
import { percentile } from './support/stats.js';

const run = promisify(execFile);
const SUBSCRIBER = fileURLToPath(new URL('support/replay-subscriber.ts', import.meta.url));
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'log-sizes': { type: 'string' } } });
/** `--only replay,pages` runs some parts (printed, docs/benchmarks.md left as it is). */
const parts = new Set((values.only ?? 'recording,replay,pages').split(','));
const PLAN = values.quick
  ? { recorded: 5_000, replayed: 10_000, logSize: 200_000, pages: 200 }
  : { recorded: 50_000, replayed: 100_000, logSize: 10_000_000, pages: 2_000 };
/** `--log-sizes 1000000,3000000,10000000`: the history-pages part at each size (one log grown), smallest first. */
const LOG_SIZES = (values['log-sizes']?.split(',').map(Number) ?? [PLAN.logSize]).sort((a, b) => a - b);
interface RecordingResult {
  readonly engine: string;
  readonly eventsPerSecond: number;
  readonly baselinePerSecond: number;
  readonly loopDelayP99Ms: number;
  /** The bare driver's, measured by the same loop: what the machine and the driver alone cost the event loop. */
  readonly baselineLoopDelayP99Ms: number;
  /** The load average (1 minute) as this part started. */
  readonly load: number;
  /** This process's CPU per event (the recorder's side; PostgreSQL's server runs apart): steadier than the rate on a shared machine. */
  readonly cpuMicrosPerEvent: number;
  readonly bytesPerEvent: number;
}

/** CPU microseconds this process spent per event since `before`. */
function cpuPerEvent(before: NodeJS.CpuUsage, events: number): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / events;
}

interface Measured {
  readonly perSecond: number;
  readonly loopDelayP99Ms: number;
  readonly cpuMicrosPerEvent: number;
}

/**
 * Runs `round` for every BATCH of PLAN.recorded changes and measures the rate, the p99 event-loop delay and the CPU
 * per event. The event loop gets its turn between rounds, as in the server: the embedded store's writes resolve in
 * microtasks only, so without it the delay histogram would take no sample during the whole run.
 */
async function measureRounds(round: (from: number) => Promise<void> | void): Promise<Measured> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < PLAN.recorded; index += BATCH) {
    await round(index);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  return { perSecond: PLAN.recorded / seconds, loopDelayP99Ms: delay.percentile(99) / 1e6, cpuMicrosPerEvent: cpuPerEvent(cpuBefore, PLAN.recorded) };
}

function recordInto(store: HistoryStore): Promise<Measured> {
  return measureRounds(async (index) => {
    const batch = Array.from({ length: BATCH }, (_, offset) => observation(index + offset));
    const answers = await store.history.record(batch);
    if (answers.some((answer) => !answer?.changed)) throw new Error('an observation was not recorded as a change');
  });
}

function directoryBytes(dir: string): number {
  return readdirSync(dir).reduce((total, name) => total + statSync(join(dir, name)).size, 0);
}

async function recordingEmbedded(): Promise<RecordingResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  const load = loadavg()[0]!;
  try {
    const store = await openHistoryStore({ location: { engine: 'sqlite', dataDir: join(dir, 'store') }, retentionDays: 400 });
    const measured = await recordInto(store);
    await store.close();
    const bytesPerEvent = directoryBytes(join(dir, 'store')) / PLAN.recorded;

    const bare = openHistoryDb({ engine: 'sqlite', dataDir: join(dir, 'baseline') });
    await bare.migrate();
    await bare.close();
    const raw = new Database(join(dir, 'baseline', 'history.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    const insert = raw.prepare(`insert into status_events (${ROW_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const batch = raw.transaction((from: number) => {
      for (let index = from; index < from + BATCH; index++) insert.run(...rowOf(index));
    });
    const baseline = await measureRounds((index) => void batch(index));
    raw.close();
    return resultOf('embedded (better-sqlite3)', load, measured, baseline, bytesPerEvent);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function recordingPostgres(): Promise<RecordingResult> {
  const server = await startPostgresServer();
  const load = loadavg()[0]!;
  try {
    const store = await openHistoryStore({ location: { engine: 'postgres', url: server.url }, retentionDays: 400 });
    const measured = await recordInto(store);
    await store.close();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const size = await client.query<{ bytes: string }>(`select pg_total_relation_size('status_events') as bytes`);
    const bytesPerEvent = Number(size.rows[0]!.bytes) / PLAN.recorded;
    await client.query('truncate status_events');
    const placeholders = Array.from({ length: 9 }, (_, column) => `$${column + 1}`).join(', ');
    const baseline = await measureRounds(async (index) => {
      await client.query('begin');
      for (let offset = 0; offset < BATCH; offset++) {
        await client.query(`insert into status_events (${ROW_COLUMNS}) values (${placeholders})`, rowOf(PLAN.recorded + index + offset));
      }
      await client.query('commit');
    });
    await client.end();
    return resultOf('PostgreSQL 15 (node-postgres)', load, measured, baseline, bytesPerEvent);
  } finally {
    await server.close();
  }
}

function resultOf(engine: string, load: number, measured: Measured, baseline: Measured, bytesPerEvent: number): RecordingResult {
  return {
    engine,
    eventsPerSecond: measured.perSecond,
    baselinePerSecond: baseline.perSecond,
    loopDelayP99Ms: measured.loopDelayP99Ms,
    baselineLoopDelayP99Ms: baseline.loopDelayP99Ms,
    load,
    cpuMicrosPerEvent: measured.cpuMicrosPerEvent,
    bytesPerEvent,
  };
}

interface ReplayResult {
  readonly events: number;
  readonly perSecond: number;
  readonly baselinePerSecond: number;
  /** CPU per event of the server's process (the subscriber runs in its own), and of the bare baseline's. */
  readonly cpuMicrosPerEvent: number;
  readonly baselineCpuMicrosPerEvent: number;
  /** The subscriber's own CPU per event (graphql-ws client, same for both servers). */
  readonly subscriberCpuMicrosPerEvent: number;
  readonly inOrder: boolean;
  readonly rssGrowthMb: number;
  readonly load: number;
}

type Received = Pick<ReplayResult, 'events' | 'perSecond' | 'cpuMicrosPerEvent' | 'subscriberCpuMicrosPerEvent' | 'inOrder' | 'rssGrowthMb'>;

/**
 * A subscriber in a process of its own (support/replay-subscriber.ts) takes `expected` events from the server in this
 * process: how fast and whether in cursor order (its report), this process's CPU per event and how much it grew.
 */
async function receiveAll(httpUrl: string, expected: number): Promise<Received> {
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpuBefore = process.cpuUsage();
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SUBSCRIBER, httpUrl, String(expected)]);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { events: number; seconds: number; inOrder: boolean; cpuMicrosPerEvent: number };
    return {
      events: report.events,
      perSecond: report.events / report.seconds,
      cpuMicrosPerEvent: cpuPerEvent(cpuBefore, report.events),
      subscriberCpuMicrosPerEvent: report.cpuMicrosPerEvent,
      inOrder: report.inOrder,
      rssGrowthMb: (peakRss - rssBefore) / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * The baseline of a replay: a bare graphql-ws server (graphql-js, no statusgraph) whose subscription yields the same
 * log's ids, read by the bare driver a page of 1,000 at a time — the transport's own cost per event.
 */
async function bareReplayServer(dataDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const raw = new Database(join(dataDir, 'history.db'), { readonly: true });
  const page = raw.prepare('select id from status_events where id > ? order by id limit 1000').pluck();
  const schema = buildSchema('type Query { ok: Boolean } type Change { cursor: String } type Subscription { accountStatusChanged(sources: [Source], after: String): Change } enum Source { COMPUTE_OPTIMIZER_ENROLLMENT }');
  const field = schema.getSubscriptionType()!.getFields().accountStatusChanged!;
  field.subscribe = async function* () {
    let after = 0;
    for (;;) {
      const ids = page.all(after) as number[];
      for (const id of ids) yield { accountStatusChanged: { cursor: String(id) } };
      if (ids.length < 1000) return;
      after = ids.at(-1)!;
    }
  };
  const server = createServer();
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer({ schema }, sockets);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      await disposable.dispose();
      await new Promise((resolve) => server.close(resolve));
      raw.close();
    },
  };
}

/** A subscriber resuming after cursor 0 over graphql-ws from the real server, which reads the filled log; then the bare baseline. */
async function replay(): Promise<ReplayResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  try {
    const accounts = await organizationAccountIds();
    await fillLog(dataDir, PLAN.replayed, 0, accounts);
    const load = loadavg()[0]!;
    const stack = await startStack({ env: { STATUSGRAPH_DATA_DIR: dataDir } });
    let measured: Received;
    try {
      measured = await receiveAll(stack.graphqlUrl, PLAN.replayed);
    } finally {
      await stack.close();
    }
    const bare = await bareReplayServer(dataDir);
    try {
      const baseline = await receiveAll(bare.url, PLAN.replayed);
      return { ...measured, baselinePerSecond: baseline.perSecond, baselineCpuMicrosPerEvent: baseline.cpuMicrosPerEvent, load };
    } finally {
      await bare.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface PagesResult {
  readonly logSize: number;
  readonly p50: number;
  readonly p99: number;
  readonly baselineP99: number;
  /** Seconds the bulk fill took to grow the log to this size from the size before it. */
  readonly fillSeconds: number;
  readonly load: number;
}

/**
 * Account.history(first: 50)'s query — EventLog.page, as the resolver calls it — at each log size, smallest first:
 * one log grows from one size to the next, so the sizes show how the query's cost grows with the log.
 */
async function historyPages(): Promise<PagesResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-pages-'));
  const results: PagesResult[] = [];
  try {
    let filled = 0;
    for (const logSize of LOG_SIZES) {
      const filling = performance.now();
      await fillLog(dataDir, logSize, filled);
      filled = logSize;
      results.push({ logSize, fillSeconds: (performance.now() - filling) / 1000, ...(await measurePages(dataDir)) });
      console.log(results.at(-1));
    }
    return results;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** PLAN.pages pages of different accounts through EventLog.page, each followed by the bare statement. */
async function measurePages(dataDir: string): Promise<Omit<PagesResult, 'logSize' | 'fillSeconds'>> {
  const load = loadavg()[0]!;
  const opened = openHistoryDb({ engine: 'sqlite', dataDir });
  const log = new EventLog(opened.db, opened.engine);
  const raw = new Database(join(dataDir, 'history.db'), { readonly: true });
  const bare = raw.prepare('select * from status_events where account_id = ? order by id desc limit 51');
  const times: number[] = [];
  const bareTimes: number[] = [];
  try {
    for (let page = 0; page < PLAN.pages; page++) {
      const id = accountId(page * 7919);
      let started = performance.now();
      const found = await log.page({ accountIds: [id], accountStatusesOnly: true }, 50);
      times.push(performance.now() - started);
      if (found.events.length !== 50) throw new Error('a page came back short');
      started = performance.now();
      bare.all(id);
      bareTimes.push(performance.now() - started);
    }
  } finally {
    raw.close();
    await opened.close();
  }
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), baselineP99: percentile(bareTimes, 0.99), load };
}

if (values.only) {
  if (parts.has('recording')) console.table([await recordingEmbedded(), await recordingPostgres()]);
  if (parts.has('replay')) console.table([await replay()]);
  if (parts.has('pages')) console.table(await historyPages());
  process.exit(0);
}
const recording = [await recordingEmbedded(), await recordingPostgres()];
console.table(recording);
const replayed = await replay();
console.table([replayed]);
const pages = await historyPages();
console.table(pages);
const largest = pages.at(-1)!;

const verdict = (met: boolean) => (met ? 'met' : '**not met**');
const body = `## 5. Status history: recording, replay, history pages

${machineLine()} \`npx tsx bench/history.ts${values.quick ? ' --quick' : ''}\`; the load average (1 minute) as each part started is
in its table. What the figures mean, and the causes of a target not met: below this section.

Recording: ${count(PLAN.recorded)} changes, ${BATCH} per \`record()\` call (a poll round), over ${count(ACCOUNTS)} accounts; the
baseline is the bare driver inserting the same rows ${BATCH} per transaction (no change detection, no successor check),
measured by the same loop right after. Target: 10,000 events/s with p99 event-loop delay under 20 ms.

${table(
  ['store', 'load', 'events/s', 'bare driver events/s', 'ratio', 'CPU per event (this process)', 'p99 event-loop delay', 'bare driver p99 delay', 'bytes/event', 'verdict'],
  recording.map((result) => [
    result.engine,
    result.load.toFixed(1),
    count(Math.round(result.eventsPerSecond)),
    count(Math.round(result.baselinePerSecond)),
    (result.eventsPerSecond / result.baselinePerSecond).toFixed(2),
    `${result.cpuMicrosPerEvent.toFixed(0)} µs`,
    `${result.loopDelayP99Ms.toFixed(1)} ms`,
    `${result.baselineLoopDelayP99Ms.toFixed(1)} ms`,
    count(Math.round(result.bytesPerEvent)),
    verdict(result.eventsPerSecond >= 10_000 && result.loopDelayP99Ms < 20),
  ]),
  ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
)}

Replay (load ${replayed.load.toFixed(1)}): a graphql-ws subscriber in a process of its own resuming with \`after: "0"\` from the real server
(embedded store holding ${count(PLAN.replayed)} events) received ${count(replayed.events)} events, ${replayed.inOrder ? 'in cursor order' : '**out of order**'}, at ${count(Math.round(replayed.perSecond))} events/s,
the server's process spending ${replayed.cpuMicrosPerEvent.toFixed(0)} µs of CPU per event (the subscriber ${replayed.subscriberCpuMicrosPerEvent.toFixed(0)} µs) — target ≥ 20,000:
${verdict(replayed.perSecond >= 20_000 && replayed.inOrder)}; a bare graphql-ws server sending the same log's cursors (graphql-js, no statusgraph), right after:
${count(Math.round(replayed.baselinePerSecond))} events/s, ${replayed.baselineCpuMicrosPerEvent.toFixed(0)} µs per event (ratio ${(replayed.perSecond / replayed.baselinePerSecond).toFixed(2)}); the server's process grew by
${replayed.rssGrowthMb.toFixed(0)} MB at its peak — the replay reads a page only while fewer than 1,000 of its events wait.

History pages: \`Account.history(first: 50)\`'s query (EventLog.page, as the resolver calls it) at each log size — one
embedded log grown from one size to the next, in bulk — ${count(PLAN.pages)} accounts asked at each; the baseline is the bare
statement (\`select * … where account_id = ? order by id desc limit 51\`). Target: p99 under 5 ms with 10,000,000 events.

${table(
  ['events in the log', 'load', 'fill (s)', 'p50', 'p99', 'bare statement p99', 'ratio', 'verdict'],
  pages.map((result) => [
    count(result.logSize),
    result.load.toFixed(1),
    result.fillSeconds.toFixed(0),
    `${result.p50.toFixed(2)} ms`,
    `${result.p99.toFixed(2)} ms`,
    `${result.baselineP99.toFixed(2)} ms`,
    (result.p99 / result.baselineP99).toFixed(1),
    result.logSize >= 10_000_000 ? verdict(result.p99 < 5) : result.p99 < 5 ? 'under 5 ms at this size' : '**over 5 ms**',
  ]),
  ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
)}
${largest.logSize < 10_000_000 ? `\nThe target's 10,000,000 events were not measured in this run (largest: ${count(largest.logSize)}).\n` : ''}`;
if (!values.quick) await writeSection('history', body);
console.log(body);
process.exit(0);
