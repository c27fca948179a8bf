// A subscriber's stream of status changes: the protocol between the StatusWatcher's pollers, the StatusPubSub and
// one subscriber, so no resolver has to know it. It listens on every watched status's topic first and then reads
// each status's current state — no change can fall between the two — and drops a reading equal to the last one this
// subscriber got (the read and a change heard meanwhile can say the same). A whole-organization stream also takes
// on the accounts that join the organization while it is open (followed-creations.ts tells the watcher, whose topic
// reaches every instance); a filtered one follows the accounts that enter and leave its filter (filter-membership.ts):
// an entering account's statuses start with their current state marked `entered`, a leaving account's each end with a
// `left` message, after which nothing more of it is sent.
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import { Conflation, type QueuedSlot } from './conflating-buffer.js';
import type { StatusEventFilter, StatusHistory } from './history-port.js';
import { replayAcross, replayAfter, ResumeGate } from './history-stream.js';
import type { MembershipChange } from './filter-membership.js';
import type { StatusPubSub } from './pubsub.js';
import type { WatchTarget } from './status-service.js';
import type { StatusChangeMessage, StatusWatcher } from './status-watcher.js';
import { streamTurns } from './event-loop-turns.js';
import { streamInboxes, type InboxDrain } from './stream-inbox.js';
import { FollowedRequests } from './followed-requests.js';
import { Delivery } from './stream-delivery.js';
import { Flow, ReplayedPage } from './stream-flow.js';
import { StreamWatches } from './stream-watches.js';
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
  /**
   * The newest history cursor when the stream opened ('0' when nothing is recorded yet: resuming after it replays every
   * event), carried by the messages that have none until the subscriber is sent a newer one (stream-delivery.ts).
   */
  readonly startCursor?: string;
  /**
   * A stream that starts with the current state, opened at `after` (the newest cursor when the subscriber asked, taken
   * before anything slow such as a cold directory read): the events recorded since then — a mutation's, while the
   * stream was still opening — go out first, in cursor order, then the current state of the statuses they did not
   * touch, then live changes. Without it, a change made between the subscriber asking and the stream listening is lost.
   */
  readonly catchUp?: { readonly history: StatusHistory; readonly after: string; readonly filter: StatusEventFilter };
  /**
   * A whole-organization stream whose accounts come page by page (a cold directory read: tens of seconds at 1,000
   * accounts): `read` tells each page's account ids as they arrive, and the stream watches their statuses (through
   * `targetsOfJoined`) at once, each page caught up from history on its own, instead of after the last page. The
   * stream ends with the read's error if it fails.
   */
  readonly pages?: (page: (accountIds: readonly string[]) => void) => Promise<void>;
  /** A filtered stream: follows the accounts entering and leaving its filter, watching `targetsOf` theirs. */
  readonly membership?: {
    /** Starts following; resolves with the function that stops. */
    readonly follow: (onChange: (change: MembershipChange) => void) => Promise<() => void>;
    readonly targetsOf: (accountIds: readonly string[]) => readonly WatchTarget[];
  };
  /** What hands the stream what reaches it from outside (stream-inbox.ts). @default the drain the process's streams share */
  readonly inboxes?: InboxDrain;
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
  const conflation = new Conflation<StreamMessage>();
  const stream = new Repeater<QueuedSlot<StreamMessage> | ReplayedPage>(async (push, stop) => {
    const out = new Delivery((message) => {
      flow.pushed += 1;
      if (flow.page) flow.page.messages.push(message);
      else push(conflation.slot(message, flow.pushed - flow.consumed, message.membership === undefined)).catch(() => undefined);
      if (isFinal(message)) {
        flow.endPage();
        stop();
      }
    }, { resumedAfter: resume?.after, startCursor: options.startCursor });
    flow.pushPage = (page) => void push(page).catch(() => undefined);
    // With pages, each page catches up on its own accounts' events and the stream's own start (joined accounts) on
    // none; but a resumed stream replays every account's once, in cursor order, from the start (watchPages).
    const start = new StreamStart(out, options.pages && !resume ? forAccounts(options, undefined) : options);
    // A status watched from a page of the directory starts with that page's catch-up; every other with the stream's.
    const startOf = new Map<string, StreamStart>();
    // Everything from outside goes through the inbox, in the order it came: a round published to every subscriber
    // is handed on a chunk at a time (stream-inbox.ts).
    const inbox = (options.inboxes ?? streamInboxes).inbox((error) => stop(error));
    const live = (message: StatusChangeMessage) => (startOf.get(message.key) ?? start).live(message);
    const current = (message: StatusChangeMessage) => (startOf.get(message.key) ?? start).current(message);
    const [once, left] = [(message: StatusChangeMessage) => out.once(message), (target: WatchTarget) => out.left(target)];
    const enter = (targets: readonly WatchTarget[]) => out.enter(targets);
    const watches = new StreamWatches(watcher, pubsub, {
      live: (message) => inbox.add(live, message),
      // Resumed: the state comes from history, but for failures now (not history) and accounts entered or joined since.
      current: (message: StatusChangeMessage) => (!resume || message.failure) && inbox.add(current, message),
      entered: (message) => inbox.add(options.membership ? once : current, message),
      left: (target) => inbox.add(left, target),
    });
    const unsubscribes: (() => Promise<void>)[] = [];
    const { targetsOfJoined, membership } = options;
    const followedRequests = targetsOfJoined ? new FollowedRequests(watcher, pubsub, ifSent(targetsOfJoined, (message) => inbox.add(live, message))) : undefined;
    if (targetsOfJoined && followedRequests) {
      unsubscribes.push(
        // Joined accounts start with their current state, in a resumed stream too (after its replay, newest cursor).
        await pubsub.subscribe(watcher.accountsJoinedTopic, (accountIds) => void watches.add(targetsOfJoined(accountIds as string[]), Boolean(resume))),
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
              inbox.add(enter, entering);
              return watches.add(entering, true);
            })
            .catch(() => undefined);
        })
      : undefined;
    // Replayed only now that the topics are heard: what is recorded meanwhile is in the replay or arrives live.
    const pagesWatched =
      options.pages && targetsOfJoined ? watchPages(options.pages, { options, targetsOf: targetsOfJoined, watches, startOf, out, flow, stop }) : undefined;
    void start.replay(flow, stop, pagesWatched);
    await stop;
    inbox.close();
    stopFollowing?.();
    flow.close();
    followedRequests?.close();
    await membershipChanges;
    await Promise.all([watches.close(), ...unsubscribes.map((unsubscribe) => unsubscribe())]);
  }, new SlidingBuffer(SUBSCRIBER_BUFFER));
  return takenOneByOne(stream, flow, conflation);
}

