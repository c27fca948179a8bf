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
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
import { HISTORY_RESULTS_FILE, historySection, writeHistoryHeadlines, type HistoryResults, type PagesResult, type RecordingResult, type ReplayResult } from './support/history-report.js';
import { writeSection } from './support/report.js';
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
    loadAfter: loadavg()[0]!,
    eventsPerSecond: measured.perSecond,
    baselinePerSecond: baseline.perSecond,
    loopDelayP99Ms: measured.loopDelayP99Ms,
    baselineLoopDelayP99Ms: baseline.loopDelayP99Ms,
    load,
    cpuMicrosPerEvent: measured.cpuMicrosPerEvent,
    bytesPerEvent,
  };
}

type Received = Pick<ReplayResult, 'events' | 'perSecond' | 'cpuMicrosPerEvent' | 'subscriberCpuMicrosPerEvent' | 'inOrder' | 'all' | 'rssByHalfwayMb' | 'rssSecondHalfMb'>;

/**
 * A subscriber in a process of its own (support/replay-subscriber.ts) takes `expected` events from the server in this
 * process: how fast and whether in cursor order (its report), this process's CPU per event and how much it grew.
 */
async function receiveAll(httpUrl: string, expected: number): Promise<Received> {
  const rssBefore = process.memoryUsage().rss;
  const samples: { at: number; rss: number }[] = [];
  const sample = () => samples.push({ at: Date.now(), rss: process.memoryUsage().rss });
  const sampler = setInterval(sample, 50);
  const cpuBefore = process.cpuUsage();
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SUBSCRIBER, httpUrl, String(expected)]);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { events: number; seconds: number; inOrder: boolean; all: boolean; halfwayAt: number; cpuMicrosPerEvent: number };
    sample();
    const peak = (rows: typeof samples) => Math.max(rssBefore, ...rows.map((row) => row.rss));
    const byHalfway = peak(samples.filter((row) => row.at <= report.halfwayAt));
    return {
      events: report.events,
      perSecond: report.events / report.seconds,
      cpuMicrosPerEvent: cpuPerEvent(cpuBefore, report.events),
      subscriberCpuMicrosPerEvent: report.cpuMicrosPerEvent,
      inOrder: report.inOrder,
      all: report.all,
      rssByHalfwayMb: (byHalfway - rssBefore) / 2 ** 20,
      rssSecondHalfMb: (peak(samples) - byHalfway) / 2 ** 20,
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
      return {
        ...measured,
        baselinePerSecond: baseline.perSecond,
        baselineCpuMicrosPerEvent: baseline.cpuMicrosPerEvent,
        load,
        loadAfter: loadavg()[0]!,
      };
    } finally {
      await bare.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
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

/** Milliseconds `run` took. */
function timed(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** PLAN.pages pages of different accounts through EventLog.page, each beside the bare statement for the same account. */
async function measurePages(dataDir: string): Promise<Omit<PagesResult, 'logSize' | 'fillSeconds'>> {
  const load = loadavg()[0]!;
  const opened = openHistoryDb({ engine: 'sqlite', dataDir });
  const log = new EventLog(opened.db, opened.engine);
  const raw = new Database(join(dataDir, 'history.db'), { readonly: true });
  const bare = raw.prepare('select * from status_events where account_id = ? order by id desc limit 51');
  const times: number[] = [];
  const bareTimes: number[] = [];
  try {
    // The first read of an account's rows is the slow one (its index pages are not yet cached; the same page asked
    // again right after takes a tenth of the time), so which of the two goes first alternates.
    for (let page = 0; page < PLAN.pages; page++) {
      const id = accountId(page * 7919);
      if (page % 2 === 1) bareTimes.push(timed(() => bare.all(id)));
      const started = performance.now();
      const found = await log.page({ accountIds: [id], accountStatusesOnly: true }, 50);
      times.push(performance.now() - started);
      if (found.events.length !== 50) throw new Error('a page came back short');
      if (page % 2 === 0) bareTimes.push(timed(() => bare.all(id)));
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
const results: HistoryResults = {
  measuredAt: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  command: `npx tsx ${process.argv.slice(1).map((argument) => argument.replace(/.*\/bench\//, 'bench/')).join(' ')}`,
  plan: { recorded: PLAN.recorded, batch: BATCH, accounts: ACCOUNTS, replayed: PLAN.replayed, pages: PLAN.pages },
  recording,
  replay: replayed,
  pages,
};
const body = historySection(results);
if (!values.quick) {
  await mkdir(dirname(HISTORY_RESULTS_FILE), { recursive: true });
  await writeFile(HISTORY_RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  await writeSection('history', body);
  await writeHistoryHeadlines(results);
}
console.log(body);
process.exit(0);
