// The status_events table: appending changes (each follows the last event of its status, once), pages newest first,
// replays oldest first after a cursor, and pruning past the retention. Queries only — when to write, and what to do
// while the database is away, is the recorder's (recorder.ts).
import { sql, type CompiledQuery, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Engine } from './database.js';
import {
  InvalidCursorError,
  type HistorySource,
  type ObservedBy,
  type StatusEvent,
  type StatusEventFilter,
  type WatchTarget,
} from '../status/index.js';
import { accountsOfRequests, accountStatusEvents, latestOfCreatingRequests, requestsNaming } from './creation-requests.js';
import type { HistoryDatabase, StatusEventTable } from './schema.js';

/** An event to write: the last event of its status it follows (0: none, the first reading). */
export interface NewEvent extends Omit<StatusEvent, 'cursor'> {
  readonly followsId: number;
}

/** The last event of a status: its id, value and when it was observed (ms). */
export interface LatestEvent {
  readonly id: number;
  readonly current: string | null;
  readonly observedAt: number;
}

/** Rows per insert statement: well under SQLite's 32,766 bound variables at 13 columns a row. @default 500 */
const INSERT_ROWS = 500;
/** Statuses looked up per latest() query: a union of one indexed lookup each, under SQLite's 500 terms. @default 200 */
const LATEST_PER_QUERY = 200;
/** Deleting this many events per statement keeps each step short (SQLite blocks the event loop while it runs). */
const PRUNE_BATCH = 5_000;
const PRUNED_THROUGH = 'pruned_through';

type Row = Omit<StatusEventTable, 'id'> & { id: number | string; request_account_id?: string | null };
type NewRow = Omit<StatusEventTable, 'id'>;
type Db = Kysely<HistoryDatabase>;
type Inserted = { id: number | string; watch_key: string };

/** The columns of a new row, in the order of the compiled insert's parameters (toRow gives every one). */
const COLUMNS = [
  'watch_key',
  'follows_id',
  'account_id',
  'request_id',
  'source',
  'region',
  'has_previous',
  'previous',
  'current',
  'observed_at',
  'observed_by',
  'caller',
  'idempotency_key',
] as const satisfies readonly (keyof NewRow)[];

/** The columns every read selects, in this order (rowOfValues reads a row given as an array by it). */
const READ_COLUMNS = ['id', ...COLUMNS] as const satisfies readonly (keyof StatusEventTable)[];

export function parseCursor(cursor: string): number {
  if (!/^\d{1,15}$/.test(cursor)) throw new InvalidCursorError();
  return Number(cursor);
}

