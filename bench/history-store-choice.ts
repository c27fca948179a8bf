// The measurement that chose the embedded history store (docs/architecture.md, "Status history"): better-sqlite3
// against PGlite, the same table and the same parameterised statements, side by side in one process. It records
// events one transaction each (as the recorder does: durable before a subscriber is told), replays them in pages of
// 1,000 by cursor, and reports start time, events/s, the event-loop delay while writing and bytes on disk per event.
// `npx tsx bench/history-store-choice.ts [events]` (default 20,000); the figures go to docs/benchmarks.md by hand.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';

const EVENTS = Number(process.argv[2] ?? 20_000);
const PAGE = 1_000;

interface Engine {
  readonly name: string;
  open(dir: string): Promise<void>;
  insert(row: readonly unknown[]): Promise<void>;
  page(after: number): Promise<{ id: number }[]>;
  close(): Promise<void>;
}

const COLUMNS = 'account_id, source, region, previous, current, observed_at, observed_by';

function sqlite(): Engine {
  let db: Database.Database;
  let insert: Database.Statement;
  let page: Database.Statement;
  return {
    name: 'better-sqlite3 12',
    async open(dir) {
      db = new Database(join(dir, 'history.db'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(`create table events (id integer primary key autoincrement, account_id text not null, source text not null,
        region text, previous text, current text, observed_at text not null, observed_by text not null)`);
      db.exec('create index events_account on events (account_id, id)');
      insert = db.prepare(`insert into events (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?)`);
      page = db.prepare('select * from events where id > ? order by id limit ?');
    },
    async insert(row) {
      insert.run(...row);
    },
    async page(after) {
      return page.all(after, PAGE) as { id: number }[];
    },
    async close() {
      db.close();
    },
  };
}

function pglite(): Engine {
  let db: PGlite;
  return {
    name: 'PGlite 0.5',
    async open(dir) {
      db = await PGlite.create(join(dir, 'pgdata'));
      await db.exec(`create table events (id bigserial primary key, account_id text not null, source text not null,
        region text, previous text, current text, observed_at timestamptz not null, observed_by text not null)`);
      await db.exec('create index events_account on events (account_id, id)');
    },
    async insert(row) {
      await db.query(`insert into events (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7)`, [...row]);
    },
    async page(after) {
      return (await db.query<{ id: number }>('select * from events where id > $1 order by id limit $2', [after, PAGE])).rows;
    },
    async close() {
      await db.close();
    },
  };
}

async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function measure(engine: Engine) {
  const dir = await mkdtemp(join(tmpdir(), 'history-choice-'));
  try {
    let started = performance.now();
    await engine.open(dir);
    const startMs = performance.now() - started;
    const emptyBytes = await diskBytes(dir);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    started = performance.now();
    for (let index = 0; index < EVENTS; index += 1) {
      const account = String(100_000_000_000 + (index % 1_000));
      await engine.insert([account, 'ENROLLMENT', null, 'Pending', 'Active', new Date().toISOString(), 'poll']);
      // A server interleaves other work with recording: give the loop a turn every 100 events so delay is visible.
      if (index % 100 === 99) await yieldToLoop();
    }
    const writeSeconds = (performance.now() - started) / 1000;
    delay.disable();
    started = performance.now();
    let replayed = 0;
    for (let after = 0; ; ) {
      const rows = await engine.page(after);
      if (rows.length === 0) break;
      replayed += rows.length;
      after = Number(rows.at(-1)!.id);
    }
    const replaySeconds = (performance.now() - started) / 1000;
    await engine.close();
    const bytes = (await diskBytes(dir)) - emptyBytes;
    return {
      engine: engine.name,
      startMs: Math.round(startMs),
      writesPerSecond: Math.round(EVENTS / writeSeconds),
      loopDelayP99Ms: Number((delay.percentile(99) / 1e6).toFixed(1)),
      replayPerSecond: Math.round(replayed / replaySeconds),
      bytesPerEvent: Math.round(bytes / EVENTS),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const engine of [sqlite(), pglite()]) results.push(await measure(engine));
console.table(results);
