// A resumed stream (status-stream.ts over history-stream.ts), on its own: the replay goes out a page at a time, in
// cursor order, with the live changes heard meanwhile held and sent after it unless the replay already had them; and
// a subscriber that takes nothing holds the replay back rather than the stream reading the whole log ahead of it.
// The history is an array behind the StatusHistory port whose page reads the test holds and releases. A resumed
// whole-organization stream replays every account's events at once, though its directory is still being read.
import { describe, expect, it } from 'vitest';
import { silentWatcher } from '../support/stream-watcher.js';
import {
  InProcessPubSub,
  openStatusStream,
  watchKey,
  type StatusChangeMessage,
  type StatusEvent,
  type StatusHistory,
  type StatusWatcher,
  type WatchTarget,
} from '../../src/status/index.js';

const ACCOUNT = '111111111111';
const TARGET: WatchTarget = { kind: 'enrollment', accountId: ACCOUNT };
const KEY = watchKey(TARGET);

function eventAt(cursor: number): StatusEvent {
  return {
    cursor: String(cursor),
    key: KEY,
    target: TARGET,
    source: 'COMPUTE_OPTIMIZER_ENROLLMENT',
    accountId: ACCOUNT,
    hasPrevious: cursor > 1,
    previous: cursor > 1 ? (cursor % 2 === 0 ? 'Active' : 'Inactive') : null,
    current: cursor % 2 === 0 ? 'Inactive' : 'Active',
    observedAt: new Date(1_700_000_000_000 + cursor),
    observedBy: 'poll',
  };
}

/** A log of `events` events whose page reads are counted; `holdRead(after)` holds the read of the page after that cursor. */
function historyOf(events: number) {
  const log = Array.from({ length: events }, (_, index) => eventAt(index + 1));
  const append = (cursor: number) => log.push(eventAt(cursor));
  const reads: number[] = [];
  const held = new Map<number, Promise<void>>();
  const history: StatusHistory = {
    record: async () => [],
    page: async () => ({ events: [], hasMore: false }),
    latestCursor: async () => String(log.length),
    async replay(_filter, after, limit) {
      reads.push(Number(after));
      await held.get(Number(after));
      return log.filter((event) => Number(event.cursor) > Number(after)).slice(0, limit);
    },
  };
  return {
    history,
    reads,
    append,
    holdRead(after: number): () => void {
      let release = () => undefined as void;
      held.set(after, new Promise<void>((resolve) => (release = resolve)));
      return release;
    },
  };
}

const watcher = silentWatcher;

const liveChange = (cursor: number): StatusChangeMessage => ({
  key: KEY,
  target: TARGET,
  previous: 'Active',
  current: 'Inactive',
  changedAt: new Date().toISOString(),
  cursor: String(cursor),
});

