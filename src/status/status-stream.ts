// A subscriber's stream of status changes: the protocol between the StatusWatcher's pollers, the StatusPubSub and
// one subscriber, so no resolver has to know it. It listens on every watched status's topic first and then reads
// each status's current state — no change can fall between the two — and drops a reading equal to the last one this
// subscriber got (the read and a change heard meanwhile can say the same). A whole-organization stream also takes
// on the accounts that join the organization while it is open (followed-creations.ts tells the watcher, whose topic
// reaches every instance); a filtered one follows the accounts that enter and leave its filter (filter-membership.ts):
// an entering account's statuses start with their current state marked `entered`, a leaving account's each end with a
// `left` message, after which nothing more of it is sent.
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { StatusEventFilter, StatusHistory } from './history-port.js';
import { replayAfter, ResumeGate } from './history-stream.js';
import type { MembershipChange } from './filter-membership.js';
import type { StatusPubSub } from './pubsub.js';
import type { WatchTarget } from './status-service.js';
import type { StatusChangeMessage, StatusWatcher } from './status-watcher.js';
import { streamTurns } from './event-loop-turns.js';
import { StreamWatches } from './stream-watches.js';
import { isTransitional } from './ttl.js';
import { watchKey } from './watchable-kinds.js';

/** What a stream sends: a status change, marked when its account just entered or left a filtered stream's accounts. */
export interface StreamMessage extends StatusChangeMessage {
  readonly membership?: 'entered' | 'left';
}

/**
 * Events a slow subscriber may have waiting before the oldest are dropped. The first burst is one event per watched
 * status (3 sources × 10,000 accounts at most), so this holds a whole organization's current state.
 * @default 50_000 events
 */
const SUBSCRIBER_BUFFER = 50_000;

export interface StatusStreamOptions {
  /** Ends the stream after this message (a creation request that SUCCEEDED or FAILED). @default never */
  readonly isFinal?: (message: StatusChangeMessage) => boolean;
  /** For a whole-organization stream: the statuses to watch of accounts that join while it is open. */
  readonly targetsOfJoined?: (accountIds: readonly string[]) => readonly WatchTarget[];
  /**
   * Resume after a cursor (history-stream.ts): instead of the current state, the recorded events after it, replayed
   * once the topics are heard, then the live messages that are newer.
   */
  readonly resume?: { readonly history: StatusHistory; readonly after: string; readonly filter: StatusEventFilter };
  /** The newest history cursor when the stream opened, carried by current-state messages that have none. */
  readonly startCursor?: string;
  /**
   * A stream that starts with the current state, opened at `after` (the newest cursor when the subscriber asked, taken
   * before anything slow such as a cold directory read): the events recorded since then — a mutation's, while the
   * stream was still opening — go out first, in cursor order, then the current state of the statuses they did not
   * touch, then live changes. Without it, a change made between the subscriber asking and the stream listening is lost.
   */
  readonly catchUp?: { readonly history: StatusHistory; readonly after: string; readonly filter: StatusEventFilter };
  /** A filtered stream: follows the accounts entering and leaving its filter, watching `targetsOf` theirs. */
  readonly membership?: {
    /** Starts following; resolves with the function that stops. */
    readonly follow: (onChange: (change: MembershipChange) => void) => Promise<() => void>;
    readonly targetsOf: (accountIds: readonly string[]) => readonly WatchTarget[];
  };
}

