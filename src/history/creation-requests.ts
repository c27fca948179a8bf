// A createAccount's events in the accounts' views of the log. They are recorded under the request (`request:<id>`):
// the mutation's IN_PROGRESS before any account exists, then the reading that names the account it made. Reads join
// them to that account by request id, so the log stays append-only and no cursor is issued twice or out of order;
// and the account's own creation status (`creation:<account>`) continues the request's chain instead of starting a
// second one with its own "first reading". Every lookup here goes through an index (account_id or request_id).
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { watchKey } from '../status/index.js';
import type { LatestEvent } from './event-log.js';
import type { HistoryDatabase } from './schema.js';

type Db = Kysely<HistoryDatabase>;
type Events = ExpressionBuilder<HistoryDatabase, 'status_events'>;

// Only a request's events (`request:` keys) carry a request id: testing it, not the key's prefix (a LIKE, which
// SQLite's indexes cannot serve), keeps every lookup on an index.

/** The requests whose events named these accounts (read first, so the page's query is a union of two index lookups). */
export async function requestsNaming(db: Db, accountIds: readonly string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom('status_events')
    .select('request_id')
    .distinct()
    .where('account_id', 'in', [...accountIds])
    .where('request_id', 'is not', null)
    .execute();
  return rows.flatMap((row) => (row.request_id === null ? [] : [row.request_id]));
}

/**
 * The events of accounts' statuses: with `accounts`, those accounts' own and every event of the requests that named
 * them (requestsNaming); without, every account's and every event of a request that named an account.
 */
export function accountStatusEvents(eb: Events, accounts?: { readonly ids: readonly string[]; readonly requests: readonly string[] }): Expression<SqlBool> {
  if (accounts) {
    const own = eb.and([eb('account_id', 'in', accounts.ids.length > 0 ? [...accounts.ids] : ['']), eb('request_id', 'is', null)]);
    return accounts.requests.length > 0 ? eb.or([own, eb('request_id', 'in', [...accounts.requests])]) : own;
  }
  // A request's event is an account's when an event of the same request names one: an EXISTS probe of the request
  // index per request event. An IN over every naming request instead let SQLite's planner (with no statistics) pick
  // a MULTI-INDEX OR and sort every later event for each replayed page, and scan the whole log for the list.
  const namedRequest = eb.exists(
    eb
      .selectFrom('status_events as naming')
      .select('naming.id')
      .whereRef('naming.request_id', '=', 'status_events.request_id')
      .where('naming.account_id', 'is not', null),
  );
  return eb.or([eb.and([eb('account_id', 'is not', null), eb('request_id', 'is', null)]), eb.and([eb('request_id', 'is not', null), namedRequest])]);
}

/** The account each of these requests named (requests that named none are absent). */
export async function accountsOfRequests(db: Db, requestIds: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (requestIds.length === 0) return found;
  const rows = await db
    .selectFrom('status_events')
    .select(['request_id', 'account_id'])
    .where('request_id', 'in', [...new Set(requestIds)])
    .where('account_id', 'is not', null)
    .execute();
  for (const row of rows) if (row.request_id !== null && row.account_id !== null) found.set(row.request_id, row.account_id);
  return found;
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
    .select(['id', 'account_id', 'current', 'observed_at'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('status_events')
        .select((inner) => inner.fn.max('id').as('id'))
        .where('account_id', 'in', [...accountIds])
        .where('request_id', 'is not', null)
        .groupBy('account_id'),
    )
    .execute();
  for (const row of rows) found.set(watchKey({ kind: 'creation', accountId: row.account_id! }), { id: Number(row.id), current: row.current, observedAt: Number(row.observed_at) });
  return found;
}
