// Live status for subscribers: one poller per watched status (source, account, region), shared by every subscriber
// that watches it, started with the first and stopped with the last. Due pollers are polled together through the
// StatusService's batch functions — so 1,000 watched enrollments cost one org-wide scan — and through the same cache
// and rate limiter as queries (when: poll-schedule.ts). Changes go out on the StatusPubSub (change-messages.ts: what;
// change-publisher.ts: how).
//
// Several instances behind one Redis share the work through the PollerLeases port (poller-leases.ts; the watcher knows
// no lease store): each instance keeps its own watchers, but only the holder of a status's lease polls it; the others
// hear its changes on the PubSub and answer `current()` from the shared cache. Mutation pokes travel on the PubSub too,
// so they reach the holder wherever the mutation ran. A new holder's first change is told against the last change
// published, by any holder, so its `previous` is the value subscribers last had.
import {
  messageFor,
  newest,
  readingOf,
  readingOfMessage,
  sameReading,
  type Reading,
  type StatusChangeMessage,
  type StatusFailure,
} from './change-messages.js';
import type { StatusHistory } from './history-port.js';
import { ChangePublisher, type PublishingPoller } from './change-publisher.js';
import { PollSchedule } from './poll-schedule.js';
import { InProcessPollerLeases, type PollerLeases } from './poller-leases.js';
import type { StatusPubSub } from './pubsub.js';
import type { BatchResult, StatusService } from './status-service.js';
import { kindOf, watchKey, type WatchTarget } from './watchable-kinds.js';
import { isUpstreamFailure } from './upstream-failure.js';

export type { StatusChangeMessage, StatusFailure };

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

/** Where mutation pokes travel between instances when leases are shared. */
const POKE_TOPIC = 'watcher:poke';
/** Where ids travel to the whole-organization streams of every instance: accounts that joined, requests followed. */
const [ACCOUNTS_JOINED_TOPIC, CREATIONS_FOLLOWED_TOPIC] = ['org:accounts-joined', 'org:creations-followed'];

interface PollerState extends PublishingPoller {
  refs: number;
  dueAt: number;
  intervalMs: number;
  inFlight: boolean;
  /** The last reading of this instance's own polls (since it took the lease). */
  last?: Reading;
  /** When the newest value this poller read was fetched, kept through failures: the poll after an outage looks past it. */
  seenFetchedAt?: Date;
  /** Resolved with the first reading, for subscribers that arrive before it (unshared leases). */
  readonly firstReading: Promise<StatusChangeMessage>;
  resolveFirst: (message: StatusChangeMessage) => void;
  /** Shared leases: the newest change heard on the PubSub for this status, from whichever instance polls it. */
  heard?: StatusChangeMessage;
  /** Shared leases: the last change published when this instance took the lease (from the lease store). */
  handedOver?: StatusChangeMessage;
  heardCount: number;
  /** Shared leases: the listener that keeps `heard`, removed with the last watcher. */
  stopHearing?: Promise<() => Promise<void>>;
  /** A `current()` read through the StatusService in progress, shared by the watchers that ask meanwhile. */
  reading?: Promise<StatusChangeMessage>;
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
  private readonly now: () => Date;
  private readonly leases: PollerLeases;
  private readonly schedule: PollSchedule<PollerState>;
  private readonly onInternalError: (error: Error, key: string) => void;
  private readonly history: StatusHistory | undefined;
  private readonly publisher: ChangePublisher;
  private readonly pollers = new Map<string, PollerState>();
  private closed = false;
  private readonly stopListening: () => void;
  private readonly stopJoined: () => void;
  private readonly stopFollowed: () => void;
  /** Topics status-stream.ts listens on: accounts that joined the organization, creation requests followed by id. */
  readonly accountsJoinedTopic = ACCOUNTS_JOINED_TOPIC;
  readonly creationsFollowedTopic = CREATIONS_FOLLOWED_TOPIC;
  /** How often a settled status is polled: what else follows the organization (filter-membership.ts) keeps that pace. */
  readonly settledIntervalMs: number;
  private stopPokes: Promise<() => Promise<void>> | undefined;