export function openStatusStream(
  watcher: StatusWatcher,
  pubsub: StatusPubSub,
  targets: readonly WatchTarget[],
  options: StatusStreamOptions = {},
): AsyncIterable<StreamMessage> {
  const isFinal = options.isFinal ?? (() => false);
  const { resume } = options;
  const flow = new Flow();
  const stream = new Repeater<StreamMessage>(async (push, stop) => {
    const out = new Delivery((message) => {
      flow.pushed += 1;
      push(message).catch(() => undefined);
      if (isFinal(message)) stop();
    });
    const start = new StreamStart(out, options);
    const watches = new StreamWatches(watcher, pubsub, {
      live: (message) => start.live(message),
      // A resumed stream learns the state from history instead — except of accounts that entered since.
      ...(!resume && { current: (message: StatusChangeMessage) => start.current(message) }),
      entered: (message) => out.once(message),
      left: (target) => out.left(target),
    });
    const unsubscribes: (() => Promise<void>)[] = [];
    const { targetsOfJoined, membership } = options;
    const followedRequests = targetsOfJoined ? new FollowedRequests(watcher, pubsub) : undefined;
    if (targetsOfJoined && followedRequests) {
      unsubscribes.push(
        await pubsub.subscribe(watcher.accountsJoinedTopic, (accountIds) => void watches.add(targetsOfJoined(accountIds as string[]))),
        await pubsub.subscribe(watcher.creationsFollowedTopic, (requestIds) => followedRequests.follow(requestIds as string[])),
      );
      followedRequests.follow(await watcher.creationsFollowed().catch(() => []));
    }
    await watches.add(targets);
    // Changes apply one after the other: an account that leaves and comes back is unwatched before it is watched again.
    let membershipChanges: Promise<void> = Promise.resolve();
    const stopFollowing = membership
      ? await membership.follow((change) => {
          const entering = membership.targetsOf(change.entered);
          membershipChanges = membershipChanges
            .then(() => watches.removeAccounts(new Set(change.left)))
            .then(() => {
              out.enter(entering);
              return watches.add(entering, true);
            })
            .catch(() => undefined);
        })
      : undefined;
    // Replayed only now that the topics are heard: what is recorded meanwhile is in the replay or arrives live.
    start.replay(flow, stop);
    await stop;
    stopFollowing?.();
    flow.close();
    followedRequests?.close();
    await membershipChanges;
    await Promise.all([watches.close(), ...unsubscribes.map((unsubscribe) => unsubscribe())]);
  }, new SlidingBuffer(SUBSCRIBER_BUFFER));
  // The sliding buffer drops the oldest when a subscriber falls behind: right for live changes, wrong for a replay,
  // which waits instead while too many of its events are not yet taken. Events are taken in the slices every stream
  // shares (event-loop-turns.ts), so a burst to many subscribers lets sockets and timers through between slices.
  return {
    [Symbol.asyncIterator]() {
      const iterator = stream[Symbol.asyncIterator]();
      const take = () => iterator.next().then((result) => (flow.taken(), result));
      return {
        next: () => streamTurns.next()?.then(take) ?? take(),
        return: (value?: unknown) => iterator.return(value as never),
        throw: (error?: unknown) => iterator.throw(error),
      };
    },
  };
}

/**
 * How a stream's first messages go out: straight to the subscriber, or after the replay of a resumed stream (which
 * learns the state from history) or of a catch-up (whose current states wait for it: a recorded event of their status,
 * if one went out, is at least as new).
 */
class StreamStart {
  private readonly gate: ResumeGate | undefined;
  private readonly waitingCurrent: StatusChangeMessage[] = [];

  constructor(
    private readonly out: Delivery,
    private readonly options: Pick<StatusStreamOptions, 'resume' | 'catchUp' | 'startCursor'>,
  ) {
    const { resume, catchUp } = options;
    if (resume) this.gate = new ResumeGate(resume.after, (message) => out.send(message));
    else if (catchUp) this.gate = new ResumeGate(catchUp.after, (message) => out.once(message));
  }

  live(message: StatusChangeMessage): void {
    // A caught-up stream sends live changes as any other does: a change back to the last recorded value (a recovery
    // after a failure) carries that event's cursor again, and the gate would take it for one already sent.
    if (this.gate && (this.options.resume || !this.gate.caughtUpAlready)) this.gate.live(message);
    else this.out.once(message);
  }

  current(message: StatusChangeMessage): void {
    const { gate } = this;
    if (gate && !gate.caughtUpAlready) this.waitingCurrent.push(message);
    // A live change already sent for this status was observed after this reading (taken when the stream opened): the
    // reading would take the subscriber back to an older value.
    else if (this.out.hasSent(message.key)) return;
    else if (!(gate && !message.failure && gate.sentRecorded(message.key))) this.out.once(this.withStartCursor(message));
  }

  /**
   * Replays what the stream starts with. History lost mid-replay ends a resumed stream (the client resumes from its
   * last cursor), never a half replay; a catch-up goes on with the current state.
   */
  replay(flow: Flow, stop: () => void): void {
    const { gate } = this;
    const replay = this.options.resume ?? this.options.catchUp;
    if (!gate || !replay) return;
    const caughtUp = () => {
      for (const message of this.waitingCurrent.splice(0)) this.current(message);
    };
    void replayInto(gate, replayAfter(replay.history, replay.filter, replay.after), flow).then(caughtUp, () => {
      if (this.options.resume) return stop();
      gate.caughtUp();
      caughtUp();
    });
  }

  /**
   * A current state carries the newest cursor the subscriber has — the stream's start, or a later event's for an
   * account that joined meanwhile — so cursors never go backwards: a client resuming after the last one it saw gets
   * no event twice.
   */
  private withStartCursor(message: StatusChangeMessage): StatusChangeMessage {
    const cursor = this.out.newestCursor ?? this.options.startCursor;
    return cursor !== undefined && message.cursor === undefined && !message.failure ? { ...message, cursor } : message;
  }
}

