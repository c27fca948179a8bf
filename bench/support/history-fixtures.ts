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

/** Rows per INSERT … SELECT statement of the fill (each is its own transaction: progress shows, the WAL stays small). */
const FILL_CHUNK = 1_000_000;

/**
 * Fills an embedded log with `events` changes over ACCOUNTS accounts — the rows rowOf gives — in bulk (set-up, not
 * measured): the secondary indexes are dropped, the rows made by SQLite itself (one INSERT … SELECT over a recursive
 * count per million), and the indexes created again from their own definitions, each built in one sorted pass. Row
 * by row through a prepared statement, 10 million events took over 20 minutes on this machine.
 */
export async function fillLog(dataDir: string, events: number): Promise<void> {
  const opened = openHistoryDb({ engine: 'sqlite', dataDir });
  await opened.migrate();
  await opened.close();
  const raw = new Database(join(dataDir, 'history.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const indexes = raw
    .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'status_events' and sql is not null")
    .all() as { name: string; sql: string }[];
  for (const { name } of indexes) raw.exec(`drop index "${name}"`);
  const observedAt = Date.now();
  const fill = raw.prepare(`
    with recursive n(i) as (select cast(? as integer) union all select i + 1 from n where i + 1 < ?)
    insert into status_events (${ROW_COLUMNS})
    select 'enrollment:' || (100000000000 + i % ${ACCOUNTS}), i, cast(100000000000 + i % ${ACCOUNTS} as text),
      'COMPUTE_OPTIMIZER_ENROLLMENT', 1, 'x', case when (i / ${ACCOUNTS}) % 2 = 0 then 'Active' else 'Inactive' end, ?, 'poll'
    from n`);
  for (let from = 0; from < events; from += FILL_CHUNK) fill.run(from, Math.min(events, from + FILL_CHUNK), observedAt);
  for (const { sql } of indexes) raw.exec(sql);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}
