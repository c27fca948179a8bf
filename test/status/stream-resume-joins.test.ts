// A resumed whole-organization stream (status-stream.ts over history-stream.ts) when an account joins around the
// resume: the subscriber gets the account's state once — from the replay or as the account joins — then every event
// recorded after it; a first poll of the joined account that history found unchanged goes out only when it carries a
// newer cursor than the state sent (where the value was recorded), and the account's creation status, which history
// keeps under the creation request that made it (`request:` events naming the account), is not sent a second time.
// The history is an array behind the StatusHistory port; the watcher's current readings and the changes on its topics
// are what the test publishes.
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

const OLD = '222222222222';
const JOINED = '444444444444';
const REQUEST = 'car-0123456789abcdef';

const enrollment = (accountId: string): WatchTarget => ({ kind: 'enrollment', accountId });
const creation = (accountId: string): WatchTarget => ({ kind: 'creation', accountId });

/** A history holding `events`, replayed after a cursor. */
function historyOf(events: readonly StatusEvent[]): StatusHistory {
  return {
    record: async () => [],
    page: async () => ({ events: [], hasMore: false }),
    latestCursor: async () => events.at(-1)?.cursor,
    async replay(_filter, after, limit) {
      return events.filter((event) => Number(event.cursor) > Number(after)).slice(0, limit);
    },
  };
}

function eventOf(cursor: number, target: WatchTarget, previous: string | null | undefined, current: string | null, extra: Partial<StatusEvent> = {}): StatusEvent {
  return {
    cursor: String(cursor),
    key: watchKey(target),
    target,
    source: target.kind === 'enrollment' ? 'COMPUTE_OPTIMIZER_ENROLLMENT' : 'CREATION_REQUEST',
    ...('accountId' in target ? { accountId: target.accountId } : {}),
    hasPrevious: previous !== undefined,
    previous: previous ?? null,
    current,
    observedAt: new Date(1_700_000_000_000 + cursor),
    observedBy: 'poll',
    ...extra,
  };
}

/** A watcher whose current readings are the test's: `readings` by watch key; others never come. */
function watcherReading(readings: ReadonlyMap<string, StatusChangeMessage>): StatusWatcher {
  return {
    ...silentWatcher,
    watch: (target: WatchTarget) => ({
      key: watchKey(target),
      current: () => {
        const reading = readings.get(watchKey(target));
        return reading ? Promise.resolve(reading) : new Promise<StatusChangeMessage>(() => undefined);
      },
      release: () => undefined,
    }),
  } as unknown as StatusWatcher;
}

const reading = (target: WatchTarget, current: string | null, extra: Partial<StatusChangeMessage> = {}): StatusChangeMessage => ({
  key: watchKey(target),
  target,
  current,
  changedAt: new Date(1_700_000_000_000).toISOString(),
  ...extra,
});

const turns = async (count: number) => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

const describeMessage = (message: StatusChangeMessage) => `${message.key}=${message.current}@${message.cursor}`;

