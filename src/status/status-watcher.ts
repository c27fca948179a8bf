// Live status for subscribers: one poller per watched status (source, account, region), shared by every subscriber
// that watches it, started with the first and stopped with the last. Due pollers are polled together through the
// StatusService's batch functions — so 1,000 watched enrollments cost one org-wide scan — and through the same cache
// and rate limiter as queries. Changes go out on the StatusPubSub.
//
// Several instances behind one Redis share the work through PollerLeases: each instance keeps its own watchers, but
// only the holder of a status's lease polls it; the others hear its changes on the PubSub and answer `current()` from
// the shared cache. Mutation pokes travel on the PubSub too, so they reach the holder wherever the mutation ran.
import type { AwsCallErrorInit } from '../aws/errors.js';
import { InProcessPollerLeases, type PollerLeases } from './poller-leases.js';
import type { ObservedBy, StatusHistory } from './history-port.js';
import type { StatusPubSub } from './pubsub.js';
import type { Cached } from './status-cache.js';
import type { BatchResult, StatusService } from './status-service.js';
import { kindOf, watchKey, type WatchTarget } from './watchable-kinds.js';
import { isTransitional } from './ttl.js';
import { isUpstreamFailure, type UpstreamFailure } from './upstream-failure.js';

/** A failure as it travels in a change message: plain data, so it can cross Redis too. */
export type StatusFailure = Pick<AwsCallErrorInit, 'service' | 'operation' | 'code' | 'message' | 'retryable' | 'throttled'>;

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
  /** With history: the cursor of the event holding this value (a stream resumes after it). */
  readonly cursor?: string;
  /** Replayed from history: what observed it, and a mutation's caller and idempotency key. */
  readonly observedBy?: ObservedBy;
  readonly caller?: string;
  readonly idempotencyKey?: string;
  /** A creation request's account, once it names one (replayed request events). */
  readonly accountId?: string;
}

export interface StatusWatcherOptions {
  readonly status: StatusService;
  readonly pubsub: StatusPubSub;
  /** Poll interval while a status is transitional. @default 5_000 // 5 seconds */
  readonly fastMs: number;
  /** Poll interval once it settled. @default 60_000 // 1 minute */
  readonly slowMs: number;
  readonly now?: () => Date;
  /** Which watched statuses this instance polls. @default InProcessPollerLeases: all of them */
  readonly leases?: PollerLeases;
  /** Told when leases could not be claimed (their store is unreachable); polling pauses until a claim succeeds. */
  readonly onLeaseError?: (error: unknown) => void;
  /**
   * Told when a poll failed because of statusgraph itself, not AWS: a bug, to be logged at error level. Subscribers
   * hear nothing of it (no made-up UPSTREAM_UNAVAILABLE event); the poller keeps its last reading and tries again.
   */
  readonly onInternalError?: (error: Error, key: string) => void;
  /** Where polled changes are recorded before they are published (each message then carries its cursor). */
  readonly history?: StatusHistory;
}

/** Pollers due within this window of each other are polled in one batch. @default 250 // ms */
const COALESCE_MS = 250;

/** Where mutation pokes travel between instances when leases are shared. */
const POKE_TOPIC = 'watcher:poke';
/** Where the ids of accounts that joined the organization travel, to the whole-organization streams of every instance. */
const ACCOUNTS_JOINED_TOPIC = 'org:accounts-joined';

/** A reading: a status, or a failure. */
type Reading = { readonly status: string | null; readonly fetchedAt: Date } | { readonly failure: StatusFailure };

