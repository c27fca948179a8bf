// Live status for subscribers: one poller per watched status (source, account, region), shared by every subscriber
// that watches it, started with the first and stopped with the last. Due pollers are polled together through the
// StatusService's batch functions — so 1,000 watched enrollments cost one org-wide scan — and through the same cache
// and rate limiter as queries. Changes go out on the StatusPubSub.
import { AwsCallError } from '../aws/errors.js';
import type { StatusPubSub } from './pubsub.js';
import type { Cached } from './status-cache.js';
import { watchKey, type BatchResult, type StatusService, type WatchTarget } from './status-service.js';
import { isTransitional } from './ttl.js';

/** A failure as it travels in a change message: plain data, so it can cross Redis too. */
export interface StatusFailure {
  readonly service: string;
  readonly operation: string;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly throttled: boolean;
}

/** What subscribers receive: JSON-safe, so every PubSub implementation can carry it. */
export interface StatusChangeMessage {
  readonly key: string;
  readonly target: WatchTarget;
  /** The raw AWS status before the change; null = none (never registered, no request); undefined = first reading. */
  readonly previous?: string | null;
  /** The raw AWS status now; null = none. Absent when `failure` is set. */
  readonly current?: string | null;
  readonly failure?: StatusFailure;
  /** ISO-8601 time the change was seen. */
  readonly changedAt: string;
}

export interface StatusWatcherOptions {
  readonly status: StatusService;
  readonly pubsub: StatusPubSub;
  /** Poll interval while a status is transitional. @default 5_000 // 5 seconds */
  readonly fastMs: number;
  /** Poll interval once it settled. @default 60_000 // 1 minute */
  readonly slowMs: number;
  readonly now?: () => Date;
}

/** Pollers due within this window of each other are polled in one batch. @default 250 // ms */
const COALESCE_MS = 250;

interface PollerState {
  readonly target: WatchTarget;
  refs: number;
  dueAt: number;
  intervalMs: number;
  inFlight: boolean;
  /** The last reading: a status, or a failure. */
  last?: { readonly status: string | null; readonly fetchedAt: Date } | { readonly failure: StatusFailure };
  /** Resolved with the first reading, for subscribers that arrive before it. */
  readonly firstReading: Promise<StatusChangeMessage>;
  resolveFirst: (message: StatusChangeMessage) => void;
}

export interface Watch {
  readonly key: string;
  /** The current reading: immediate when the poller has one, otherwise after its first poll. */
  current(): Promise<StatusChangeMessage>;
  /** Stops watching; the poller stops with its last watcher. */
  release(): void;
}

export class StatusWatcher {
  private readonly status: StatusService;
  private readonly pubsub: StatusPubSub;
  private readonly fastMs: number;
  private readonly slowMs: number;
  private readonly now: () => Date;
  private readonly pollers = new Map<string, PollerState>();
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private closed = false;
  private readonly stopListening: () => void;

  constructor(options: StatusWatcherOptions) {
    this.status = options.status;
    this.pubsub = options.pubsub;
    this.fastMs = options.fastMs;
    this.slowMs = options.slowMs;
    this.now = options.now ?? (() => new Date());
    this.stopListening = this.status.onStatusChanged((targets) => this.poke(targets));
  }

  /** Number of running pollers (one per watched status). */
  get size(): number {
    return this.pollers.size;
  }

  topicOf(target: WatchTarget): string {
    return `status:${watchKey(target)}`;
  }

  watch(target: WatchTarget): Watch {
    const key = watchKey(target);
    let state = this.pollers.get(key);
    if (!state) {
      let resolveFirst!: (message: StatusChangeMessage) => void;
      const firstReading = new Promise<StatusChangeMessage>((resolve) => (resolveFirst = resolve));
      state = { target, refs: 0, dueAt: this.now().getTime(), intervalMs: this.fastMs, inFlight: false, firstReading, resolveFirst };
      this.pollers.set(key, state);
      this.schedule(state.dueAt);
    }
    state.refs += 1;
    const owned = state;
    let released = false;
    return {
      key,
      current: () => (owned.last ? Promise.resolve(this.messageOf(owned)) : owned.firstReading),
      release: () => {
        if (released) return;
        released = true;
        owned.refs -= 1;
        if (owned.refs === 0 && this.pollers.get(key) === owned) this.pollers.delete(key);
      },
    };
  }

  /** Polls these targets now (a mutation changed them), if anyone watches them. */
  poke(targets: readonly WatchTarget[]): void {
    const now = this.now().getTime();
    for (const target of targets) {
      const state = this.pollers.get(watchKey(target));
      if (state) state.dueAt = now;
    }
    this.schedule(now);
  }

  close(): void {
    this.closed = true;
    this.stopListening();
    clearTimeout(this.timer);
    this.pollers.clear();
  }