describe('a resumed whole-organization stream an account joins', () => {
  const open = (watcher: StatusWatcher, pubsub: InProcessPubSub, history: StatusHistory, after: string, targetsOf: (ids: readonly string[]) => WatchTarget[]) =>
    openStatusStream(watcher, pubsub, [], {
      resume: { history, after, filter: { accountStatusesOnly: true } },
      targetsOfJoined: targetsOf,
      pages: async (page) => page([OLD]),
    })[Symbol.asyncIterator]();

  it("sends a joined account's state once: not again as a first poll carrying no newer cursor, though every recorded event", async () => {
    const pubsub = new InProcessPubSub();
    const history = historyOf([eventOf(1, enrollment(OLD), undefined, 'Active'), eventOf(2, enrollment(OLD), 'Active', 'Inactive')]);
    const watcher = watcherReading(
      new Map([
        [watchKey(creation(JOINED)), reading(creation(JOINED), 'SUCCEEDED')],
        [watchKey(enrollment(JOINED)), reading(enrollment(JOINED), 'Inactive')],
      ]),
    );
    const stream = open(watcher, pubsub, history, '1', (ids) => ids.flatMap((id) => [creation(id), enrollment(id)]));
    expect(describeMessage((await stream.next()).value)).toBe(`${watchKey(enrollment(OLD))}=Inactive@2`);
    await pubsub.publish(silentWatcher.topicOf(enrollment(OLD)), reading(enrollment(OLD), 'Active', { previous: 'Inactive', cursor: '4', observedBy: 'poll' }));
    expect(describeMessage((await stream.next()).value)).toBe(`${watchKey(enrollment(OLD))}=Active@4`);

    // The account joins: its state now, with the newest cursor the subscriber has.
    const next = [stream.next(), stream.next()];
    await turns(5);
    await pubsub.publish(silentWatcher.accountsJoinedTopic, [JOINED]);
    expect((await Promise.all(next)).map((result) => describeMessage(result.value))).toEqual([
      `${watchKey(creation(JOINED))}=SUCCEEDED@4`,
      `${watchKey(enrollment(JOINED))}=Inactive@4`,
    ]);
    // The first poll of its creation status, which history found unchanged: the cursor of the request's SUCCEEDED (3,
    // recorded on the request's topic), older than the one the subscriber holds for it — not news. The first reading of
    // its enrollment, recorded after (5), is an event, and goes out; so does a change.
    await pubsub.publish(silentWatcher.topicOf(creation(JOINED)), reading(creation(JOINED), 'SUCCEEDED', { cursor: '3' }));
    await pubsub.publish(silentWatcher.topicOf(enrollment(JOINED)), reading(enrollment(JOINED), 'Inactive', { cursor: '5', observedBy: 'poll' }));
    await pubsub.publish(silentWatcher.topicOf(creation(JOINED)), reading(creation(JOINED), null, { previous: 'SUCCEEDED', cursor: '6', observedBy: 'poll' }));
    expect([(await stream.next()).value, (await stream.next()).value].map(describeMessage)).toEqual([
      `${watchKey(enrollment(JOINED))}=Inactive@5`,
      `${watchKey(creation(JOINED))}=null@6`,
    ]);
    await stream.return?.();
  });

  it("sends a joined account's first poll that history found unchanged when its cursor is newer than the one sent with its state", async () => {
    const pubsub = new InProcessPubSub();
    const history = historyOf([eventOf(1, enrollment(OLD), undefined, 'Active'), eventOf(2, enrollment(OLD), 'Active', 'Inactive')]);
    const watcher = watcherReading(new Map([[watchKey(creation(JOINED)), reading(creation(JOINED), 'SUCCEEDED')]]));
    const stream = open(watcher, pubsub, history, '1', (ids) => ids.map(creation));
    expect(describeMessage((await stream.next()).value)).toBe(`${watchKey(enrollment(OLD))}=Inactive@2`);
    const next = stream.next();
    await turns(5);
    await pubsub.publish(silentWatcher.accountsJoinedTopic, [JOINED]);
    expect(describeMessage((await next).value)).toBe(`${watchKey(creation(JOINED))}=SUCCEEDED@2`);
    // The request's SUCCEEDED was recorded (3) after the account joined, on the request's topic: the first poll of the
    // account's creation status carries its cursor. The subscriber resuming after it must not be replayed event 3.
    await pubsub.publish(silentWatcher.topicOf(creation(JOINED)), reading(creation(JOINED), 'SUCCEEDED', { cursor: '3' }));
    expect(describeMessage((await stream.next()).value)).toBe(`${watchKey(creation(JOINED))}=SUCCEEDED@3`);
    await stream.return?.();
  });

  it("sends a followed creation's SUCCEEDED as the recorded event of its account's creation status, before the account joins", async () => {
    const pubsub = new InProcessPubSub();
    const history = historyOf([eventOf(1, enrollment(OLD), undefined, 'Active'), eventOf(2, enrollment(OLD), 'Active', 'Inactive')]);
    const request: WatchTarget = { kind: 'request', requestId: REQUEST };
    const watcher = {
      ...watcherReading(new Map([[watchKey(creation(JOINED)), reading(creation(JOINED), 'SUCCEEDED')]])),
      creationsFollowed: async () => [REQUEST],
    } as unknown as StatusWatcher;
    const stream = open(watcher, pubsub, history, '1', (ids) => ids.map(creation));
    expect(describeMessage((await stream.next()).value)).toBe(`${watchKey(enrollment(OLD))}=Inactive@2`);
    // The request's poll reads SUCCEEDED, naming the account: recorded (3) and published on the request's topic.
    const succeeded = { ...reading(request, 'SUCCEEDED', { previous: 'IN_PROGRESS', cursor: '3', observedBy: 'poll' }), accountId: JOINED };
    await pubsub.publish(silentWatcher.topicOf(request), succeeded);
    expect((await stream.next()).value).toMatchObject({ key: watchKey(creation(JOINED)), previous: 'IN_PROGRESS', current: 'SUCCEEDED', cursor: '3' });
    // Then the account joins: neither its current state nor its first poll (unchanged: event 3) says it again.
    const next = stream.next();
    await turns(5);
    await pubsub.publish(silentWatcher.accountsJoinedTopic, [JOINED]);
    await turns(5);
    await pubsub.publish(silentWatcher.topicOf(creation(JOINED)), reading(creation(JOINED), 'SUCCEEDED', { cursor: '3' }));
    await pubsub.publish(silentWatcher.topicOf(creation(JOINED)), reading(creation(JOINED), null, { previous: 'SUCCEEDED', cursor: '5', observedBy: 'poll' }));
    expect(describeMessage((await next).value)).toBe(`${watchKey(creation(JOINED))}=null@5`);
    await stream.return?.();
  });

  it('sends the creation status of an account that joined while it was away once: replayed from its request, not again as it joins', async () => {
    const pubsub = new InProcessPubSub();
    const request: WatchTarget = { kind: 'request', requestId: REQUEST };
    const history = historyOf([
      eventOf(1, enrollment(OLD), undefined, 'Active'),
      // The request's events, named to the account it made (the replay of account statuses says which).
      eventOf(2, request, undefined, 'IN_PROGRESS', { accountId: JOINED, requestId: REQUEST, observedBy: 'mutation' }),
      eventOf(3, request, 'IN_PROGRESS', 'SUCCEEDED', { accountId: JOINED, requestId: REQUEST }),
    ]);
    const watcher = watcherReading(new Map([[watchKey(creation(JOINED)), reading(creation(JOINED), 'SUCCEEDED')]]));
    const stream = open(watcher, pubsub, history, '1', (ids) => ids.map(creation));
    const replayed = [(await stream.next()).value, (await stream.next()).value];
    expect(replayed.map((message) => [message.current, message.cursor])).toEqual([
      ['IN_PROGRESS', '2'],
      ['SUCCEEDED', '3'],
    ]);

    // The directory read after the resume finds the account new: it joins the stream. Its creation status is what the
    // replay said; its poller's first reading says it again, with the request's cursor. Neither goes out; a change does.
    const next = stream.next();
    await turns(5);
    await pubsub.publish(silentWatcher.accountsJoinedTopic, [JOINED]);
    await turns(5);
    const topic = silentWatcher.topicOf(creation(JOINED));
    await pubsub.publish(topic, reading(creation(JOINED), 'SUCCEEDED', { cursor: '3' }));
    await pubsub.publish(topic, reading(creation(JOINED), null, { previous: 'SUCCEEDED', cursor: '5', observedBy: 'poll' }));
    expect(describeMessage(await next.then((result) => result.value))).toBe(`${watchKey(creation(JOINED))}=null@5`);
    await stream.return?.();
  });
});