export class EventLog {
  /** The insert of n rows, compiled once per n (a poll round's size recurs): only its parameters change. */
  private readonly inserts = new Map<number, CompiledQuery<Inserted>>();

  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
    /** SQLite only: runs a compiled read and answers its rows as arrays (database.ts `readRows`). */
    private readonly readRows?: (query: CompiledQuery) => unknown[][],
  ) {}

  /**
   * The last event of each of these statuses (absent: none recorded). Each status's is the event with the highest
   * follows_id of its key (each event follows the one before it), found by a backward step of the unique
   * (watch_key, follows_id) index — a lookup per status, however long its history; grouping the keys' events for
   * their max(id) instead read every event of each status, on every write of several PostgreSQL writers.
   */
  async latest(keys: readonly string[]): Promise<Map<string, LatestEvent>> {
    const found = new Map<string, LatestEvent>();
    if (keys.length === 0) return found;
    if (this.engine === 'postgres') {
      // One statement, planned once: a lateral lookup per key of the array (a union of a hundred subqueries, as
      // below, cost PostgreSQL more to plan than to run, on every write).
      const rows = await this.db
        .selectFrom(sql<{ k: string }>`unnest(${[...keys]}::text[])`.as('k'))
        .innerJoinLateral(
          (eb) =>
            eb
              .selectFrom('status_events')
              .select(['id', 'watch_key', 'current', 'observed_at'])
              .whereRef('status_events.watch_key', '=', 'k.k')
              .orderBy('follows_id', 'desc')
              .limit(1)
              .as('l'),
          (join) => join.onTrue(),
        )
        .select(['l.id', 'l.watch_key', 'l.current', 'l.observed_at'])
        .execute();
      for (const row of rows) found.set(row.watch_key, { id: Number(row.id), current: row.current, observedAt: Number(row.observed_at) });
      return found;
    }
    for (let from = 0; from < keys.length; from += LATEST_PER_QUERY) {
      const [first, ...rest] = keys.slice(from, from + LATEST_PER_QUERY).map((key, index) =>
        this.db
          .selectFrom((db) =>
            db.selectFrom('status_events').select(['id', 'watch_key', 'current', 'observed_at']).where('watch_key', '=', key).orderBy('follows_id', 'desc').limit(1).as(`l${index}`),
          )
          .selectAll(),
      );
      const rows = await rest.reduce((union, query) => union.unionAll(query), first!).execute();
      for (const row of rows) found.set(row.watch_key, { id: Number(row.id), current: row.current, observedAt: Number(row.observed_at) });
    }
    return found;
  }

  /** For accounts whose creation status has no event yet: the latest event of the request that made each (creation-requests.ts). */
  latestOfCreatingRequests(accountIds: readonly string[]): Promise<Map<string, LatestEvent>> {
    return latestOfCreatingRequests(this.db, accountIds);
  }

  /**
   * Writes the events in one transaction, in order; a later event of the same status follows the one before it here.
   * Each answers with its new id, or undefined when another writer already recorded a successor of the event it
   * follows (the same change seen twice) — and so do the later events of that status: the caller reads it again.
   * Events go in multi-row inserts, one per round of distinct statuses (a poll round is one insert).
   */
  async append(events: readonly NewEvent[]): Promise<(number | undefined)[]> {
    if (events.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const ids: (number | undefined)[] = new Array(events.length);
      const lastWritten = new Map<string, number | undefined>();
      for (const round of rounds(events)) {
        const rows: { position: number; row: Omit<StatusEventTable, 'id'> }[] = [];
        for (const position of round) {
          const event = events[position]!;
          const follows = lastWritten.has(event.key) ? lastWritten.get(event.key) : event.followsId;
          if (follows === undefined) ids[position] = undefined;
          else rows.push({ position, row: toRow({ ...event, followsId: follows }) });
        }
        for (let from = 0; from < rows.length; from += INSERT_ROWS) {
          const chunk = rows.slice(from, from + INSERT_ROWS);
          const parameters = chunk.flatMap(({ row }) => COLUMNS.map((column): unknown => row[column]));
          const { rows: inserted } = await trx.executeQuery<Inserted>({ ...this.insertOf(chunk.length), parameters });
          const byKey = new Map(inserted.map((row) => [row.watch_key, Number(row.id)]));
          for (const { position, row } of chunk) {
            ids[position] = byKey.get(row.watch_key);
            lastWritten.set(row.watch_key, ids[position]);
          }
        }
      }
      return ids;
    });
  }

  /**
   * The insert of `count` rows, built and compiled by Kysely once (a prepared statement, in effect): building and
   * compiling a round's 1,300 values for every write was most of recording's own CPU (docs/benchmarks.md, section 5).
   * A change that is already recorded (the same successor of the same event) is skipped, not an error.
   */
  private insertOf(count: number): CompiledQuery<Inserted> {
    let compiled = this.inserts.get(count);
    if (compiled === undefined) {
      const placeholder = Object.fromEntries(COLUMNS.map((column) => [column, null])) as unknown as NewRow;
      compiled = this.db
        .insertInto('status_events')
        .values(Array.from({ length: count }, () => placeholder))
        .onConflict((conflict) => conflict.columns(['watch_key', 'follows_id']).doNothing())
        .returning(['id', 'watch_key'])
        .compile();
      if (compiled.parameters.length !== count * COLUMNS.length) throw new Error('the compiled insert does not take one parameter per column');
      this.inserts.set(count, compiled);
    }
    return compiled;
  }

  /** Newest first; `before` excludes it and everything newer. One more row than asked says whether more follow. */
  async page(filter: StatusEventFilter, first: number, before?: number): Promise<{ events: StatusEvent[]; hasMore: boolean }> {
    let query = await this.filtered(filter);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await this.withRequestAccounts(filter, (await query.orderBy('id', 'desc').limit(first + 1).execute()) as Row[]);
    return { events: rows.slice(0, first).map(fromRow), hasMore: rows.length > first };
  }

  /**
   * Oldest first, after the cursor. On SQLite the page's rows are read as arrays: the driver building an object per
   * row, column by column, cost more than the rest of the read (a replay reads thousands of rows a second).
   */
  async replay(filter: StatusEventFilter, after: number, limit: number): Promise<StatusEvent[]> {
    const query = (await this.filtered(filter)).where('id', '>', after).orderBy('id', 'asc').limit(limit);
    const { readRows } = this;
    // Through Kysely's connection, so a read still waits for a write transaction in progress on it to end.
    const read = readRows
      ? await this.db.connection().execute(async () => readRows(query.compile()).map(rowOfValues))
      : ((await query.execute()) as Row[]);
    const rows = await this.withRequestAccounts(filter, read);
    return rows.map(fromRow);
  }

  async latestId(): Promise<number | undefined> {
    const row = await this.db.selectFrom('status_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return row?.id == null ? undefined : Number(row.id);
  }

  /** The highest id retention has deleted: a stream cannot resume from a cursor below it. */
  async prunedThrough(): Promise<number> {
    const row = await this.db.selectFrom('history_marks').select('value').where('name', '=', PRUNED_THROUGH).executeTakeFirst();
    return row ? Number(row.value) : 0;
  }

  /**
   * Deletes the events observed before `cutoff`, a batch at a time, except each status's latest (it holds the value
   * the next change follows). Answers how many went.
   */
  async prune(cutoff: Date, pause: () => Promise<void> = async () => undefined): Promise<number> {
    let deleted = 0;
    for (;;) {
      const batch = await this.db
        .selectFrom('status_events as old')
        .select('old.id')
        .where('old.observed_at', '<', cutoff.getTime())
        .where(({ exists, selectFrom }) =>
          exists(selectFrom('status_events as newer').select('newer.id').whereRef('newer.watch_key', '=', 'old.watch_key').whereRef('newer.id', '>', 'old.id')),
        )
        .orderBy('old.id')
        .limit(PRUNE_BATCH)
        .execute();
      if (batch.length === 0) return deleted;
      const ids = batch.map((row) => Number(row.id));
      const highest = ids.at(-1)!;
      await this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('status_events').where('id', 'in', ids).execute();
        const mark = await trx.selectFrom('history_marks').select('value').where('name', '=', PRUNED_THROUGH).executeTakeFirst();
        if (!mark) await trx.insertInto('history_marks').values({ name: PRUNED_THROUGH, value: highest }).execute();
        else if (Number(mark.value) < highest) await trx.updateTable('history_marks').set({ value: highest }).where('name', '=', PRUNED_THROUGH).execute();
      });
      deleted += ids.length;
      await pause();
    }
  }

  /** In an account view, a creation request's events recorded before it named its account carry that account. */
  private async withRequestAccounts(filter: StatusEventFilter, rows: Row[]): Promise<Row[]> {
    if (!filter.accountStatusesOnly) return rows;
    const unnamed = rows.flatMap((row) => (row.account_id === null && row.request_id !== null ? [row.request_id] : []));
    if (unnamed.length === 0) return rows;
    const named = await accountsOfRequests(this.db, unnamed);
    return rows.map((row) => (row.account_id === null && row.request_id !== null ? { ...row, request_account_id: named.get(row.request_id) ?? null } : row));
  }

  private async filtered(filter: StatusEventFilter): Promise<SelectQueryBuilder<HistoryDatabase, 'status_events', Row>> {
    let query = this.db.selectFrom('status_events').select(READ_COLUMNS) as unknown as SelectQueryBuilder<HistoryDatabase, 'status_events', Row>;
    if (filter.accountStatusesOnly) {
      const ids = filter.accountIds;
      const accounts = ids ? { ids, requests: await requestsNaming(this.db, ids) } : undefined;
      query = query.where((eb) => accountStatusEvents(eb, accounts));
    } else if (filter.accountIds) query = query.where('account_id', 'in', filter.accountIds.length > 0 ? [...filter.accountIds] : ['']);
    if (filter.requestId !== undefined) query = query.where('request_id', '=', filter.requestId).where('watch_key', 'like', 'request:%');
    if (filter.sources && filter.sources.length > 0) query = query.where('source', 'in', [...filter.sources]);
    if (filter.regions && filter.regions.length > 0) {
      const regions = [...filter.regions];
      query = query.where((eb: ExpressionBuilder<HistoryDatabase, 'status_events'>) =>
        eb.or([eb('region', 'is', null), eb('region', 'in', regions)]),
      );
    }
    if (filter.since) query = query.where('observed_at', '>=', filter.since.getTime());
    if (filter.until) query = query.where('observed_at', '<', filter.until.getTime());
    return query;
  }
}

