// A subscriber's stream of status changes: the protocol between the StatusWatcher's pollers, the StatusPubSub and
// one subscriber, so no resolver has to know it. It listens on every watched status's topic first and then reads
// each status's current state — no change can fall between the two — and drops a reading equal to the last one this
// subscriber got (the read and a change heard meanwhile can say the same). A whole-organization stream also takes
// on the accounts that join the organization while it is open (followed-creations.ts tells the watcher, whose topic
// reaches every instance).
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { StatusEventFilter, StatusHistory } from './history-port.js';
import { replayAfter, ResumeGate } from './history-stream.js';
import type { StatusPubSub } from './pubsub.js';
import type { WatchTarget } from './status-service.js';
import type { StatusChangeMessage, StatusWatcher } from './status-watcher.js';

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
}

export function openStatusStream(
  watcher: StatusWatcher,
  pubsub: StatusPubSub,
  targets: readonly WatchTarget[],
  options: StatusStreamOptions = {},
): AsyncIterable<StatusChangeMessage> {
  const isFinal = options.isFinal ?? (() => false);
  const { resume, startCursor, catchUp } = options;
  const flow = new Flow();
  const stream = new Repeater<StatusChangeMessage>(async (push, stop) => {
    const lastSent = new Map<string, string>();
    const send = (message: StatusChangeMessage) => {
      flow.pushed += 1;
      push(message).catch(() => undefined);
      if (isFinal(message)) stop();
    };
    const deliverOnce = (message: StatusChangeMessage) => {
      const reading = message.failure ? `failure:${message.failure.code}` : `status:${message.current}`;
      if (lastSent.get(message.key) === reading) return;
      lastSent.set(message.key, reading);
      send(message);
    };
    const replay = resume ?? catchUp;
    const gate = resume ? new ResumeGate(resume.after, send) : catchUp ? new ResumeGate(catchUp.after, deliverOnce) : undefined;
    const deliver = gate ? (message: StatusChangeMessage) => gate.live(message) : deliverOnce;
    const stamped = (message: StatusChangeMessage) =>
      startCursor !== undefined && message.cursor === undefined && !message.failure ? { ...message, cursor: startCursor } : message;
    /** Current states that wait for the catch-up: a recorded event of their status, if one went out, is as new. */
    const waitingCurrent: StatusChangeMessage[] = [];
    const deliverCurrent = (message: StatusChangeMessage) => {
      if (gate && !gate.caughtUpAlready) waitingCurrent.push(message);
      else if (!(gate && !message.failure && gate.sentRecorded(message.key))) deliverOnce(stamped(message));
    };
    const watched = new Set<string>();
    const unsubscribes: (() => Promise<void>)[] = [];
    const watches: { release(): void }[] = [];
    const watchAll = async (more: readonly WatchTarget[]) => {
      const fresh = more.filter((target) => !watched.has(watcher.topicOf(target)));
      for (const target of fresh) watched.add(watcher.topicOf(target));
      unsubscribes.push(
        ...(await Promise.all(
          fresh.map((target) => pubsub.subscribe(watcher.topicOf(target), (message) => deliver(message as StatusChangeMessage))),
        )),
      );
      for (const target of fresh) {
        const watch = watcher.watch(target);
        watches.push(watch);
        // A resumed stream learns the state from history instead.
        if (!resume) void watch.current().then(deliverCurrent);
      }
    };
    const { targetsOfJoined } = options;
    if (targetsOfJoined) {
      unsubscribes.push(
        await pubsub.subscribe(watcher.accountsJoinedTopic, (accountIds) => void watchAll(targetsOfJoined(accountIds as string[]))),
      );
    }
    await watchAll(targets);
    if (gate && replay) {
      // Replayed only now that the topics are heard: what is recorded meanwhile is in the replay or arrives live.
      // History lost mid-replay ends a resumed stream (the client resumes from its last cursor), never a half replay;
      // a catch-up goes on with the current state.
      const caughtUp = () => {
        for (const message of waitingCurrent.splice(0)) deliverCurrent(message);
      };
      void replayInto(gate, replayAfter(replay.history, replay.filter, replay.after), flow).then(caughtUp, () => {
        if (resume) return stop();
        gate.caughtUp();
        caughtUp();
      });
    }
    await stop;
    flow.close();
    for (const watch of watches) watch.release();
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
  }, new SlidingBuffer(SUBSCRIBER_BUFFER));
  // The sliding buffer drops the oldest when a subscriber falls behind: right for live changes, wrong for a replay,
  // which waits instead while too many of its events are not yet taken.
  return {
    [Symbol.asyncIterator]() {
      const iterator = stream[Symbol.asyncIterator]();
      return {
        next: () => iterator.next().then((result) => (flow.taken(), result)),
        return: (value?: unknown) => iterator.return(value as never),
        throw: (error?: unknown) => iterator.throw(error),
      };
    },
  };
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
