// The StatusHistory the domain records into and the API reads from (status/history-port.ts): turns observations
// into events — a change against the last event of its status, the first reading included — one write at a time, so
// two readings of one status never race. The record() calls made until the next turn of the event loop, and while a
// write runs, go out together in one write, in the order they were made: a cold 1,000-account query reads each
// account's status on its own as its answer arrives, and a transaction per reading was a sixth of that query's CPU
// (benchmark 1). The turn matters for SQLite, whose writes finish within the microtasks of the call that made them. While the database is away, observations wait in a bounded buffer (counted)
// and are written, in order, when it answers again; reads answer HistoryUnavailableError meanwhile.
import {
  CursorExpiredError,
  HistoryUnavailableError,
  sourceOf,
  watchKey,
  type RecordedObservation,
  type StatusEvent,
  type StatusEventFilter,
  type StatusEventPage,
  type StatusHistory,
  type StatusObservation,
} from '../status/index.js';
import { type EventLog, parseCursor, type LatestEvent, type NewEvent } from './event-log.js';

/** Observations kept while the database is away; past this the oldest are dropped (and counted). @default 10_000 */
export const DEFAULT_BUFFER_LIMIT = 10_000;
/** How often a buffered backlog tries the database again. @default 1_000 // ms */
const RETRY_MS = 1_000;

export interface RecorderOptions {
  readonly log: EventLog;
  readonly retentionDays: number;
  /** Whether another process may write the same log (PostgreSQL): the latest event of a status is read, not remembered. */
  readonly sharedWriters: boolean;
  readonly bufferLimit?: number;
  /** Told when the database stops or starts answering. */
  readonly onAvailability?: (available: boolean, error?: unknown) => void;
}

export class HistoryRecorder implements StatusHistory {
  private readonly log: EventLog;
  private readonly retentionDays: number;
  private readonly sharedWriters: boolean;
  private readonly bufferLimit: number;
  private readonly onAvailability: (available: boolean, error?: unknown) => void;
  /** The last event of each status this process knows (one writer only). */
  private readonly latestKnown = new Map<string, LatestEvent>();
  private readonly buffer: StatusObservation[] = [];
  private writes: Promise<unknown> = Promise.resolve();
  /** The record() calls waiting for the write in progress, to be written together next (in call order). */
  private nextWrite: PendingRecord[] | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Whether the last database operation succeeded. */
  available = true;
  /** Observations dropped because the buffer was full. */
  dropped = 0;
  private readonly recordedListeners = new Set<(event: StatusEvent) => void>();

  constructor(options: RecorderOptions) {
    this.log = options.log;
    this.retentionDays = options.retentionDays;
    this.sharedWriters = options.sharedWriters;
    this.bufferLimit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
    this.onAvailability = options.onAvailability ?? (() => undefined);
  }

  /** Told of each event once it is written (durable), in cursor order: how live subscribers hear of every change. */
  onRecorded(listener: (event: StatusEvent) => void): () => void {
    this.recordedListeners.add(listener);
    return () => this.recordedListeners.delete(listener);
  }

  /** Observations waiting for the database. */
  get buffered(): number {
    return this.buffer.length;
  }

  record(observations: readonly StatusObservation[]): Promise<(RecordedObservation | undefined)[]> {
    return new Promise((resolve, reject) => {
      if (this.nextWrite) {
        this.nextWrite.push({ observations, resolve, reject });
        return;
      }
      const calls: PendingRecord[] = [{ observations, resolve, reject }];
      this.nextWrite = calls;
      const run = this.writes.then(nextTurn).then(() => {
        // From here on, later calls wait for the write after this one.
        this.nextWrite = undefined;
        return this.recordNow(calls.flatMap((call) => call.observations));
      });
      this.writes = run.catch(() => undefined);
      run.then(
        (answers) => {
          let from = 0;
          for (const call of calls) call.resolve(answers.slice(from, (from += call.observations.length)));
        },
        (error: unknown) => {
          for (const call of calls) call.reject(error);
        },
      );
    });
  }

  async page(filter: StatusEventFilter, options: { readonly first: number; readonly before?: string }): Promise<StatusEventPage> {
    const before = options.before === undefined ? undefined : parseCursor(options.before);
    return this.reading(() => this.log.page(filter, options.first, before));
  }

