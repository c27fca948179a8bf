// What benchmark 5 (bench/history.ts) and its profiling aid (bench/profile-history.ts) record and read: one
// observation per account and round that is always a change, the same rows for the bare driver, and a log filled
// through the bare driver (set-up, not measured).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openHistoryDb } from '../../src/history/database.js';
import type { StatusObservation } from '../../src/status/index.js';
import { startStack, type StackOptions } from '../../test/support/stack.js';

/** Observations per record() call: one poll round, or one org-wide scan page. */
export const BATCH = 100;
export const ACCOUNTS = 1_000;

export const accountId = (index: number) => String(100_000_000_000 + (index % ACCOUNTS));
const SYNTHETIC_ACCOUNTS = Array.from({ length: ACCOUNTS }, (_, index) => accountId(index));

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
 * Fills an embedded log up to `events` changes over ACCOUNTS accounts — the rows rowOf gives for indexes `from` to
 * `events` (a log already holding the first `from` grows to `events`), or of the given accounts — in bulk (set-up, not measured): the secondary
 * indexes are dropped, the rows made by SQLite itself (one INSERT … SELECT over a recursive count per million), and
 * the indexes created again from their own definitions, each built in one sorted pass. Row by row through a prepared
 * statement, 10 million events took over 20 minutes on this machine.
 */
export async function fillLog(dataDir: string, events: number, from = 0, accountIds: readonly string[] = SYNTHETIC_ACCOUNTS): Promise<void> {
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
  // Event i is of account i mod n: the ids by position, in a table the insert reads.
  raw.exec('create temp table fill_accounts (position integer primary key, id text not null)');
  const addAccount = raw.prepare('insert into fill_accounts (position, id) values (?, ?)');
  accountIds.forEach((id, position) => addAccount.run(position, id));
  const observedAt = Date.now();
  const fill = raw.prepare(`
    with recursive n(i) as (select cast(? as integer) union all select i + 1 from n where i + 1 < ?)
    insert into status_events (${ROW_COLUMNS})
    select 'enrollment:' || a.id, i, a.id, 'COMPUTE_OPTIMIZER_ENROLLMENT', 1, 'x',
      case when (i / ${accountIds.length}) % 2 = 0 then 'Active' else 'Inactive' end, ?, 'poll'
    from n join fill_accounts a on a.position = i % ${accountIds.length}`);
  for (let chunk = from; chunk < events; chunk += FILL_CHUNK) fill.run(chunk, Math.min(events, chunk + FILL_CHUNK), observedAt);
  for (const { sql } of indexes) raw.exec(sql);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}

/**
 * The accounts of the organization a stack started with these options serves (the emulator's is a deterministic
 * function of its options): a whole-organization stream replays the events of its accounts, so a replay's log is
 * filled with theirs.
 */
export async function organizationAccountIds(options: StackOptions = {}): Promise<string[]> {
  const stack = await startStack(options);
  try {
    const answer = await stack.gql<{ organization: { accounts: { nodes: { id: string }[] } } }>('{ organization { accounts(first: 1000) { nodes { id } } } }');
    return answer.data!.organization.accounts.nodes.map((node) => node.id);
  } finally {
    await stack.close();
  }
}
