// A subscriber's stream (status-stream.ts) against the real StatusWatcher and StatusService, on a small in-memory
// organization whose FleetWise reads the test can hold: a read is answered with the state when it is asked, and its
// answer given when the test says (an AWS read served before a change and delivered after it). Two instances share
// one PubSub, as they share Redis's: the one that registers an account publishes the change, the other opens a stream.
// Nothing waits for the clock: polls come due only when a test pokes them (intervals of 10 minutes).
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsServices, FleetwiseRegistrationRecord, RegisterFleetwiseParams } from '../../src/aws/types.js';
import { InProcessPubSub } from '../../src/status/pubsub.js';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';
import { StatusService, type WatchTarget } from '../../src/status/status-service.js';
import { openStatusStream, type StreamMessage } from '../../src/status/status-stream.js';
import { StatusWatcher } from '../../src/status/status-watcher.js';

const MANAGEMENT = '000000000000';
const MEMBER = '200000000001';
const REGION = 'us-east-1';
const TEN_MINUTES = 600_000;

/** FleetWise registrations of one organization, with the next read of an account held when the test asks. */
function organization() {
  const registrations = new Map<string, FleetwiseRegistrationRecord>();
  const held: (() => void)[] = [];
  let holdNext = false;
  let heldOne: () => void = () => undefined;
  const aws = {
    callerAccountId: async () => MANAGEMENT,
    isFleetwiseRegion: (region: string) => region === REGION,
    getFleetwiseRegistration: async (id: string) => {
      const answer = registrations.get(id) ?? null;
      if (!holdNext) return answer;
      holdNext = false;
      await new Promise<void>((release) => {
        held.push(release);
        heldOne();
      });
      return answer;
    },
    registerFleetwiseAccount: async ({ accountId }: RegisterFleetwiseParams) => {
      const record: FleetwiseRegistrationRecord = { accountId, accountStatus: 'REGISTRATION_PENDING' } as FleetwiseRegistrationRecord;
      registrations.set(accountId, record);
      return record;
    },
  } as unknown as AwsServices;
  return {
    aws,
    /** The next FleetWise read is answered as it is asked, and given once released; resolves when it is asked. */
    holdNextRead: () =>
      new Promise<void>((resolve) => {
        holdNext = true;
        heldOne = resolve;
      }),
    releaseHeld: () => held.splice(0).forEach((release) => release()),
  };
}

const watchers: StatusWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => watcher.close()));
});

function instance(aws: AwsServices, pubsub: InProcessPubSub) {
  const status = new StatusService({ aws, cache: new InMemoryStatusCache(), ttl: { transitionalMs: TEN_MINUTES, settledMs: TEN_MINUTES }, fleetwiseRegions: [REGION] });
  const watcher = new StatusWatcher({ status, pubsub, fastMs: TEN_MINUTES, slowMs: TEN_MINUTES });
  watchers.push(watcher);
  return { status, watcher };
}

/** Reads a stream into an array as it goes; `until` resolves once a message matches. */
function collect(stream: AsyncIterable<StreamMessage>) {
  const received: StreamMessage[] = [];
  const waiters: (() => void)[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      received.push(next.value);
      waiters.splice(0).forEach((wake) => wake());
    }
  })();
  return {
    received,
    async until(predicate: (message: StreamMessage) => boolean): Promise<void> {
      while (!received.some(predicate)) await new Promise<void>((wake) => waiters.push(wake));
    },
    stop: () => void iterator.return?.(),
  };
}

describe('a stream opening while its status changes', () => {
  it('does not send its opening reading after a live change of that status went out', async () => {
    const org = organization();
    const pubsub = new InProcessPubSub();
    const here = instance(org.aws, pubsub);
    const there = instance(org.aws, pubsub);
    const target: WatchTarget = { kind: 'fleetwise', accountId: MEMBER, region: REGION };
    // The other instance watches the status already: it has read it (not registered).
    expect((await there.watcher.watch(target).current()).current).toBeNull();

    // Here, a stream opens: its opening read (this instance's first poll) is asked, and its answer held.
    const asked = org.holdNextRead();
    const stream = collect(openStatusStream(here.watcher, pubsub, [target]));
    await asked;

    // The other instance registers the account; its poll publishes the change, which this stream sends at once.
    await there.status.registerFleetwise({ accountId: MEMBER, region: REGION, iamRoleArn: `arn:aws:iam::${MEMBER}:role/FleetWise` });
    await stream.until((message) => message.current === 'REGISTRATION_PENDING');

    // The opening read's older answer arrives only now: the stream must not take its subscriber back to it.
    org.releaseHeld();
    expect((await here.watcher.watch(target).current()).current).toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    stream.stop();
    expect(stream.received.map((message) => message.current)).toEqual(['REGISTRATION_PENDING']);
  });
});
