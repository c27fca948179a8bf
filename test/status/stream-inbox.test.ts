// The streams' inboxes (stream-inbox.ts): what is published to every subscriber at once is handed to each stream a
// chunk at a time, within slices of the event loop, every inbox strictly in arrival order — also when publications
// keep coming while the drain waits for its turn. The clock and the turns are the test's: each step handed on costs
// one "millisecond" of it, and a turn comes only when the test lets it, so nothing depends on the machine's speed.
import { describe, expect, it } from 'vitest';
import { silentWatcher } from '../support/stream-watcher.js';
import { eventLoopTurns } from '../../src/status/event-loop-turns.js';
import { InboxDrain } from '../../src/status/stream-inbox.js';
import { InProcessPubSub, openStatusStream, watchKey, type StatusChangeMessage, type WatchTarget } from '../../src/status/index.js';

const SLICE_MS = 10;
const CHUNK = 4;

/**
 * A drain on the test's clock and turns (each look at the clock costs `msPerLook`); `starts` holds the drains asked to
 * start, run when the test says.
 */
function drainOnTestClock(msPerLook = 0) {
  const clock = { now: 0 };
  const waitingTurns: (() => void)[] = [];
  const starts: (() => void)[] = [];
  const turns = eventLoopTurns({ sliceMs: SLICE_MS, now: () => (clock.now += msPerLook), yieldTurn: () => new Promise<void>((resolve) => waitingTurns.push(resolve)) });
  const drain = new InboxDrain(turns, CHUNK, (run) => starts.push(run));
  /** Lets the drain's pending turn come, and the promises after it settle. */
  const nextTurn = async () => {
    const turn = waitingTurns.shift();
    if (!turn) return false;
    turn();
    for (let settle = 0; settle < 5; settle++) await Promise.resolve();
    return true;
  };
  return { clock, drain, starts, nextTurn, waitingTurns };
}

describe('the streams’ inbox drain', () => {
  it('hands each inbox its items in arrival order, a bounded chunk per slice, round robin, later publications after earlier ones', async () => {
    const { clock, drain, starts, nextTurn } = drainOnTestClock();
    const received: number[][] = [[], [], []];
    const inboxes = received.map(() =>
      drain.inbox((error) => {
        throw error;
      }),
    );
    const take = (list: number[]) => (value: number) => {
      clock.now += 1;
      list.push(value);
    };
    const steps = received.map(take);
    const publish = (from: number, to: number) => {
      for (let value = from; value < to; value++) inboxes.forEach((inbox, index) => inbox.add(steps[index]!, value));
    };
    // A round to every subscriber: only appended, nothing handed on inside the publication.
    publish(0, 30);
    expect(received.flat()).toHaveLength(0);
    expect(starts).toHaveLength(1);
    starts[0]!();

    // One slice: chunks until the slice is used up — at most a chunk past it — then the drain waits for a turn.
    const perTurn: number[] = [received.flat().length];
    expect(perTurn[0]).toBeGreaterThan(0);
    expect(perTurn[0]).toBeLessThanOrEqual(SLICE_MS + CHUNK);
    // Round robin: every inbox had its chunk.
    expect(received.every((list) => list.length > 0)).toBe(true);

    // Publications keep coming while the drain waits for its turn: they go after everything already waiting.
    publish(30, 40);
    expect(starts).toHaveLength(1);
    let before = received.flat().length;
    while (await nextTurn()) {
      const now = received.flat().length;
      perTurn.push(now - before);
      before = now;
      if (perTurn.length === 5) publish(40, 50);
    }
    for (const list of received) expect(list).toEqual(Array.from({ length: 50 }, (_, value) => value));
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(SLICE_MS + CHUNK);
    expect(perTurn.length).toBeGreaterThan(10);
    for (const inbox of inboxes) expect(inbox.waiting).toBe(0);

    // Idle, then one item: a new drain starts and hands it on at once.
    inboxes[0]!.add(steps[0]!, 50);
    expect(starts).toHaveLength(2);
    starts[1]!();
    expect(received[0]!.at(-1)).toBe(50);
  });

  it('ends only the inbox whose step threw, with its error; the others go on', async () => {
    const { drain, starts } = drainOnTestClock();
    const failures: unknown[] = [];
    const failing = drain.inbox((error) => failures.push(error));
    const healthy = drain.inbox(() => failures.push('not this one'));
    const got: number[] = [];
    const broken = new Error('broken step');
    failing.add(() => {
      throw broken;
    }, 0);
    failing.add(() => got.push(-1), 1);
    for (let value = 0; value < 3; value++) healthy.add((each: number) => got.push(each), value);
    starts[0]!();
    expect(failures).toEqual([broken]);
    expect(got).toEqual([0, 1, 2]);
    // A closed inbox takes nothing in.
    failing.add(() => got.push(-2), 2);
    expect(failing.waiting).toBe(0);
  });
});

describe('a whole-organization stream whose round of changes waits in its inbox', () => {
  const targets: WatchTarget[] = Array.from({ length: 40 }, (_, index) => ({ kind: 'enrollment', accountId: String(200_000_000_000 + index) }));
  const watcher = silentWatcher;
  const change = (target: WatchTarget, cursor: number, current: string): StatusChangeMessage => ({
    key: watchKey(target),
    target,
    previous: current === 'Active' ? 'Inactive' : 'Active',
    current,
    changedAt: new Date(1_700_000_000_000 + cursor).toISOString(),
    cursor: String(cursor),
  });

  it('gets every change of two rounds published while its drain waited for turns, in cursor order, none twice', async () => {
    // Each chunk handed on costs a millisecond: a turn every few chunks.
    const { drain, starts, nextTurn, waitingTurns } = drainOnTestClock(1);
    const pubsub = new InProcessPubSub();
    const subscribers = [0, 1].map(() => openStatusStream(watcher, pubsub, targets, { inboxes: drain })[Symbol.asyncIterator]());
    const firsts = subscribers.map((stream) => stream.next());
    for (let settle = 0; settle < 20; settle++) await new Promise((resolve) => setImmediate(resolve));

    let cursor = 0;
    // Two rounds in which every status changed, the second published while the first still waits to be handed on.
    for (const target of targets) await pubsub.publish(watcher.topicOf(target), change(target, ++cursor, 'Inactive'));
    expect(starts).toHaveLength(1);
    starts[0]!();
    expect(waitingTurns).toHaveLength(1);
    for (const target of targets) await pubsub.publish(watcher.topicOf(target), change(target, ++cursor, 'Active'));
    let turnsTaken = 0;
    while (await nextTurn()) turnsTaken += 1;
    expect(turnsTaken).toBeGreaterThan(3);
    for (const [index, stream] of subscribers.entries()) {
      const received = [(await firsts[index]!).value as StatusChangeMessage];
      while (received.length < cursor) received.push((await stream.next()).value);
      expect(received.map((message) => Number(message.cursor))).toEqual(Array.from({ length: cursor }, (_, at) => at + 1));
      const last = new Map(received.map((message) => [message.key, message.current]));
      expect([...last.values()].every((current) => current === 'Active')).toBe(true);
      await stream.return?.();
    }
  });
});
