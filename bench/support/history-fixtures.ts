// What benchmark 5 (bench/history.ts) and its profiling aid (bench/profile-history.ts) record and read: one
// observation per account and round that is always a change, the same rows for the bare driver, and a log filled
// through the bare driver (set-up, not measured).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openHistoryDb } from '../../src/history/database.js';
import type { StatusObservation } from '../../src/status/index.js';

/** Observations per record() call: one poll round, or one org-wide scan page. */
export const BATCH = 100;
export const ACCOUNTS = 1_000;

export const accountId = (index: number) => String(100_000_000_000 + (index % ACCOUNTS));

/** Every observation a change: each account's enrollment flips between Active and Inactive. */
export function observation(index: number): StatusObservation {
  const round = Math.floor(index / ACCOUNTS);
  return {
    target: { kind: 'enrollment', accountId: accountId(index) },
    status: round % 2 === 0 ? 'Active' : 'Inactive',
    observedAt: new Date(),
    observedBy: 'poll',
  };
}

/** The bare driver inserting the same rows, BATCH per transaction. */
export function rowOf(index: number): unknown[] {
  const { status, observedAt } = observation(index);
  return [`enrollment:${accountId(index)}`, index, accountId(index), 'COMPUTE_OPTIMIZER_ENROLLMENT', 1, 'x', status, observedAt.getTime(), 'poll'];
}
export const ROW_COLUMNS = 'watch_key, follows_id, account_id, source, has_previous, previous, current, observed_at, observed_by';

/** Fills an embedded log with `events` changes over ACCOUNTS accounts, through the bare driver (setup, not measured). */
export async function fillLog(dataDir: string, events: number): Promise<void> {
  const opened = openHistoryDb({ engine: 'sqlite', dataDir });
  await opened.migrate();
  await opened.close();
  const raw = new Database(join(dataDir, 'history.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const insert = raw.prepare(`insert into status_events (${ROW_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const fill = raw.transaction((from: number, to: number) => {
    for (let index = from; index < to; index++) insert.run(...rowOf(index));
  });
  for (let from = 0; from < events; from += 100_000) fill(from, Math.min(events, from + 100_000));
  raw.close();
}