  constructor(options: StatusWatcherOptions) {
    this.status = options.status;
    this.pubsub = options.pubsub;
    this.now = options.now ?? (() => new Date());
    this.onInternalError = options.onInternalError ?? (() => undefined);
    this.history = options.history;
    this.settledIntervalMs = options.slowMs;
    this.schedule = new PollSchedule<PollerState>({
      fastMs: options.fastMs,
      slowMs: options.slowMs,
      now: this.now,
      pollers: () => this.pollers.values(),
      mayPoll: (state) => this.mayPoll(state),
      poll: (states) => this.poll(states),
    });
    this.leases = options.leases ?? new InProcessPollerLeases();
    this.publisher = new ChangePublisher({
      pubsub: this.pubsub,
      leases: this.leases,
      history: this.history,
      stillWatched: (state) => this.pollers.get(state.key) === state,
    });
    this.leases.start({
      gained: (keys, lastPublished) => this.gained(keys, lastPublished),
      claimed: () => this.sendUnsent(),
      failed: options.onLeaseError ?? (() => undefined),
    });
    const relay = (topic: string) => (ids: readonly string[]) => void this.pubsub.publish(topic, ids).catch(() => undefined);
    this.stopJoined = this.status.onAccountsJoined((accounts) => relay(ACCOUNTS_JOINED_TOPIC)(accounts.map((account) => account.id)));
    this.stopFollowed = this.status.onCreationsFollowed(relay(CREATIONS_FOLLOWED_TOPIC));
    if (!this.leases.shared) {
      this.stopListening = this.status.onStatusChanged((targets) => this.poke(targets));
      return;
    }
    // The holder of a poked status may be another instance: pokes go through the PubSub, to every instance.
    this.stopListening = this.status.onStatusChanged((targets) => {
      this.pubsub.publish(POKE_TOPIC, targets).catch(() => undefined);
    });
    this.stopPokes = this.pubsub.subscribe(POKE_TOPIC, (targets) => this.poke(targets as WatchTarget[]));
    this.stopPokes.catch(() => undefined);
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

  /** Number of polls under way now (a poll asked for meanwhile follows it): tests wait for 0 before changing AWS. */
  get pollsInFlight(): number {
    let count = 0;
    for (const state of this.pollers.values()) if (state.inFlight) count += 1;
    return count;
  }

  /** The creation requests followed by id now (a whole-organization stream that opens polls them). */
  creationsFollowed = (): Promise<readonly string[]> => this.status.creationsFollowed();

  topicOf(target: WatchTarget): string {
    return `status:${watchKey(target)}`;
  }

  watch(target: WatchTarget): Watch {
    const key = watchKey(target);
    let state = this.pollers.get(key);
    if (!state) {
      state = this.newPoller(key, target);
      this.pollers.set(key, state);
      this.leases.want(key);
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
      if (state) this.schedule.poke(state, now);
    }
    this.schedule.schedule(now);
  }

  /** Stops polling and gives up this instance's leases, so another instance takes them at its next claim. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.stopJoined();
    this.stopFollowed();
    this.schedule.stop();
    const states = [...this.pollers.values()];
    this.pollers.clear();
    await Promise.allSettled([
      this.leases.close(),
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
      intervalMs: this.schedule.fastMs,
      inFlight: false,
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
    this.leases.drop(state.key);
  }

  private mayPoll(state: PollerState): boolean {
    return this.leases.holds(state.key);
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
      [result = new Error('no reading')] = await this.read(this.status, [state.target]);
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error));
    }
    if (result instanceof Error && !isUpstreamFailure(result)) {
      // Not a reading: logged, and the watcher waits for the first one polled or heard instead.
      this.onInternalError(result, state.key);
      return state.firstReading;
    }
    return messageFor(state.target, readingOf(state.target, result), this.now());
  }

  /**
   * A status newly held (or held again after the leases lapsed) is polled at once, and with shared leases its first
   * reading is published — the previous holder may have died between seeing a change and publishing it, and
   * subscribers drop a reading they already have.
   */
  private gained(keys: readonly string[], lastPublished: ReadonlyMap<string, StatusChangeMessage>): void {
    const now = this.now().getTime();
    for (const key of keys) {
      const state = this.pollers.get(key);
      if (!state) continue;
      state.last = undefined;
      state.handedOver = lastPublished.get(key);
      const before = newest(state.heard, state.handedOver);
      this.status.handedOver(key, before && !before.failure ? before.current : undefined);
      state.intervalMs = this.schedule.fastMs;
      state.dueAt = now;
    }
    this.schedule.schedule(now);
  }

  /** The lease store answers again: what could not be published meanwhile goes out now. */
  private sendUnsent(): void {
    for (const state of this.pollers.values()) if (state.unsent && this.mayPoll(state)) this.publisher.publish(state, state.unsent);
    this.schedule.scheduleNext();
  }

  /** One batch for pollers of one kind; each poller gets its own value or failure. */
  private async poll(states: readonly PollerState[]): Promise<void> {
    let results: BatchResult<unknown>[];
    try {
      // What a poller saw is looked past, not evicted: queries keep answering from the cache while this round reads.
      const status = this.status.refreshing(
        states.flatMap((state) => (state.seenFetchedAt ? [{ target: state.target, seenFetchedAt: state.seenFetchedAt }] : [])),
      );
      results = await this.read(status, states.map((state) => state.target));
    } catch (error) {
      results = states.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    states.forEach((state, index) => {
      state.inFlight = false;
      this.record(state, results[index]!);
    });
  }

  private read(status: StatusService, targets: readonly WatchTarget[]): Promise<BatchResult<unknown>[]> {
    // Due pollers are grouped by kind (poll-schedule.ts), so one table entry reads them all.
    return kindOf(targets[0]!).read(status, targets);
  }

  private record(state: PollerState, result: BatchResult<unknown>): void {
    if (result instanceof Error && !isUpstreamFailure(result)) {
      // Ours, not AWS's: logged as the bug it is, and nothing goes out; the poller tries again as if throttled.
      this.onInternalError(result, state.key);
      this.schedule.afterInternalError(state);
      return;
    }
    const previous = state.last;
    const reading = readingOf(state.target, result);
    state.last = reading;
    if ('fetchedAt' in reading) state.seenFetchedAt = reading.fetchedAt;
    this.schedule.afterReading(state, reading, previous);
    const current = this.pollers.get(state.key) === state;
    if (!previous) {
      this.status.handedOver(state.key, undefined);
      state.resolveFirst(this.messageOf(state));
      // A first reading after taking a lease goes out (see gained), against the last change published if it differs.
      if (this.leases.shared && current) {
        const published = newest(state.heard, state.handedOver);
        const before = published ? readingOfMessage(published) : undefined;
        const since = before && !sameReading(before, reading) ? before : undefined;
        // History of this instance may not know the value published before (another instance polled it then).
        this.publisher.deliver(state, this.messageOf(state, since), { knowsPrevious: since !== undefined });
      } else if (this.history && current) {
        // It may be a change history has not seen (made while nobody watched): a resumed stream must hear of it.
        this.publisher.deliver(state, this.messageOf(state));
      }
      return;
    }
    if (!sameReading(previous, reading) && current) this.publisher.deliver(state, this.messageOf(state, previous));
  }

  private messageOf(state: PollerState, previous?: Reading): StatusChangeMessage {
    return messageFor(state.target, state.last!, this.now(), previous);
  }
}

async function stopListener(subscription: Promise<() => Promise<void>> | undefined): Promise<void> {
  if (!subscription) return;
  const unsubscribe = await subscription.catch(() => undefined);
  await unsubscribe?.().catch(() => undefined);
}