interface PollerState {
  readonly key: string;
  readonly target: WatchTarget;
  refs: number;
  dueAt: number;
  intervalMs: number;
  inFlight: boolean;
  /** Whether this instance holds the lease: it polls only then. Always true without shared leases. */
  owned: boolean;
  /** The last reading of this instance's own polls (since it took the lease). */
  last?: Reading;
  /** Resolved with the first reading, for subscribers that arrive before it (unshared leases). */
  readonly firstReading: Promise<StatusChangeMessage>;
  resolveFirst: (message: StatusChangeMessage) => void;
  /** Shared leases: the newest change heard on the PubSub for this status, from whichever instance polls it. */
  heard?: StatusChangeMessage;
  heardCount: number;
  /** Shared leases: the listener that keeps `heard`, removed with the last watcher. */
  stopHearing?: Promise<() => Promise<void>>;
  /** A `current()` read through the StatusService in progress, shared by the watchers that ask meanwhile. */
  reading?: Promise<StatusChangeMessage>;
  /** Shared leases: a change whose publication failed (Redis away), sent again after the next successful claim. */
  unsent?: StatusChangeMessage;
  /** Publications started, so a late failure of an older one does not bring it back over a newer one. */
  published: number;
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
  private readonly leases: PollerLeases;
  private readonly onLeaseError: (error: unknown) => void;
  private readonly onInternalError: (error: Error, key: string) => void;
  private readonly history: StatusHistory | undefined;
  /** Recordings in the order their changes were seen, so publications keep that order. */
  private recording: Promise<unknown> = Promise.resolve();
  private readonly pollers = new Map<string, PollerState>();
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private closed = false;
  private readonly stopListening: () => void;
  private readonly stopJoined: () => void;
  /** The topic status-stream.ts listens on for accounts that joined the organization (a list of account ids). */
  readonly accountsJoinedTopic = ACCOUNTS_JOINED_TOPIC;
  /** Shared leases: until when the leases of the last successful claim are certainly ours. */
  private leaseValidUntil: number;
  private leaseTimer: NodeJS.Timeout | undefined;
  private claimRunning = false;
  private claimAgain = false;
  private claimSoon: NodeJS.Immediate | undefined;
  private stopPokes: Promise<() => Promise<void>> | undefined;
  private stopReconnects: (() => void) | undefined;

  constructor(options: StatusWatcherOptions) {
    this.status = options.status;
    this.pubsub = options.pubsub;
    this.fastMs = options.fastMs;
    this.slowMs = options.slowMs;
    this.now = options.now ?? (() => new Date());
    this.leases = options.leases ?? new InProcessPollerLeases();
    this.onLeaseError = options.onLeaseError ?? (() => undefined);
    this.onInternalError = options.onInternalError ?? (() => undefined);
    this.history = options.history;
    this.stopJoined = this.status.onAccountsJoined((accounts) => {
      this.pubsub.publish(ACCOUNTS_JOINED_TOPIC, accounts.map((account) => account.id)).catch(() => undefined);
    });
    if (!this.leases.shared) {
      this.leaseValidUntil = Number.POSITIVE_INFINITY;
      this.stopListening = this.status.onStatusChanged((targets) => this.poke(targets));
      return;
    }
    this.leaseValidUntil = Number.NEGATIVE_INFINITY;
    // The holder of a poked status may be another instance: pokes go through the PubSub, to every instance.
    this.stopListening = this.status.onStatusChanged((targets) => {
      this.pubsub.publish(POKE_TOPIC, targets).catch(() => undefined);
    });
    this.stopPokes = this.pubsub.subscribe(POKE_TOPIC, (targets) => this.poke(targets as WatchTarget[]));
    this.stopPokes.catch(() => undefined);
    // Back from an outage: claim at once rather than at the next renewal, and send what could not be sent.
    this.stopReconnects = this.leases.onReconnect?.(() => void this.claimLeases());
    this.leaseTimer = setInterval(() => void this.claimLeases(), this.leases.renewEveryMs);
    this.leaseTimer.unref?.();
  }

  /** Number of watched statuses (one poller each, here or on the instance that holds its lease). */
  get size(): number {
    return this.pollers.size;
  }

  /** Number of watched statuses this instance polls now: all of them without shared leases. */
  get polling(): number {
    let count = 0;
    for (const state of this.pollers.values()) if (this.mayPoll(state)) count += 1;
    return count;
  }

