// A createAccount's events in the accounts' views of the log. They are recorded under the request (`request:<id>`):
// the mutation's IN_PROGRESS before any account exists, then the reading that names the account it made. Reads join
// them to that account by request id, so the log stays append-only and no cursor is issued twice or out of order;
// and the account's own creation status (`creation:<account>`) continues the request's chain instead of starting a
// second one with its own "first reading".
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { watchKey } from '../status/index.js';
import type { LatestEvent } from './event-log.js';
import type { HistoryDatabase } from './schema.js';

type Db = Kysely<HistoryDatabase>;
type Events = ExpressionBuilder<HistoryDatabase, 'status_events'>;

const REQUEST_KEYS = 'request:%';

/**
 * The events of accounts' statuses (of these accounts, when given): their own, and those of the creation requests
 * that named them — all of a request's events, the ones recorded before its account was known included.
 */
export function accountStatusEvents(eb: Events, accountIds: readonly string[] | undefined): Expression<SqlBool> {
  const ids = accountIds && accountIds.length > 0 ? [...accountIds] : accountIds ? [''] : undefined;
  const requests = eb.selectFrom('status_events as naming').select('naming.request_id').where('naming.watch_key', 'like', REQUEST_KEYS);
  const namingRequests = ids ? requests.where('naming.account_id', 'in', ids) : requests.where('naming.account_id', 'is not', null);
  return eb.or([
    eb.and([eb('watch_key', 'not like', REQUEST_KEYS), ids ? eb('account_id', 'in', ids) : eb('account_id', 'is not', null)]),
    eb.and([eb('watch_key', 'like', REQUEST_KEYS), eb('request_id', 'in', namingRequests)]),
  ]);
}

/** The account a request event's request named, for events recorded before it was known (selected as `request_account_id`). */
export function requestAccountId(eb: Events) {
  return eb
    .selectFrom('status_events as naming')
    .select('naming.account_id')
    .whereRef('naming.request_id', '=', 'status_events.request_id')
    .where('naming.watch_key', 'like', REQUEST_KEYS)
    .where('naming.account_id', 'is not', null)
    .limit(1)
    .as('request_account_id');
}

/**
 * For accounts whose creation status has no event of its own: the latest event of the request that named the account,
 * keyed `creation:<account>` — what a first reading of the account's creation status follows (or repeats).
 */
export async function latestOfCreatingRequests(db: Db, accountIds: readonly string[]): Promise<Map<string, LatestEvent>> {
  const found = new Map<string, LatestEvent>();
  if (accountIds.length === 0) return found;
  const rows = await db
    .selectFrom('status_events')
    .select(['id', 'account_id', 'current'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('status_events')
        .select((inner) => inner.fn.max('id').as('id'))
        .where('account_id', 'in', [...accountIds])
        .where('watch_key', 'like', REQUEST_KEYS)
        .groupBy('account_id'),
    )
    .execute();
  for (const row of rows) found.set(watchKey({ kind: 'creation', accountId: row.account_id! }), { id: Number(row.id), current: row.current });
  return found;
}
