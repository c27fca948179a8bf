// The port through which the domain records and reads status history (implemented by src/history/, composed by
// server/): every change statusgraph observes — by a poll, a query or a mutation's own answer — becomes one event with
// a cursor, written before any subscriber hears of it. graphql/ reads history only through this port.
import type { WatchTarget } from './status-service.js';

export type ObservedBy = 'poll' | 'query' | 'mutation';
/** The API's names of the three statuses. */
export type HistorySource = 'FLEETWISE_REGISTRATION' | 'COMPUTE_OPTIMIZER_ENROLLMENT' | 'CREATION_REQUEST';

/** One reading of a status, as whoever read it saw it. */
export interface StatusObservation {
  readonly target: WatchTarget;
  /** The raw AWS text; null = none (never registered, no creation request). */
  readonly status: string | null;
  readonly observedAt: Date;
  readonly observedBy: ObservedBy;
  /** A mutation's caller: an API key's name or a token's subject — never an email or a secret. */
  readonly caller?: string;
  readonly idempotencyKey?: string;
  /** The account a creation request made, once it names one. */
  readonly accountId?: string;
  /**
   * The status subscribers last heard before this one, when the observer knows it better than this store: a poller
   * that took a lease over from another instance (whose changes a store of this instance alone never saw). Used when
   * the store holds no event of the status, or is this instance's alone; a shared store's own chain wins.
   */
  readonly previous?: string | null;
}

/** One recorded change. */
export interface StatusEvent {
  /** Increasing in the order events were written; resume a stream after it. */
  readonly cursor: string;
  readonly key: string;
  readonly target: WatchTarget;
  readonly source: HistorySource;
  readonly accountId?: string;
  readonly requestId?: string;
  readonly region?: string;
  /** False for the first reading of a status. */
  readonly hasPrevious: boolean;
  readonly previous: string | null;
  readonly current: string | null;
  readonly observedAt: Date;
  readonly observedBy: ObservedBy;
  readonly caller?: string;
  readonly idempotencyKey?: string;
}

/** Which events; every field narrows, none = all. */
export interface StatusEventFilter {
  readonly accountIds?: readonly string[];
  readonly requestId?: string;
  readonly sources?: readonly HistorySource[];
  /** FleetWise regions; events of the other sources have none and pass. */
  readonly regions?: readonly string[];
  readonly since?: Date;
  readonly until?: Date;
  /**
   * Only the statuses of accounts: a creation request's events (`request:` keys) only once one of them names the
   * account it made — then all of them, as that account's (with its id), in cursor order.
   */
  readonly accountStatusesOnly?: boolean;
}

export interface StatusEventPage {
  readonly events: readonly StatusEvent[];
  readonly hasMore: boolean;
}

/** What recording one observation did. */
export interface RecordedObservation {
  /** The cursor of the event that holds the status's current value: the new one, or the one before. */
  readonly cursor: string;
  /** Whether this observation was a change (and so a new event). */
  readonly changed: boolean;
  /** Observed before the status's last event: an older value than the status has now (not to be told as news). */
  readonly stale?: true;
}

export interface StatusHistory {
  /**
   * Records the observations that change what was last recorded for their status (the first reading included).
   * Undefined for an observation when the store is away: it is buffered and written when the store returns.
   */
  record(observations: readonly StatusObservation[]): Promise<(RecordedObservation | undefined)[]>;
  /** Newest first, older than `before` when given. */
  page(filter: StatusEventFilter, options: { readonly first: number; readonly before?: string }): Promise<StatusEventPage>;
  /** Oldest first, newer than `after`, at most `limit`. */
  replay(filter: StatusEventFilter, after: string, limit: number): Promise<readonly StatusEvent[]>;
  /** The newest cursor written so far (undefined: none yet). */
  latestCursor(): Promise<string | undefined>;
}

/** The history store cannot be reached now; live statuses go on. */
export class HistoryUnavailableError extends Error {
  constructor() {
    super('Status history is unavailable right now (its database cannot be reached); live statuses are unaffected. Try again shortly.');
    this.name = 'HistoryUnavailableError';
  }
}

/**
 * A cursor whose events this history cannot give: from before what retention keeps (the events after it may be gone),
 * or ahead of every event it holds (the cursor came from another store — one reset, replaced, or kept in memory by a
 * process that restarted). Either way the client starts again from the current state.
 */
export class CursorExpiredError extends Error {
  constructor(retentionDays: number, reason: 'pruned' | 'unknown' = 'pruned') {
    super(
      (reason === 'pruned'
        ? `This cursor is older than the history kept (${retentionDays} days); some events after it were pruned. `
        : 'This cursor is ahead of every event in the history kept (the store was reset or replaced). ') +
        'Start again from the current state (subscribe without `after`).',
    );
    this.name = 'CursorExpiredError';
  }
}

/** Not a cursor statusgraph handed out. */
export class InvalidCursorError extends Error {
  constructor() {
    super('Not a valid cursor: pass a cursor from an event or page of this API.');
    this.name = 'InvalidCursorError';
  }
}

/** The API's source name of a watched status. */
export function sourceOf(target: WatchTarget): HistorySource {
  switch (target.kind) {
    case 'fleetwise':
      return 'FLEETWISE_REGISTRATION';
    case 'enrollment':
      return 'COMPUTE_OPTIMIZER_ENROLLMENT';
    case 'creation':
    case 'request':
      return 'CREATION_REQUEST';
  }
}