/**
 * A followed request's recorded event naming its account (as that account's creation status) goes out as a live change,
 * if the stream sends that status of the accounts that join it (its sources).
 */
function ifSent(targetsOfJoined: (accountIds: readonly string[]) => readonly WatchTarget[], send: (message: StatusChangeMessage) => void) {
  return (message: StatusChangeMessage) => {
    const { target } = message;
    if (target.kind === 'creation' && targetsOfJoined([target.accountId]).some((each) => watchKey(each) === message.key)) send(message);
  };
}

/**
 * The stream as its subscriber takes it. One that falls behind gets a status's newest change in place of its waiting
 * one (conflating-buffer.ts), the oldest dropped past the buffer: right for live changes, wrong for a replay, which
 * waits instead while too many of its events are not yet taken (Flow). A replayed page is one item of the queue (the
 * repeater's push makes several promises: per event, a tenth of a replay's CPU), handed out event by event. Events are
 * taken in the slices every stream shares (event-loop-turns.ts), so sockets and timers get through between slices.
 */
function takenOneByOne(stream: Repeater<QueuedSlot<StreamMessage> | ReplayedPage>, flow: Flow, conflation: Conflation<StreamMessage>): AsyncIterable<StreamMessage> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = stream[Symbol.asyncIterator]();
      let page: readonly StreamMessage[] = [];
      let taken = 0;
      const next = async (): Promise<IteratorResult<StreamMessage>> => {
        if (taken < page.length) {
          flow.taken();
          return { value: page[taken++]!, done: false };
        }
        const result = await iterator.next();
        if (result.done) return result;
        if (result.value instanceof ReplayedPage) {
          page = result.value.messages;
          taken = 0;
          return next();
        }
        flow.taken();
        // An emptied slot (a newer change of its status took its place further on) is skipped.
        const message = conflation.take(result.value);
        return message === undefined ? next() : { value: message, done: false };
      };
      return {
        next: () => streamTurns.next()?.then(next) ?? next(),
        return: (value?: unknown) => iterator.return(value as never) as Promise<IteratorResult<StreamMessage>>,
        throw: (error?: unknown) => iterator.throw(error) as Promise<IteratorResult<StreamMessage>>,
      };
    },
  };
}

/**
 * Watches each page of the directory as it arrives (StatusStreamOptions.pages), one page after the other, each with
 * its own start (the catch-up of its accounts); a read that fails ends the stream with its error. A resumed stream's
 * pages are only watched: its start replays every account's events (StreamStart.replay). Resolves once every page
 * is watched.
 */