const turns = async (count: number) => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('a resumed status stream', () => {
  it('replays every event after the cursor in order, page by page, then the live changes it did not replay, none twice', async () => {
    const pubsub = new InProcessPubSub();
    const { history, reads, holdRead } = historyOf(2_500);
    // The second page's read waits while changes go out live: one the replay holds (1,500), one newer (2,501), and
    // the newer one again.
    const release = holdRead(1_000);
    const stream = openStatusStream(watcher, pubsub, [TARGET], { resume: { history, after: '0', filter: {} } })[Symbol.asyncIterator]();
    const received: string[] = [];
    for (let count = 0; count < 1_000; count++) received.push((await stream.next()).value.cursor);
    await turns(3);
    expect(reads).toEqual([0, 1_000]);
    for (const cursor of [1_500, 2_501, 2_501]) await pubsub.publish(watcher.topicOf(TARGET), liveChange(cursor));
    release();

    for (let count = received.length; count < 2_501; count++) received.push((await stream.next()).value.cursor);
    expect(received).toEqual(Array.from({ length: 2_501 }, (_, index) => String(index + 1)));
    expect(reads).toEqual([0, 1_000, 2_000]);
    // Nothing more is waiting: a later live change is the next message.
    await pubsub.publish(watcher.topicOf(TARGET), liveChange(2_502));
    expect((await stream.next()).value.cursor).toBe('2502');
    await stream.return?.();
  });

  it('sends the recovery after an error it sent, though the recovered value is an event older than its cursor', async () => {
    const pubsub = new InProcessPubSub();
    const { history } = historyOf(10);
    const stream = openStatusStream(watcher, pubsub, [TARGET], { resume: { history, after: '8', filter: {} } })[Symbol.asyncIterator]();
    expect([(await stream.next()).value.cursor, (await stream.next()).value.cursor]).toEqual(['9', '10']);
    const outage = { service: 'compute-optimizer', operation: 'GetEnrollmentStatus', code: 'InternalError', message: 'down', retryable: true, throttled: false };
    await pubsub.publish(watcher.topicOf(TARGET), { key: KEY, target: TARGET, previous: 'Inactive', failure: outage, changedAt: new Date().toISOString() });
    expect((await stream.next()).value.failure?.code).toBe('InternalError');
    // Back to event 10's value, with event 10's cursor (nothing new recorded); then a replayed event seen live again.
    await pubsub.publish(watcher.topicOf(TARGET), { ...liveChange(10), previous: undefined });
    await pubsub.publish(watcher.topicOf(TARGET), liveChange(9));
    await pubsub.publish(watcher.topicOf(TARGET), liveChange(11));
    const recovery = (await stream.next()).value;
    expect([recovery.cursor, recovery.failure]).toEqual(['10', undefined]);
    expect((await stream.next()).value.cursor).toBe('11');
    await stream.return?.();
  });

  it('sends the recovery after the error of a status failing as it resumed, though it replayed the recovered event', async () => {
    const pubsub = new InProcessPubSub();
    const { history } = historyOf(10);
    const outage = { service: 'compute-optimizer', operation: 'GetEnrollmentStatus', code: 'InternalError', message: 'down', retryable: true, throttled: false };
    const failingNow: StatusChangeMessage = { key: KEY, target: TARGET, failure: outage, changedAt: new Date().toISOString() };
    const failingWatcher = { ...watcher, watch: (target: WatchTarget) => ({ key: watchKey(target), current: async () => failingNow, release: () => undefined }) } as unknown as StatusWatcher;
    const stream = openStatusStream(failingWatcher, pubsub, [TARGET], { resume: { history, after: '9', filter: {} } })[Symbol.asyncIterator]();
    expect((await stream.next()).value.cursor).toBe('10');
    expect((await stream.next()).value.failure?.code).toBe('InternalError');
    await pubsub.publish(watcher.topicOf(TARGET), { ...liveChange(10), previous: undefined, recovered: true });
    expect((await stream.next()).value).toMatchObject({ cursor: '10', current: 'Inactive' });
    await stream.return?.();
  });

  it('sends a recovery whose event it replayed no newer one of: the subscriber may have seen the error before it resumed', async () => {
    const pubsub = new InProcessPubSub();
    const { history } = historyOf(10);
    const other: WatchTarget = { kind: 'enrollment', accountId: '999999999999' };
    const stream = openStatusStream(watcher, pubsub, [TARGET, other], { resume: { history, after: '9', filter: {} } })[Symbol.asyncIterator]();
    expect((await stream.next()).value.cursor).toBe('10');
    // The other status recovers to its event 4 (before the cursor): it goes, with the newest cursor the subscriber
    // has (10), never an older one; TARGET's recovery to event 10, sent already, and a plain repeat of event 4 do not.
    const back = (target: WatchTarget, cursor: number): StatusChangeMessage => ({ ...liveChange(cursor), key: watchKey(target), target, previous: undefined, recovered: true });
    await pubsub.publish(watcher.topicOf(TARGET), back(TARGET, 10));
    await pubsub.publish(watcher.topicOf(other), { ...back(other, 4), recovered: undefined });
    await pubsub.publish(watcher.topicOf(other), back(other, 4));
    await pubsub.publish(watcher.topicOf(TARGET), liveChange(11));
    const sent = [(await stream.next()).value, (await stream.next()).value];
    expect(sent.map((message) => `${message.key}@${message.cursor}`)).toEqual([`${watchKey(other)}@10`, `${KEY}@11`]);
    await stream.return?.();
  });

  it('reads no further ahead than a page past what its subscriber has taken', async () => {
    const { history, reads } = historyOf(10_000);
    const stream = openStatusStream(watcher, new InProcessPubSub(), [TARGET], { resume: { history, after: '0', filter: {} } })[Symbol.asyncIterator]();
    expect((await stream.next()).value.cursor).toBe('1');
    await turns(20);
    // A page is being taken and one waits: the rest of the log is not read yet.
    expect(reads).toEqual([0, 1_000]);

    let last = '1';
    for (let count = 1; count < 10_000; count++) last = (await stream.next()).value.cursor;
    expect(last).toBe('10000');
    expect(reads).toHaveLength(11);
    await stream.return?.();
  });
});