  private schedule(dueAt: number): void {
    if (this.closed || dueAt >= this.timerDueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, dueAt - this.now().getTime()));
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timerDueAt = Number.POSITIVE_INFINITY;
    const horizon = this.now().getTime() + COALESCE_MS;
    const due = [...this.pollers.values()].filter((state) => !state.inFlight && state.dueAt <= horizon);
    for (const state of due) state.inFlight = true;
    this.scheduleNext();
    if (due.length > 0) {
      const byKind = new Map<WatchTarget['kind'], PollerState[]>();
      for (const state of due) byKind.set(state.target.kind, [...(byKind.get(state.target.kind) ?? []), state]);
      await Promise.all([...byKind.values()].map((states) => this.poll(states)));
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const state of this.pollers.values()) if (!state.inFlight && state.dueAt < earliest) earliest = state.dueAt;
    if (earliest < Number.POSITIVE_INFINITY) this.schedule(earliest);
  }

  /** One batch for pollers of one kind; each poller gets its own value or failure. */
  private async poll(states: readonly PollerState[]): Promise<void> {
    this.status.expireSeen(
      states.flatMap((state) =>
        state.last && 'fetchedAt' in state.last ? [{ target: state.target, seenFetchedAt: state.last.fetchedAt }] : [],
      ),
    );
    let results: BatchResult<unknown>[];
    try {
      results = await this.read(states.map((state) => state.target));
    } catch (error) {
      results = states.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    states.forEach((state, index) => {
      state.inFlight = false;
      this.record(state, results[index]!);
    });
  }

  private async read(targets: readonly WatchTarget[]): Promise<BatchResult<unknown>[]> {
    const first = targets[0]!;
    switch (first.kind) {
      case 'fleetwise':
        return this.status.fleetwiseRegistrations(targets as Extract<WatchTarget, { kind: 'fleetwise' }>[]);
      case 'enrollment':
        return this.status.enrollments(targets.map((target) => (target as { accountId: string }).accountId));
      case 'request':
        return this.status.creationRequests(targets.map((target) => (target as { requestId: string }).requestId));
      case 'creation': {
        const ids = targets.map((target) => (target as { accountId: string }).accountId);
        const accounts = await this.status.accounts(ids);
        const known = accounts.flatMap((result) => (result instanceof Error || !result.value ? [] : [result.value]));
        const requests = await this.status.creationRequestsForAccounts(known);
        const byId = new Map<string, BatchResult<unknown>>(known.map((account, index) => [account.id, requests[index]!]));
        return accounts.map((result, index): BatchResult<unknown> => {
          if (result instanceof Error) return result;
          return byId.get(ids[index]!) ?? { value: null, fetchedAt: result.fetchedAt };
        });
      }
    }
  }

  private record(state: PollerState, result: BatchResult<unknown>): void {
    const key = watchKey(state.target);
    const now = this.now();
    const previous = state.last;
    if (result instanceof Error) {
      const failure = toFailure(result);
      state.last = { failure };
      state.intervalMs = failure.throttled || failure.retryable
        ? Math.min(Math.max(state.intervalMs * 2, this.fastMs), this.slowMs)
        : this.slowMs;
    } else {
      const status = statusOf(state.target, result);
      state.last = { status, fetchedAt: result.fetchedAt };
      state.intervalMs = isTransitional(status) ? this.fastMs : this.slowMs;
    }
    state.dueAt = now.getTime() + state.intervalMs;
    const message = this.messageOf(state, previous);
    if (!previous) {
      state.resolveFirst(message);
      return;
    }
    if (!sameReading(previous, state.last) && this.pollers.get(key) === state) {
      void this.pubsub.publish(this.topicOf(state.target), message).catch(() => undefined);
    }
  }

  private messageOf(state: PollerState, previous?: PollerState['last']): StatusChangeMessage {
    const last = state.last!;
    const base = {
      key: watchKey(state.target),
      target: state.target,
      changedAt: this.now().toISOString(),
      ...(previous && 'status' in previous ? { previous: previous.status } : {}),
    };
    return 'failure' in last ? { ...base, failure: last.failure } : { ...base, current: last.status };
  }
}

/** The raw AWS status a reading stands for; null when there is none (never registered, no creation request). */
function statusOf(target: WatchTarget, result: Cached<unknown>): string | null {
  const value = result.value as Record<string, unknown> | null;
  if (!value) return null;
  switch (target.kind) {
    case 'fleetwise':
      return String(value.accountStatus);
    case 'enrollment':
      return String(value.status);
    case 'creation':
    case 'request':
      return String(value.state);
  }
}

function sameReading(a: NonNullable<PollerState['last']>, b: NonNullable<PollerState['last']>): boolean {
  if ('failure' in a || 'failure' in b) {
    return 'failure' in a && 'failure' in b && a.failure.code === b.failure.code;
  }
  return a.status === b.status;
}

function toFailure(error: Error): StatusFailure {
  if (error instanceof AwsCallError) {
    return {
      service: error.service,
      operation: error.operation,
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      throttled: error.throttled,
    };
  }
  return { service: 'statusgraph', operation: 'poll', code: 'InternalError', message: 'Internal error.', retryable: true, throttled: false };
}

