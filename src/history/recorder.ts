// The StatusHistory the domain records into and the API reads from (status/history-port.ts): turns observations
// into events — a change against the last event of its status, the first reading included — one write at a time, so
// two readings of one status never race. While the database is away, observations wait in a bounded buffer (counted)
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
    const run = this.writes.then(() => this.recordNow(observations));
    this.writes = run.catch(() => undefined);
    return run;
  }

  async page(filter: StatusEventFilter, options: { readonly first: number; readonly before?: string }): Promise<StatusEventPage> {
    const before = options.before === undefined ? undefined : parseCursor(options.before);
    return this.reading(() => this.log.page(filter, options.first, before));
  }

  async replay(filter: StatusEventFilter, after: string, limit: number): Promise<readonly StatusEvent[]> {
    const from = parseCursor(after);
    return this.reading(async () => {
      if (from < (await this.log.prunedThrough())) throw new CursorExpiredError(this.retentionDays);
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
   * Writes the changes among these observations, in order, each following the latest event of its status; a change
   * another writer recorded first is read back instead.
   */
  private async write(observations: readonly StatusObservation[]): Promise<RecordedObservation[]> {
    const latest = await this.latestOf([...new Set(observations.map((observation) => watchKey(observation.target)))]);
    const answers: RecordedObservation[] = [];
    for (const observation of observations) {
      const key = watchKey(observation.target);
      const last = latest.get(key);
      if (last && last.current === observation.status) {
        answers.push({ cursor: String(last.id), changed: false });
        continue;
      }
      const event = newEvent(observation, key, last);
      const [id] = await this.log.append([event]);
      if (id === undefined) {
        this.latestKnown.delete(key);
        const reread = (await this.latestOf([key])).get(key)!;
        latest.set(key, reread);
        answers.push({ cursor: String(reread.id), changed: false });
        continue;
      }
      const written = { id, current: event.current };
      latest.set(key, written);
      if (!this.sharedWriters) this.latestKnown.set(key, written);
      answers.push({ cursor: String(id), changed: true });
      const { followsId: _followsId, ...recorded } = event;
      for (const listener of this.recordedListeners) listener({ ...recorded, cursor: String(id) });
    }
    return answers;
  }

  private async latestOf(keys: readonly string[]): Promise<Map<string, LatestEvent>> {
    const found = new Map<string, LatestEvent>();
    const unknown: string[] = [];
    for (const key of keys) {
      const known = this.sharedWriters ? undefined : this.latestKnown.get(key);
      if (known) found.set(key, known);
      else unknown.push(key);
    }
    for (const [key, event] of await this.log.latest(unknown)) {
      found.set(key, event);
      if (!this.sharedWriters) this.latestKnown.set(key, event);
    }
    return found;
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

function newEvent(observation: StatusObservation, key: string, last: LatestEvent | undefined): NewEvent {
  const { target } = observation;
  const accountId = target.kind === 'request' ? observation.accountId : target.accountId;
  return {
    key,
    followsId: last?.id ?? 0,
    target,
    source: sourceOf(target),
    ...(accountId === undefined ? {} : { accountId }),
    ...(target.kind === 'request' ? { requestId: target.requestId } : {}),
    ...(target.kind === 'fleetwise' ? { region: target.region } : {}),
    hasPrevious: last !== undefined,
    previous: last?.current ?? null,
    current: observation.status,
    observedAt: observation.observedAt,
    observedBy: observation.observedBy,
    ...(observation.caller === undefined ? {} : { caller: observation.caller }),
    ...(observation.idempotencyKey === undefined ? {} : { idempotencyKey: observation.idempotencyKey }),
  };
}
