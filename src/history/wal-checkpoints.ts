// The embedded store's WAL checkpoints, run off the event loop. SQLite copies the write-ahead log back into the
// database file once it holds 1,000 pages, inside the commit that crossed the line, with an fsync of both files: on
// this machine tens of milliseconds during which the server's event loop stood still (docs/benchmarks.md, section 5:
// most of the recorder's p99 event-loop delay). Here the server's connection never checkpoints; a worker thread with
// its own connection to the same file runs PASSIVE checkpoints (they never wait for, nor stop, the writer or the
// readers) every second. If the worker fails, the server's connection checkpoints itself again as before.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the worker checkpoints. @default 1_000 // ms */
const CHECKPOINT_EVERY_MS = 1_000;
/** SQLite's own automatic checkpoint threshold, restored if the worker fails. @default 1_000 // pages */
const SQLITE_AUTOCHECKPOINT_PAGES = 1_000;

/** A checkpoint's outcome, as `PRAGMA wal_checkpoint` reports it. */
export interface CheckpointResult {
  /** 1 when it could not run to completion (another checkpoint ran). */
  readonly busy: number;
  /** Frames in the WAL. */
  readonly log: number;
  /** Frames copied back into the database file. */
  readonly checkpointed: number;
}

// The worker is evaluated from source (CommonJS), so it runs alike under tsx, vitest and the compiled dist/: a
// worker file would need the TypeScript loader in each. It loads the same driver the server does (its path is sent).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') return parentPort.postMessage(checkpoint());
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpoints {
  /** Checkpoints now, in the worker (tests, and a look at how far behind it is). */
  checkpoint(): Promise<CheckpointResult>;
  /** Stops the worker (before the server's connection closes). */
  stop(): Promise<void>;
}

export function checkpointInBackground(database: Database.Database, file: string, busyTimeoutMs: number): WalCheckpoints {
  database.pragma('wal_autocheckpoint = 0');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, busyTimeoutMs, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  let running = true;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  worker.on('error', () => {
    running = false;
    // The server's connection checkpoints itself again rather than let the WAL grow.
    if (database.open) database.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  });
  return {
    async checkpoint() {
      if (!running) throw new Error('the WAL checkpoint worker is not running');
      const answer = once(worker, 'message') as Promise<[CheckpointResult]>;
      worker.ref();
      worker.postMessage('checkpoint');
      try {
        return (await answer)[0];
      } finally {
        worker.unref();
      }
    },
    async stop() {
      if (!running) return;
      // Held (the worker is unref'd while it runs): a process whose last task is closing the store waits for it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