/**
 * The creation requests in progress a whole-organization stream polls (created here, or found by the index scan):
 * the poll that reads one SUCCEEDED tells followed-creations.ts, which tells every such stream of the new account —
 * within a fast poll interval, not when a query or the accounts' slow creation polls happen to read it. The stream
 * sends nothing of the requests themselves; it stops polling one once it is over.
 */
class FollowedRequests {
  private readonly watches = new Map<string, { readonly release: () => void; readonly stopHearing: Promise<() => Promise<void>> }>();
  private closed = false;

  constructor(
    private readonly watcher: StatusWatcher,
    private readonly pubsub: StatusPubSub,
  ) {}

  follow(requestIds: readonly string[]): void {
    for (const requestId of requestIds) {
      if (this.closed || this.watches.has(requestId)) continue;
      const target: WatchTarget = { kind: 'request', requestId };
      const watch = this.watcher.watch(target);
      const stopHearing = this.pubsub.subscribe(this.watcher.topicOf(target), (message) => this.endIfOver(requestId, message as StatusChangeMessage));
      this.watches.set(requestId, { release: () => watch.release(), stopHearing });
      void watch.current().then((message) => this.endIfOver(requestId, message));
    }
  }

  close(): void {
    this.closed = true;
    for (const requestId of [...this.watches.keys()]) this.end(requestId);
  }

  /** A request SUCCEEDED, FAILED or unknown to AWS is over; a failure to read it is not. */
  private endIfOver(requestId: string, message: StatusChangeMessage): void {
    if (message.current !== undefined && !isTransitional(message.current)) this.end(requestId);
  }

  private end(requestId: string): void {
    const watch = this.watches.get(requestId);
    if (!watch) return;
    this.watches.delete(requestId);
    watch.release();
    void watch.stopHearing.then((unsubscribe) => unsubscribe()).catch(() => undefined);
  }
}

/** Replayed events a subscriber may have waiting before the replay pauses for it. @default 1_000 */
const REPLAY_WINDOW = 1_000;

/** Counts what went into a stream and what its subscriber took, so a replay can wait for room. */
class Flow {
  pushed = 0;
  private consumed = 0;
  private waiting: (() => void)[] = [];
  closed = false;

  taken(): void {
    this.consumed += 1;
    for (const wake of this.waiting.splice(0)) wake();
  }

  async room(): Promise<void> {
    while (!this.closed && this.pushed - this.consumed >= REPLAY_WINDOW) await new Promise<void>((wake) => this.waiting.push(wake));
  }

  close(): void {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/** Sends the replayed events as the subscriber takes them, then lets the live ones through. */
async function replayInto(gate: ResumeGate, replay: AsyncGenerator<StatusChangeMessage>, flow: Flow): Promise<void> {
  for await (const message of replay) {
    await flow.room();
    if (flow.closed) return;
    gate.replayed(message);
  }
  gate.caughtUp();
}

/**
 * What goes out to the subscriber: drops a reading equal to the last one it got for that status (the current-state read
 * and a change heard meanwhile can say the same), marks the first message of a status whose account entered, and
 * ends a status whose account left with a `left` message carrying its last state.
 */
class Delivery {
  private readonly lastSent = new Map<string, StreamMessage>();
  /** The newest history cursor this subscriber was sent (cursors are numbers in text), if any. */
  newestCursor: string | undefined;
  /** Keys of statuses whose account just entered: their first message says so. */
  private readonly entering = new Set<string>();

  constructor(private readonly push: (message: StreamMessage) => void) {}

  send(message: StreamMessage): void {
    if (message.cursor !== undefined && (this.newestCursor === undefined || Number(message.cursor) > Number(this.newestCursor))) {
      this.newestCursor = message.cursor;
    }
    this.push(this.entering.delete(message.key) ? { ...message, membership: 'entered' } : message);
  }

  once(message: StreamMessage): void {
    const last = this.lastSent.get(message.key);
    if (last && readingOf(last) === readingOf(message)) return;
    this.lastSent.set(message.key, message);
    this.send(message);
  }

  /** Whether anything was sent for this status (and not forgotten by its account leaving). */
  hasSent(key: string): boolean {
    return this.lastSent.has(key);
  }

  enter(targets: readonly WatchTarget[]): void {
    for (const target of targets) this.entering.add(watchKey(target));
  }

  left(target: WatchTarget): void {
    const key = watchKey(target);
    const last = this.lastSent.get(key);
    const current = last && !last.failure ? (last.current ?? null) : null;
    this.lastSent.delete(key);
    this.entering.delete(key);
    this.push({ key, target, previous: current, current, changedAt: new Date().toISOString(), membership: 'left' });
  }
}

/** What a message says about its status, to drop a repeat of what the subscriber already has. */
function readingOf(message: StatusChangeMessage): string {
  return message.failure ? `failure:${message.failure.code}` : `status:${message.current}`;
}
