// Opens the history store: the embedded SQLite file (better-sqlite3) in the data directory, or PostgreSQL (node-postgres)
// when a database URL is set, behind one Kysely query builder, and brings its schema up to date (migrations.ts).
// The embedded engine was chosen by measurement over PGlite (docs/architecture.md, "Status history").
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery, type SqliteDatabase } from 'kysely';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import type { HistoryDatabase } from './schema.js';
import { checkpointInBackground, type CheckpointResult } from './wal-checkpoints.js';

/** The embedded store's file inside the data directory. */
export const EMBEDDED_FILE = 'history.db';
/** How long SQLite waits for another connection's write lock (a second process on the same file). @default 5_000 // ms */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** A PostgreSQL connection that cannot be made in this long counts as the database being away. @default 5_000 // ms */
const PG_CONNECT_TIMEOUT_MS = 5_000;
/** One statement longer than this is abandoned (history must never hold a request up for long). @default 10_000 // ms */
const PG_QUERY_TIMEOUT_MS = 10_000;
/** Distinct SQLite statements kept prepared (the recorder's and readers' queries, a few dozen shapes). @default 200 */
const PREPARED_STATEMENTS = 200;
/** Connections per instance: recording is one writer, reads are short. @default 5 */
const PG_POOL_SIZE = 5;

export type Engine = 'sqlite' | 'postgres';

export type StoreLocation =
  | { readonly engine: 'sqlite'; /** No directory: in memory (tests). */ readonly dataDir?: string }
  | { readonly engine: 'postgres'; readonly url: string };

export interface HistoryDb {
  readonly engine: Engine;
  readonly db: Kysely<HistoryDatabase>;
  /** The embedded store's online backup to a file (SQLite's backup API: safe while the server writes). */
  backup?(destination: string): Promise<void>;
  /** SQLite: runs a compiled read on its prepared statement and answers the rows as arrays (cheaper than objects). */
  readRows?(query: CompiledQuery): unknown[][];
  /** The embedded store's WAL checkpoint, run now by the worker that runs them (wal-checkpoints.ts). */
  checkpoint?(): Promise<CheckpointResult>;
  close(): Promise<void>;
}

/**
 * Opens the store without touching it yet (PostgreSQL connects on the first query); `migrate` brings its schema up
 * to date and throws while the database cannot be reached.
 */
export function openHistoryDb(location: StoreLocation, options: { onPoolError?: (error: Error) => void } = {}): HistoryDb & { migrate(): Promise<string[]> } {
  const opened = location.engine === 'sqlite' ? openSqlite(location.dataDir) : openPostgres(location.url, options.onPoolError);
  return { ...opened, migrate: () => migrateToLatest(opened.db, opened.engine) };
}

function openSqlite(dataDir: string | undefined): HistoryDb {
  let file = ':memory:';
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, EMBEDDED_FILE);
  }
  const database = new Database(file);
  // WAL: readers never wait for the writer; NORMAL sync keeps every commit through a crash of the process (kill -9),
  // and only a power loss may take the last ones.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // A file's checkpoints run in a worker, off the event loop (an in-memory store has no WAL).
  const checkpoints = dataDir === undefined ? undefined : checkpointInBackground(database, file, SQLITE_BUSY_TIMEOUT_MS);
  const statements = reusingStatements(database);
  const db = new Kysely<HistoryDatabase>({ dialect: new SqliteDialect({ database: statements }) });
  return {
    engine: 'sqlite',
    db,
    readRows(query) {
      const statement = statements.prepare(query.sql) as Database.Statement;
      // The statement is shared with Kysely's driver, which expects objects: raw mode only for this call.
      statement.raw(true);
      try {
        return statement.all(...query.parameters) as unknown[][];
      } finally {
        statement.raw(false);
      }
    },
    async backup(destination) {
      await database.backup(destination);
    },
    ...(checkpoints && { checkpoint: () => checkpoints.checkpoint() }),
    async close() {
      await checkpoints?.stop();
      await db.destroy();
    },
  };
}

/**
 * The database as Kysely's SQLite driver sees it, with each distinct statement prepared once: the driver prepares
 * every query it runs, and compiling the same insert of a poll round again each time was a tenth of recording's CPU
 * (docs/benchmarks.md, section 5). Safe because the driver runs one statement at a time on its one connection.
 */
function reusingStatements(database: Database.Database): SqliteDatabase {
  const prepared = new LRUCache<string, Database.Statement>({ max: PREPARED_STATEMENTS });
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = prepared.get(sql);
      if (!statement) prepared.set(sql, (statement = database.prepare(sql)));
      return statement;
    },
  };
}

function openPostgres(url: string, onPoolError?: (error: Error) => void): HistoryDb {
  const pool = new pg.Pool({
    connectionString: url,
    max: PG_POOL_SIZE,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    query_timeout: PG_QUERY_TIMEOUT_MS,
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (error) => onPoolError?.(error));
  const db = new Kysely<HistoryDatabase>({ dialect: new PostgresDialect({ pool }) });
  return { engine: 'postgres', db, close: () => db.destroy() };
}