describe('a resumed whole-organization stream whose directory is still being read', () => {
  it('replays every event with its own cursor at once, then what was recorded before the last page was heard, none twice', async () => {
    const pubsub = new InProcessPubSub();
    const { history, append } = historyOf(1_500);
    // The directory's first page (the account) arrives; the read of the rest waits until the test lets it end.
    let endDirectory = () => undefined as void;
    const directoryRead = new Promise<void>((resolve) => (endDirectory = resolve));
    const stream = openStatusStream(watcher, pubsub, [], {
      resume: { history, after: '0', filter: {} },
      targetsOfJoined: (accountIds) => accountIds.map((accountId): WatchTarget => ({ kind: 'enrollment', accountId })),
      pages: async (page) => {
        page([ACCOUNT]);
        await directoryRead;
      },
    })[Symbol.asyncIterator]();

    // The whole replay goes out before the directory is read, each event with its own cursor, in order.
    const received: string[] = [];
    for (let count = 0; count < 1_500; count++) received.push((await stream.next()).value.cursor);
    expect(received).toEqual(Array.from({ length: 1_500 }, (_, index) => String(index + 1)));
    // Recorded after the replay's last read and not heard live (as if before the page's topic was): it comes once the
    // directory is read. Heard live too, later, it is not sent again; a newer live change follows.
    append(1_501);
    endDirectory();
    expect((await stream.next()).value.cursor).toBe('1501');
    await pubsub.publish(watcher.topicOf(TARGET), liveChange(1_501));
    await pubsub.publish(watcher.topicOf(TARGET), liveChange(1_502));
    expect((await stream.next()).value.cursor).toBe('1502');
    await stream.return?.();
  });
});