  async replay(filter: StatusEventFilter, after: string, limit: number): Promise<readonly StatusEvent[]> {
    const from = parseCursor(after);
    return this.reading(async () => {
      const [prunedThrough, latest] = await Promise.all([this.log.prunedThrough(), this.log.latestId()]);
      if (from < prunedThrough) throw new CursorExpiredError(this.retentionDays);
      if (from > (latest ?? 0)) throw new CursorExpiredError(this.retentionDays, 'unknown');
      return this.log.replay(filter, from, limit);
    });
  }

  async latestCursor(): Promise<string | undefined> {
    const id = await this.reading(() => this.log.latestId());
    return id === undefined ? undefined : String(id);
  }

  /** Stops retrying; what is still buffered is given one last try. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.writes;
    if (this.buffer.length > 0) await this.flush().catch(() => undefined);
  }

  private async reading<T>(read: () => Promise<T>): Promise<T> {
    try {
      const value = await read();
      this.setAvailable(true);
      return value;
    } catch (error) {
      if (error instanceof CursorExpiredError) throw error;
      this.setAvailable(false, error);
      throw new HistoryUnavailableError();
    }
  }

  private async recordNow(observations: readonly StatusObservation[]): Promise<(RecordedObservation | undefined)[]> {
    // Order is kept: nothing new is written before the backlog.
    if (this.buffer.length > 0 && !(await this.flush().then(() => true, () => false))) {
      this.hold(observations);
      return observations.map(() => undefined);
    }
    try {
      const answers = await this.write(observations);
      this.setAvailable(true);
      return answers;
    } catch (error) {
      this.setAvailable(false, error);
      this.hold(observations);
      return observations.map(() => undefined);
    }
  }

  /**
   * Writes the changes among these observations in one transaction, in order, each following the latest event of its
   * status; a status another writer changed first is read back, and its observations here are tried once more.
   */
  private async write(observations: readonly StatusObservation[], retry = true): Promise<RecordedObservation[]> {
    const latest = await this.latestOf([...new Set(observations.map((observation) => watchKey(observation.target)))]);
    const answers: (RecordedObservation | undefined)[] = [];
    const changes: { index: number; event: NewEvent }[] = [];
    observations.forEach((observation, index) => {
      const key = watchKey(observation.target);
      const last = latest.get(key);
      if (last && last.current === observation.status) {
        answers[index] = { cursor: String(last.id), changed: false };
        return;
      }
      // Read before the status's last event was seen (a poll round's reading that waited behind a mutation's): no
      // change — recorded, it would take the status back to an older value — and not the status's value now.
      if (last && observation.observedAt.getTime() < last.observedAt) {
        answers[index] = { cursor: String(last.id), changed: false, stale: true };
        return;
      }
      changes.push({ index, event: newEvent(observation, key, last, this.sharedWriters) });
      // A later observation of this status here compares with this one (its id is known once written).
      latest.set(key, { id: Number.NaN, current: observation.status, observedAt: observation.observedAt.getTime() });
    });
    const ids = await this.log.append(changes.map((change) => change.event));
    const lost = new Set<string>();
    const recorded: StatusEvent[] = [];
    changes.forEach(({ index, event }, position) => {
      const id = ids[position];
      if (id === undefined) {
        lost.add(event.key);
        return;
      }
      const written = { id, current: event.current, observedAt: event.observedAt.getTime() };
      if (!this.sharedWriters) this.latestKnown.set(event.key, written);
      answers[index] = { cursor: String(id), changed: true };
      const { followsId: _followsId, ...rest } = event;
      recorded.push({ ...rest, cursor: String(id) });
    });
    // Subscribers hear of the events in cursor order.
    recorded.sort((a, b) => Number(a.cursor) - Number(b.cursor));
    for (const event of recorded) for (const listener of this.recordedListeners) listener(event);
    // Unchanged answers given against an event not yet written point at the one that was.
    observations.forEach((observation, index) => {
      const answer = answers[index];
      if (answer && !answer.changed && answer.cursor === 'NaN') {
        answers[index] = { ...answer, cursor: String(latestIdOf(changes, ids, watchKey(observation.target), index)) };
      }
    });
    if (lost.size > 0) {
      for (const key of lost) this.latestKnown.delete(key);
      const again = observations.flatMap((observation, index) => (lost.has(watchKey(observation.target)) ? [{ observation, index }] : []));
      const retried = retry ? await this.write(again.map((each) => each.observation), false) : [];
      again.forEach(({ index }, position) => (answers[index] = retried[position] ?? { cursor: '0', changed: false }));
    }
    return answers.map((answer) => answer ?? { cursor: '0', changed: false });
  }