function toRow(event: NewEvent): Omit<StatusEventTable, 'id'> {
  return {
    watch_key: event.key,
    follows_id: event.followsId,
    account_id: event.accountId ?? null,
    request_id: event.requestId ?? null,
    source: event.source,
    region: event.region ?? null,
    has_previous: event.hasPrevious ? 1 : 0,
    previous: event.previous,
    current: event.current,
    observed_at: event.observedAt.getTime(),
    observed_by: event.observedBy,
    caller: event.caller ?? null,
    idempotency_key: event.idempotencyKey ?? null,
  };
}

function fromRow(row: Row): StatusEvent {
  // Optional members are set one by one rather than spread in: a replay reads thousands of rows a second.
  const event: { -readonly [K in keyof StatusEvent]: StatusEvent[K] } = {
    cursor: String(row.id),
    key: row.watch_key,
    target: targetOf(row),
    source: row.source as HistorySource,
    hasPrevious: Number(row.has_previous) === 1,
    previous: row.previous,
    current: row.current,
    observedAt: new Date(Number(row.observed_at)),
    observedBy: row.observed_by as ObservedBy,
  };
  // A creation request's events recorded before it named its account carry it when read as the account's.
  const accountId = row.account_id ?? row.request_account_id ?? null;
  if (accountId !== null) event.accountId = accountId;
  if (row.request_id !== null) event.requestId = row.request_id;
  if (row.region !== null) event.region = row.region;
  if (row.caller !== null) event.caller = row.caller;
  if (row.idempotency_key !== null) event.idempotencyKey = row.idempotency_key;
  return event;
}

