// The history store's public surface (composed by server/): opens the embedded SQLite store or PostgreSQL, migrates
// it, and hands out the StatusHistory the domain records into and the createAccount idempotency store, with the
// retention task pruning both in the background. A PostgreSQL server that is away at start does not stop the
// instance: migrations are tried again until it answers, and history reports itself unavailable meanwhile.
import { openHistoryDb, type StoreLocation } from './database.js';
import { EventLog } from './event-log.js';
import { DatabaseIdempotencyStore } from './idempotency.js';
import { HistoryRecorder } from './recorder.js';
import type { CheckpointResult } from './wal-checkpoints.js';

export { EMBEDDED_FILE } from './database.js';
export { DEFAULT_BUFFER_LIMIT, HistoryRecorder } from './recorder.js';
export { DatabaseIdempotencyStore } from './idempotency.js';

/** Pruning runs this often (and once soon after start). @default 3_600_000 // 1 hour */
const PRUNE_EVERY_MS = 3_600_000;
const PRUNE_FIRST_AFTER_MS = 10_000;
/** How often a start-time migration that could not reach PostgreSQL is tried again. @default 5_000 // ms */
const MIGRATE_RETRY_MS = 5_000;
const DAY_MS = 86_400_000;

export interface HistoryStoreOptions {
  readonly location: StoreLocation;
  readonly retentionDays: number;
  readonly bufferLimit?: number;
  /** Told when the database stops or starts answering (errors carry no URL). */
  readonly onAvailability?: (available: boolean, error?: unknown) => void;
  /** Told what a pruning round removed, or why it failed. */
  readonly onPruned?: (result: { events: number; idempotencyKeys: number } | { error: unknown }) => void;
}

export interface HistoryStore {
  readonly engine: 'sqlite' | 'postgres';
  readonly history: HistoryRecorder;
  readonly idempotency: DatabaseIdempotencyStore;
  /** Prunes now: events past the retention (each status's latest stays) and expired idempotency keys. */
  prune(): Promise<{ events: number; idempotencyKeys: number }>;
  /** The embedded store's online backup (SQLite's backup API), safe while the server runs. */
  backup?(destination: string): Promise<void>;
  /** The embedded store's WAL checkpoint, run now by the worker that runs them off the event loop. */
  checkpoint?(): Promise<CheckpointResult>;
  close(): Promise<void>;
}

export async function openHistoryStore(options: HistoryStoreOptions): Promise<HistoryStore> {
  const { location, retentionDays } = options;
  const opened = openHistoryDb(location, { onPoolError: (error) => options.onAvailability?.(false, error) });
  const sharedWriters = opened.engine === 'postgres';
  const log = new EventLog(opened.db, opened.engine, opened.readRows);
  const history = new HistoryRecorder({
    log,
    retentionDays,
    sharedWriters,
    ...(options.bufferLimit === undefined ? {} : { bufferLimit: options.bufferLimit }),
    ...(options.onAvailability ? { onAvailability: options.onAvailability } : {}),
  });
  const idempotency = new DatabaseIdempotencyStore({ db: opened.db, sharedWriters });

  let migrateTimer: NodeJS.Timeout | undefined;
  const migrate = async (): Promise<void> => {
    try {
      await opened.migrate();
      options.onAvailability?.(true);
    } catch (error) {
      // The embedded file is ours: failing to migrate it is a real fault. PostgreSQL may simply not be up yet.
      if (!sharedWriters) throw error;
      options.onAvailability?.(false, error);
      migrateTimer = setTimeout(() => void migrate().catch(() => undefined), MIGRATE_RETRY_MS);
      migrateTimer.unref?.();
    }
  };
  await migrate().catch(async (error: unknown) => {
    await opened.close();
    throw error;
  });

  const prune = async () => {
    const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
    const events = await log.prune(cutoff, () => new Promise((resolve) => setImmediate(resolve)));
    const idempotencyKeys = await idempotency.prune();
    return { events, idempotencyKeys };
  };
  const pruneInBackground = () =>
    void prune().then(
      (result) => options.onPruned?.(result),
      (error: unknown) => options.onPruned?.({ error }),
    );
  const firstPrune = setTimeout(pruneInBackground, PRUNE_FIRST_AFTER_MS);
  firstPrune.unref?.();
  const pruneTimer = setInterval(pruneInBackground, PRUNE_EVERY_MS);
  pruneTimer.unref?.();

  return {
    engine: opened.engine,
    history,
    idempotency,
    prune,
    ...(opened.backup ? { backup: opened.backup } : {}),
    ...(opened.checkpoint ? { checkpoint: opened.checkpoint } : {}),
    async close() {
      clearTimeout(migrateTimer);
      clearTimeout(firstPrune);
      clearInterval(pruneTimer);
      await history.close();
      await opened.close();
    },
  };
}