  private async latestOf(keys: readonly string[]): Promise<Map<string, LatestEvent>> {
    const found = new Map<string, LatestEvent>();
    const unknown: string[] = [];
    for (const key of keys) {
      const known = this.sharedWriters ? undefined : this.latestKnown.get(key);
      if (known) found.set(key, known);
      else unknown.push(key);
    }
    const read = await this.log.latest(unknown);
    for (const [key, event] of [...read, ...(await this.creatingRequestsOf(unknown.filter((key) => !read.has(key))))]) {
      found.set(key, event);
      if (!this.sharedWriters) this.latestKnown.set(key, event);
    }
    return found;
  }

  /**
   * An account's creation status with no event yet continues the chain of the request that made the account (its
   * events are the account's history): a reading of the state that request already recorded is no new first reading.
   */
  private creatingRequestsOf(keys: readonly string[]): Promise<Map<string, LatestEvent>> {
    const accountIds = keys.flatMap((key) => (key.startsWith('creation:') ? [key.slice('creation:'.length)] : []));
    return this.log.latestOfCreatingRequests(accountIds);
  }

  private hold(observations: readonly StatusObservation[]): void {
    this.buffer.push(...observations);
    const excess = this.buffer.length - this.bufferLimit;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const run = this.writes.then(() => this.flush());
      this.writes = run.then(
        () => this.setAvailable(true),
        (error: unknown) => {
          this.setAvailable(false, error);
          this.scheduleRetry();
        },
      );
    }, RETRY_MS);
    this.retryTimer.unref?.();
  }

  /** Writes the backlog in order; throws (keeping what is left) while the database is still away. */
  private async flush(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, 500);
      await this.write(batch);
      this.buffer.splice(0, batch.length);
    }
  }

  private setAvailable(available: boolean, error?: unknown): void {
    if (this.available === available) return;
    this.available = available;
    // The cache may have missed what another writer did meanwhile.
    if (available) this.latestKnown.clear();
    this.onAvailability(available, error);
  }
}

/** Resolves after the I/O callbacks already due have run (the answers that arrived together). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A record() call waiting for its write: its observations and how to answer it. */
interface PendingRecord {
  readonly observations: readonly StatusObservation[];
  readonly resolve: (answers: (RecordedObservation | undefined)[]) => void;
  readonly reject: (error: unknown) => void;
}

function newEvent(observation: StatusObservation, key: string, last: LatestEvent | undefined, sharedWriters: boolean): NewEvent {
  const { target } = observation;
  // What the observer knows subscribers last heard beats this instance's own log, which saw only its own observations.
  const told = observation.previous !== undefined && (!sharedWriters || last === undefined);
  const accountId = target.kind === 'request' ? observation.accountId : target.accountId;
  return {
    key,
    followsId: last?.id ?? 0,
    target,
    source: sourceOf(target),
    ...(accountId === undefined ? {} : { accountId }),
    ...(target.kind === 'request' ? { requestId: target.requestId } : {}),
    ...(target.kind === 'fleetwise' ? { region: target.region } : {}),
    hasPrevious: told || last !== undefined,
    previous: told ? (observation.previous ?? null) : (last?.current ?? null),
    current: observation.status,
    observedAt: observation.observedAt,
    observedBy: observation.observedBy,
    ...(observation.caller === undefined ? {} : { caller: observation.caller }),
    ...(observation.idempotencyKey === undefined ? {} : { idempotencyKey: observation.idempotencyKey }),
  };
}

/** The id written for the last change of `key` before observation `before` in this batch. */
function latestIdOf(changes: readonly { index: number; event: NewEvent }[], ids: readonly (number | undefined)[], key: string, before: number): number {
  let found = 0;
  changes.forEach(({ index, event }, position) => {
    if (event.key === key && index < before && ids[position] !== undefined) found = ids[position]!;
  });
  return found;
}