/** The watched status a row belongs to, from its key (`kind:…`). */
function targetOf(row: Row): WatchTarget {
  const [kind = '', first = '', second = ''] = row.watch_key.split(':');
  switch (kind) {
    case 'fleetwise':
      return { kind, accountId: first, region: second };
    case 'enrollment':
    case 'creation':
      return { kind, accountId: first };
    default:
      return { kind: 'request', requestId: first };
  }
}

/** A row read as an array (READ_COLUMNS' order) as the object the reads work with. */
function rowOfValues(values: unknown[]): Row {
  return {
    id: values[0] as number,
    watch_key: values[1] as string,
    follows_id: values[2] as number,
    account_id: values[3] as string | null,
    request_id: values[4] as string | null,
    source: values[5] as string,
    region: values[6] as string | null,
    has_previous: values[7] as number,
    previous: values[8] as string | null,
    current: values[9] as string | null,
    observed_at: values[10] as number,
    observed_by: values[11] as string,
    caller: values[12] as string | null,
    idempotency_key: values[13] as string | null,
  };
}

/** Positions of the events split into rounds in which each status appears once, keeping each status's order. */
function rounds(events: readonly NewEvent[]): number[][] {
  const result: number[][] = [];
  const seen = new Map<string, number>();
  events.forEach((event, position) => {
    const round = seen.get(event.key) ?? 0;
    seen.set(event.key, round + 1);
    (result[round] ??= []).push(position);
  });
  return result;
}