describe('a live status stream whose subscriber falls behind', () => {
  const STATUSES = 1_500;
  const targets: WatchTarget[] = Array.from({ length: STATUSES }, (_, index) => ({ kind: 'enrollment', accountId: String(100_000_000_000 + index) }));
  const change = (target: WatchTarget, cursor: number, reading: { previous?: string | null; current?: string | null; failure?: StatusChangeMessage['failure'] }): StatusChangeMessage => ({
    key: watchKey(target),
    target,
    changedAt: new Date().toISOString(),
    cursor: String(cursor),
    ...reading,
  });
  const outage = { service: 'compute-optimizer', operation: 'GetEnrollmentStatus', code: 'InternalError', message: 'down', retryable: true, throttled: false };

  it('gets each status newest change in place of the one still waiting, in cursor order, with the value it had before', async () => {
    const pubsub = new InProcessPubSub();
    const stream = openStatusStream(watcher, pubsub, targets)[Symbol.asyncIterator]();
    // The first message is taken: the stream is open and listening.
    const first = stream.next();
    await turns(3);
    let cursor = 0;
    // A fault, then the recovery, while the subscriber takes nothing (a busy process): two changes per status.
    for (const target of targets) await pubsub.publish(watcher.topicOf(target), change(target, ++cursor, { previous: 'Active', failure: outage }));
    for (const target of targets) await pubsub.publish(watcher.topicOf(target), change(target, ++cursor, { current: 'Active' }));

    const received = [(await first).value as StatusChangeMessage];
    while (received.length < STATUSES * 2) {
      const next = await Promise.race([stream.next(), turns(5).then(() => undefined)]);
      if (!next) break;
      received.push(next.value);
    }
    const last = new Map(received.map((message) => [message.key, message]));
    // Every status ends on its recovery; fewer than two messages per status went out (the backlog was conflated).
    expect(last.size).toBe(STATUSES);
    for (const message of last.values()) expect(message.current).toBe('Active');
    expect(received.length).toBeLessThan(STATUSES * 2);
    // A change that took the place of an error the subscriber never got says what it had before that error.
    const gotError = new Set(received.filter((message) => message.failure).map((message) => message.key));
    const merged = received.filter((message) => !message.failure && !gotError.has(message.key));
    expect(merged.length).toBeGreaterThan(0);
    expect(merged.every((message) => message.previous === 'Active')).toBe(true);
    const cursors = received.map((message) => Number(message.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    await stream.return?.();
  });

  it('gets every change when it keeps up', async () => {
    const pubsub = new InProcessPubSub();
    const stream = openStatusStream(watcher, pubsub, targets.slice(0, 1))[Symbol.asyncIterator]();
    const next = stream.next();
    await turns(3);
    await pubsub.publish(watcher.topicOf(targets[0]!), change(targets[0]!, 1, { previous: 'Active', failure: outage }));
    await pubsub.publish(watcher.topicOf(targets[0]!), change(targets[0]!, 2, { current: 'Active' }));
    expect([(await next).value.cursor, (await stream.next()).value.cursor]).toEqual(['1', '2']);
    await stream.return?.();
  });
});

describe('a resumed whole-organization stream whose directory comes page by page', () => {
  const A = '222222222222';
  const B = '333333333333';
  const targetOf = (accountId: string) => ({ kind: 'enrollment', accountId }) as const;
  /** Events 1–6, A's odd and B's even; a page's replay reads only its accounts' events (the filter's accountIds). */
  const history: StatusHistory = {
    record: async () => [],
    page: async () => ({ events: [], hasMore: false }),
    latestCursor: async () => '6',
    async replay(filter, after, limit) {
      const events = [1, 2, 3, 4, 5, 6].map((cursor) => {
        const target = targetOf(cursor % 2 === 1 ? A : B);
        return { ...eventAt(cursor), key: watchKey(target), target, accountId: target.accountId };
      });
      return events.filter((event) => Number(event.cursor) > Number(after) && (!filter.accountIds || filter.accountIds.includes(event.accountId))).slice(0, limit);
    },
  };
  const pagedWatcher = {
    ...watcher,
    accountsJoinedTopic: 'joined',
    creationsFollowedTopic: 'followed',
    creationsFollowed: async () => [],
  } as unknown as StatusWatcher;
  const open = (pages: (page: (accountIds: readonly string[]) => void) => Promise<void>) =>
    openStatusStream(pagedWatcher, new InProcessPubSub(), [], {
      resume: { history, after: '0', filter: {} },
      targetsOfJoined: (accountIds) => accountIds.map(targetOf),
      pages,
    })[Symbol.asyncIterator]();
  const take = async (stream: AsyncIterator<StatusChangeMessage>, count: number) => {
    const taken: string[] = [];
    for (let index = 0; index < count; index++) {
      const { value } = await stream.next();
      taken.push(`${'accountId' in value.target && value.target.accountId === A ? 'A' : 'B'}@${value.cursor}`);
    }
    return taken;
  };

  it("replays every account's events in cursor order, each with its own, though a later page is still to come", async () => {
    let secondPage = () => undefined as void;
    const stream = open(async (page) => {
      page([A]);
      await new Promise<void>((resolve) => (secondPage = resolve));
      page([B]);
    });
    // History needs no directory: B's events go out in their place before B's page arrives, none going back.
    expect(await take(stream, 6)).toEqual(['A@1', 'B@2', 'A@3', 'B@4', 'A@5', 'B@6']);
    secondPage();
    await stream.return?.();
  });

  it('sends the current state of an account that joins once it is open (a created account: history may have nothing newer)', async () => {
    const C = '444444444444';
    const joined = targetOf(C);
    const reading: StatusChangeMessage = { key: watchKey(joined), target: joined, current: 'Active', changedAt: new Date().toISOString(), cursor: '3' };
    const joinWatcher = {
      ...pagedWatcher,
      watch: (target: WatchTarget) => ({
        key: watchKey(target),
        current: () => (watchKey(target) === reading.key ? Promise.resolve(reading) : new Promise<StatusChangeMessage>(() => undefined)),
        release: () => undefined,
      }),
    } as unknown as StatusWatcher;
    const pubsub = new InProcessPubSub();
    const stream = openStatusStream(joinWatcher, pubsub, [], {
      resume: { history, after: '6', filter: {} },
      targetsOfJoined: (accountIds) => accountIds.map(targetOf),
      pages: async (page) => page([A, B]),
    })[Symbol.asyncIterator]();
    const next = stream.next();
    await turns(5);
    await pubsub.publish('joined', [C]);
    expect((await next).value).toMatchObject({ key: reading.key, current: 'Active' });
    await stream.return?.();
  });

  it("gives each replayed event its own cursor once every page is known (one page: the board's resume)", async () => {
    const stream = open(async (page) => page([A, B]));
    expect(await take(stream, 6)).toEqual(['A@1', 'B@2', 'A@3', 'B@4', 'A@5', 'B@6']);
    await stream.return?.();
  });
});