function watchPages(
  pages: NonNullable<StatusStreamOptions['pages']>,
  stream: {
    readonly options: StatusStreamOptions;
    readonly targetsOf: (accountIds: readonly string[]) => readonly WatchTarget[];
    readonly watches: StreamWatches;
    readonly startOf: Map<string, StreamStart>;
    readonly out: Delivery;
    readonly flow: Flow;
    readonly stop: (error?: unknown) => void;
  },
): Promise<void> {
  const { options, targetsOf, watches, startOf, out, flow, stop } = stream;
  let watched: Promise<void> = Promise.resolve();
  if (options.resume) {
    // Only watched: the stream's start replays every account's events (StreamStart.replay).
    const watchResumedPage = (accountIds: readonly string[]) => watches.add(targetsOf(accountIds).filter((target) => !watches.has(target)));
    return watchedOnceRead(
      pages((accountIds) => void (watched = watched.then(() => watchResumedPage(accountIds)))),
      () => watched,
      stop,
    );
  }
  // Until every page is known, a page yet to come may replay any event after the stream's start; then each page still
  // catching up has sent its events through its replay's cursor. No cursor beyond the lowest goes out (Delivery).
  const opened = options.catchUp?.after ?? options.startCursor;
  let directoryRead = false;
  let pagesToWatch = 0;
  const catchingUp = new Set<StreamStart>();
  out.cursorBound = () => {
    if (!directoryRead || pagesToWatch > 0) return opened;
    let lowest: number | undefined;
    for (const pageStart of catchingUp) {
      const through = pageStart.replayedThrough;
      if (through !== undefined && (lowest === undefined || through < lowest)) lowest = through;
    }
    return lowest === undefined ? undefined : String(lowest);
  };
  const watchPage = async (accountIds: readonly string[]) => {
    const pageStart = new StreamStart(out, forAccounts(options, accountIds));
    const fresh = targetsOf(accountIds).filter((target) => !startOf.has(watchKey(target)) && !watches.has(target));
    for (const target of fresh) startOf.set(watchKey(target), pageStart);
    await watches.add(fresh);
    catchingUp.add(pageStart);
    pagesToWatch -= 1;
    void pageStart.replay(flow, stop).finally(() => catchingUp.delete(pageStart));
  };
  const told = (accountIds: readonly string[]) => {
    pagesToWatch += 1;
    watched = watched.then(() => watchPage(accountIds));
  };
  return watchedOnceRead(
    pages(told).then(() => void (directoryRead = true)),
    () => watched,
    stop,
  );
}

/** Resolves once the directory is read and every page watched; a read that fails ends the stream with its error. */
function watchedOnceRead(read: Promise<void>, watched: () => Promise<void>, stop: (error?: unknown) => void): Promise<void> {
  read.catch((error: unknown) => stop(error));
  const all = read.then(watched);
  all.catch(() => undefined);
  return all;
}

/**
 * The stream's history options narrowed to some accounts: one page's catch-up (or resumed replay) of their events;
 * none (undefined): no replay at all.
 */
function forAccounts(options: StatusStreamOptions, accountIds: readonly string[] | undefined): StatusStreamOptions {
  const { resume, catchUp } = options;
  if (!accountIds) return {};
  const narrowed = <R extends { readonly filter: StatusEventFilter }>(replay: R) => ({ ...replay, filter: { ...replay.filter, accountIds } });
  return { ...(resume && { resume: narrowed(resume) }), ...(catchUp && { catchUp: narrowed(catchUp) }) };
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
    private readonly options: Pick<StatusStreamOptions, 'resume' | 'catchUp'>,
  ) {
    const { resume, catchUp } = options;
    // A resumed stream sends every replayed event; a catch-up, like a live stream, no repeat of what it sent.
    if (resume) this.gate = new ResumeGate(resume.after, { replayed: (message) => out.replayed(message), live: (message) => out.live(message) });
    else if (catchUp) this.gate = new ResumeGate(catchUp.after, { replayed: (message) => out.once(message), live: (message) => out.once(message) });
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
    else if (!(gate && !message.failure && gate.sentRecorded(message.key))) {
      if (message.failure) gate?.sentFailure(message.key);
      this.out.once(message);
    }
  }

  /** The cursor this start's replay has sent every event through; undefined once caught up, or with no replay. */
  get replayedThrough(): number | undefined {
    return this.gate && !this.gate.caughtUpAlready ? this.gate.through : undefined;
  }

  /**
   * Replays what the stream starts with. History lost mid-replay ends a resumed stream (the client resumes from its
   * last cursor), never a half replay; a catch-up goes on with the current state.
   */
  replay(flow: Flow, stop: () => void, settled?: Promise<void>): Promise<void> {
    const { gate } = this;
    const replay = this.options.resume ?? this.options.catchUp;
    if (!gate || !replay) return Promise.resolve();
    const caughtUp = () => {
      for (const message of this.waitingCurrent.splice(0)) this.current(message);
    };
    const replayed = settled ? replayAcross(replay.history, replay.filter, replay.after, settled) : replayAfter(replay.history, replay.filter, replay.after);
    return replayInto(gate, replayed, flow).then(caughtUp, () => {
      if (this.options.resume) return stop();
      gate.caughtUp();
      caughtUp();
    });
  }
}

/** Sends the replayed events a page at a time as the subscriber takes them, then lets the live ones through. */
async function replayInto(gate: ResumeGate, replay: AsyncGenerator<StatusChangeMessage[]>, flow: Flow): Promise<void> {
  // Room first, then the next page: a page is read only once the subscriber has room for it.
  for (;;) {
    await flow.room();
    if (flow.closed) return void (await replay.return(undefined));
    const page = await replay.next();
    if (page.done) break;
    if (flow.closed) return void (await replay.return(undefined));
    flow.inPage(() => {
      for (const message of page.value) gate.replayed(message);
    });
  }
  gate.caughtUp();
}