  topicOf(target: WatchTarget): string {
    return `status:${watchKey(target)}`;
  }

  watch(target: WatchTarget): Watch {
    const key = watchKey(target);
    let state = this.pollers.get(key);
    if (!state) {
      state = this.newPoller(key, target);
      this.pollers.set(key, state);
      if (this.leases.shared) this.claimLeasesSoon();
      else this.schedule(state.dueAt);
    }
    state.refs += 1;
    const watched = state;
    let released = false;
    return {
      key,
      current: () => this.current(watched),
      release: () => {
        if (released) return;
        released = true;
        watched.refs -= 1;
        if (watched.refs === 0 && this.pollers.get(key) === watched) this.forget(watched);
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

  /** Stops polling and gives up this instance's leases, so another instance takes them at its next claim. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.stopJoined();
    this.stopReconnects?.();
    clearTimeout(this.timer);
    clearInterval(this.leaseTimer);
    if (this.claimSoon) clearImmediate(this.claimSoon);
    const states = [...this.pollers.values()];
    this.pollers.clear();
    const held = states.filter((state) => state.owned).map((state) => state.key);
    await Promise.allSettled([
      ...(this.leases.shared && held.length > 0 ? [this.leases.release(held)] : []),
      ...states.map((state) => stopListener(state.stopHearing)),
      stopListener(this.stopPokes),
    ]);
  }

  private newPoller(key: string, target: WatchTarget): PollerState {
    let resolveFirst!: (message: StatusChangeMessage) => void;
    const firstReading = new Promise<StatusChangeMessage>((resolve) => (resolveFirst = resolve));
    const state: PollerState = {
      key,
      target,
      refs: 0,
      dueAt: this.now().getTime(),
      intervalMs: this.fastMs,
      inFlight: false,
      owned: !this.leases.shared,
      firstReading,
      resolveFirst,
      heardCount: 0,
      published: 0,
    };
    if (this.leases.shared) {
      state.stopHearing = this.pubsub.subscribe(this.topicOf(target), (message) => {
        state.heard = message as StatusChangeMessage;
        state.heardCount += 1;
        state.resolveFirst(state.heard);
      });
      state.stopHearing.catch(() => undefined);
    }
    return state;
  }

  private forget(state: PollerState): void {
    this.pollers.delete(state.key);
    void stopListener(state.stopHearing);
    if (this.leases.shared && state.owned) this.leases.release([state.key]).catch(() => undefined);
  }

  private mayPoll(state: PollerState): boolean {
    return state.owned && this.now().getTime() < this.leaseValidUntil;
  }

  /**
   * The current reading. The poller's own when this instance polls and has read it; otherwise read through the
   * StatusService (the shared cache, normally filled by the holder's last poll) — unless a change was heard while
   * that read was under way, which is newer than what the read may have found.
   */
  private current(state: PollerState): Promise<StatusChangeMessage> {
    if (!this.leases.shared) return state.last ? Promise.resolve(this.messageOf(state)) : state.firstReading;
    if (this.mayPoll(state) && state.last) return Promise.resolve(this.messageOf(state));
    if (!state.reading) {
      const heardBefore = state.heardCount;
      state.reading = this.readOne(state)
        .then((message) => (state.heardCount !== heardBefore && state.heard ? state.heard : message))
        .finally(() => (state.reading = undefined));
    }
    return state.reading;
  }

  private async readOne(state: PollerState): Promise<StatusChangeMessage> {
    let result: BatchResult<unknown>;
    try {
      [result = new Error('no reading')] = await this.read([state.target]);
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error));
    }
    if (result instanceof Error && !isUpstreamFailure(result)) {
      // Not a reading: logged, and the watcher waits for the first one polled or heard instead.
      this.onInternalError(result, state.key);
      return state.firstReading;
    }
    return this.messageFor(state.target, this.readingOf(state.target, result));
  }

  private claimLeasesSoon(): void {
    if (this.claimSoon || this.closed) return;
    // One claim for all the statuses a new subscription watches, not one each.
    this.claimSoon = setImmediate(() => {
      this.claimSoon = undefined;
      void this.claimLeases();
    });
  }

  /**
   * Renews the leases held and tries to take the free ones of every watched status. A status newly held (or held
   * again after the leases lapsed) is polled at once, and its first reading is published: the previous holder may
   * have died between seeing a change and publishing it, and subscribers drop a reading they already have.
   */
  private async claimLeases(): Promise<void> {
    if (this.claimRunning) {
      this.claimAgain = true;
      return;
    }
    this.claimRunning = true;
    try {
      do {
        this.claimAgain = false;
        const keys = [...this.pollers.keys()];
        if (keys.length === 0) break;
        const lapsed = this.now().getTime() >= this.leaseValidUntil;
        let claim;
        try {
          claim = await this.leases.claim(keys);
        } catch (error) {
          this.onLeaseError(error);
          break;
        }
        if (this.closed) return;
        this.leaseValidUntil = claim.validUntil;
        const now = this.now().getTime();
        for (const [key, state] of this.pollers) {
          const holds = claim.held.has(key);
          if (holds && (!state.owned || lapsed)) {
            state.owned = true;
            state.last = undefined;
            state.intervalMs = this.fastMs;
            state.dueAt = now;
          } else if (!holds) {
            state.owned = false;
          }
        }
        for (const state of this.pollers.values()) if (state.unsent && state.owned) this.publish(state, state.unsent);
        // Released while the claim was on its way: give those back.
        const orphans = [...claim.held].filter((key) => !this.pollers.has(key));
        if (orphans.length > 0) this.leases.release(orphans).catch(() => undefined);
        this.scheduleNext();
      } while (this.claimAgain && !this.closed);
    } finally {
      this.claimRunning = false;
    }
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
    const due = [...this.pollers.values()].filter((state) => !state.inFlight && state.dueAt <= horizon && this.mayPoll(state));
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
    for (const state of this.pollers.values()) {
      if (!state.inFlight && state.dueAt < earliest && this.mayPoll(state)) earliest = state.dueAt;
    }
    if (earliest < Number.POSITIVE_INFINITY) this.schedule(earliest);
  }

  /** One batch for pollers of one kind; each poller gets its own value or failure. */
  private async poll(states: readonly PollerState[]): Promise<void> {
    let results: BatchResult<unknown>[];
    try {
      await this.status.expireSeen(
        states.flatMap((state) =>
          state.last && 'fetchedAt' in state.last ? [{ target: state.target, seenFetchedAt: state.last.fetchedAt }] : [],
        ),
      );
      results = await this.read(states.map((state) => state.target));
    } catch (error) {
      results = states.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    states.forEach((state, index) => {
      state.inFlight = false;
      this.record(state, results[index]!);
    });
  }

  private read(targets: readonly WatchTarget[]): Promise<BatchResult<unknown>[]> {
    // Due pollers are grouped by kind (tick), so one table entry reads them all.
    return kindOf(targets[0]!).read(this.status, targets);
  }

  private record(state: PollerState, result: BatchResult<unknown>): void {
    const now = this.now();
    if (result instanceof Error && !isUpstreamFailure(result)) {
      // Ours, not AWS's: logged as the bug it is, and nothing goes out; the poller tries again as if throttled.
      this.onInternalError(result, state.key);
      state.intervalMs = Math.min(Math.max(state.intervalMs * 2, this.fastMs), this.slowMs);
      state.dueAt = now.getTime() + state.intervalMs;
      return;
    }
    const previous = state.last;
    const reading = this.readingOf(state.target, result);
    state.last = reading;
    if ('failure' in reading) {
      const { failure } = reading;
      state.intervalMs = failure.throttled || failure.retryable
        ? Math.min(Math.max(state.intervalMs * 2, this.fastMs), this.slowMs)
        : this.slowMs;
    } else {
      state.intervalMs = isTransitional(reading.status) ? this.fastMs : this.slowMs;
    }
    state.dueAt = now.getTime() + state.intervalMs;
    const current = this.pollers.get(state.key) === state;
    if (!previous) {
      state.resolveFirst(this.messageOf(state));
      // A first reading after taking a lease goes out (see claimLeases), against the last change heard if it differs.
      if (this.leases.shared && current) {
        const heard = state.heard ? readingOfMessage(state.heard) : undefined;
        const since = heard && !sameReading(heard, reading) ? heard : undefined;
        this.deliver(state, this.messageOf(state, since));
      } else if (this.history && current) {
        // It may be a change history has not seen (made while nobody watched): a resumed stream must hear of it.
        this.deliver(state, this.messageOf(state));
      }
      return;
    }
    if (!sameReading(previous, reading) && current) this.deliver(state, this.messageOf(state, previous));
  }

  /** Records a change in history (durable first), then publishes it with its cursor; failures are not history. */
  private deliver(state: PollerState, message: StatusChangeMessage): void {
    const { history } = this;
    if (!history || message.failure) {
      this.publish(state, message);
      return;
    }
    const observation = { target: state.target, status: message.current ?? null, observedAt: new Date(message.changedAt), observedBy: 'poll' as const };
    const recorded = this.recording.then(() => history.record([observation]));
    this.recording = recorded.catch(() => undefined);
    void recorded.then(
      ([answer]) => this.publish(state, answer ? { ...message, cursor: answer.cursor } : message),
      () => this.publish(state, message),
    );
  }

  /** Publishes a change; with shared leases, one that did not reach Redis is kept to be sent again. */
  private publish(state: PollerState, message: StatusChangeMessage): void {
    const publication = ++state.published;
    state.unsent = undefined;
    this.pubsub.publish(this.topicOf(state.target), message).catch(() => {
      if (this.leases.shared && this.pollers.get(state.key) === state && state.published === publication) state.unsent = message;
    });
  }

  private readingOf(target: WatchTarget, result: BatchResult<unknown>): Reading {
    return result instanceof Error
      ? { failure: toFailure(result as UpstreamFailure) }
      : { status: statusOf(target, result), fetchedAt: result.fetchedAt };
  }

  private messageOf(state: PollerState, previous?: Reading): StatusChangeMessage {
    return this.messageFor(state.target, state.last!, previous);
  }

  private messageFor(target: WatchTarget, reading: Reading, previous?: Reading): StatusChangeMessage {
    const base = {
      key: watchKey(target),
      target,
      changedAt: this.now().toISOString(),
      ...(previous && 'status' in previous ? { previous: previous.status } : {}),
    };
    return 'failure' in reading ? { ...base, failure: reading.failure } : { ...base, current: reading.status };
  }
}

/** The reading a change message carries (its changedAt stands in for when it was read). */
function readingOfMessage(message: StatusChangeMessage): Reading | undefined {
  if (message.failure) return { failure: message.failure };
  if (message.current === undefined) return undefined;
  return { status: message.current, fetchedAt: new Date(message.changedAt) };
}

async function stopListener(subscription: Promise<() => Promise<void>> | undefined): Promise<void> {
  if (!subscription) return;
  const unsubscribe = await subscription.catch(() => undefined);
  await unsubscribe?.().catch(() => undefined);
}

/** The raw AWS status a reading stands for; null when there is none (never registered, no creation request). */
function statusOf(target: WatchTarget, result: Cached<unknown>): string | null {
  return result.value == null ? null : kindOf(target).statusOf(result.value as never);
}

function sameReading(a: Reading, b: Reading): boolean {
  if ('failure' in a || 'failure' in b) {
    return 'failure' in a && 'failure' in b && a.failure.code === b.failure.code;
  }
  return a.status === b.status;
}

/** What a change message says of a failed AWS call (record() keeps statusgraph's own failures out of messages). */
function toFailure(error: UpstreamFailure): StatusFailure {
  return {
    service: error.service,
    operation: error.operation,
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    throttled: error.throttled,
  };
}

