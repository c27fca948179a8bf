// StatusWatcher: pollers shared per watched status, polled in batches, publishing only changes. Calls to AWS are
// recorded on an in-memory organization, as DataLoader's tests record batches. Time is virtual (vitest's fake timers
// and Date): each test moves it by exactly the intervals it is about, so a busy machine changes nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsCallError } from '../../src/aws/errors.js';
import type { AwsServices, EnrollmentStatusRecord } from '../../src/aws/types.js';
import { InProcessPubSub } from '../../src/status/pubsub.js';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';
import { StatusService, watchKey, type WatchTarget } from '../../src/status/status-service.js';
import { StatusWatcher, type StatusChangeMessage } from '../../src/status/status-watcher.js';

const MANAGEMENT = '000000000000';
const members = Array.from({ length: 5 }, (_, index) => String(200000000001 + index));

function organization() {
  const calls: string[] = [];
  const enrollment = new Map<string, string>(members.map((id) => [id, 'Inactive']));
  let throttleFleetwise = false;
  /** Services answering 5xx (after the SDK's retries), as in an outage: for every caller, or for these accounts. */
  const down = new Map<string, ReadonlySet<string> | 'all'>();
  const failIfDown = (service: string, operation: string, accountId?: string) => {
    const callers = down.get(service);
    if (callers === 'all' || (callers && accountId !== undefined && callers.has(accountId))) {
      throw new AwsCallError({ service, operation, code: 'InternalServerException', message: 'down', retryable: true, throttled: false });
    }
  };
  const aws = {
    callerAccountId: async () => MANAGEMENT,
    getEnrollmentStatus: async (id: string) => {
      calls.push(`GetEnrollmentStatus ${id}`);
      failIfDown('compute-optimizer', 'GetEnrollmentStatus', id);
      return { accountId: id, status: enrollment.get(id) ?? 'Active' } satisfies EnrollmentStatusRecord;
    },
    listOrganizationEnrollmentStatuses: async () => {
      calls.push('GetEnrollmentStatusesForOrganization');
      failIfDown('compute-optimizer', 'GetEnrollmentStatusesForOrganization');
      return members.map((id) => ({ accountId: id, status: enrollment.get(id)! }));
    },
    getFleetwiseRegistration: async (id: string) => {
      calls.push(`GetRegisterAccountStatus ${id}`);
      failIfDown('iotfleetwise', 'GetRegisterAccountStatus', id);
      if (throttleFleetwise) {
        throw new AwsCallError({ service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', code: 'ThrottlingException', message: 'slow down', retryable: true, throttled: true });
      }
      return null;
    },
    updateEnrollmentStatus: async ({ accountId, status }: { accountId: string; status: string }) => {
      calls.push(`UpdateEnrollmentStatus ${accountId}`);
      enrollment.set(accountId, status === 'Active' ? 'Pending' : 'Inactive');
      return { accountId, status: enrollment.get(accountId)! };
    },
    isFleetwiseRegion: () => true,
  } as unknown as AwsServices;
  return {
    aws,
    calls,
    setEnrollment: (id: string, status: string) => enrollment.set(id, status),
    setThrottling: (on: boolean) => (throttleFleetwise = on),
    setDown: (service: 'iotfleetwise' | 'compute-optimizer', callers: 'all' | readonly string[] | 'none') =>
      callers === 'none' ? down.delete(service) : down.set(service, callers === 'all' ? 'all' : new Set(callers)),
  };
}

let watcher: StatusWatcher | undefined;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  await watcher?.close();
  vi.useRealTimers();
});

/** Moves virtual time on by `ms`, running the polls due meanwhile and what they start. */
function sleep(ms: number): Promise<void> {
  return vi.advanceTimersByTimeAsync(ms).then(() => undefined);
}

/** A watch's current reading: the first poll is due at once, so time moves by nothing but its timer. */
async function currentOf(watch: { current(): Promise<StatusChangeMessage> }): Promise<StatusChangeMessage> {
  const reading = watch.current();
  await sleep(0);
  return reading;
}

function watcherOver(aws: AwsServices, fastMs = 20, slowMs = 60) {
  const status = new StatusService({ aws, cache: new InMemoryStatusCache(), ttl: { transitionalMs: 10, settledMs: 10 }, fleetwiseRegions: ['us-east-1'] });
  const pubsub = new InProcessPubSub();
  watcher = new StatusWatcher({ status, pubsub, fastMs, slowMs });
  return { status, pubsub, watcher };
}

async function listen(pubsub: InProcessPubSub, w: StatusWatcher, target: WatchTarget) {
  const messages: StatusChangeMessage[] = [];
  await pubsub.subscribe(w.topicOf(target), (message) => messages.push(message as StatusChangeMessage));
  return messages;
}

describe('StatusWatcher', () => {
  it('polls many watched enrollments with one org-wide scan per round', async () => {
    const org = organization();
    const { watcher } = watcherOver(org.aws);
    const watches = members.map((accountId) => watcher.watch({ kind: 'enrollment', accountId }));
    const first = await Promise.all(watches.map((watch) => currentOf(watch)));
    expect(first.map((message) => message.current)).toEqual(members.map(() => 'Inactive'));
    expect(org.calls).toEqual(['GetEnrollmentStatusesForOrganization']);
    expect(watcher.size).toBe(members.length);
  });

  it('shares one poller between watchers of the same status and stops it with the last', async () => {
    const org = organization();
    const { watcher } = watcherOver(org.aws);
    const target: WatchTarget = { kind: 'enrollment', accountId: members[0]! };
    const a = watcher.watch(target);
    const b = watcher.watch(target);
    await currentOf(a);
    expect(watcher.size).toBe(1);
    a.release();
    expect(watcher.size).toBe(1);
    b.release();
    expect(watcher.size).toBe(0);
    org.calls.length = 0;
    await sleep(150);
    expect(org.calls).toEqual([]);
  });

  it('publishes a change once, with the previous and current status, and nothing while it stays the same', async () => {
    const org = organization();
    const { watcher, pubsub } = watcherOver(org.aws);
    const target: WatchTarget = { kind: 'enrollment', accountId: members[1]! };
    const messages = await listen(pubsub, watcher, target);
    const watch = watcher.watch(target);
    await currentOf(watch);
    await sleep(150);
    expect(messages).toEqual([]);
    org.setEnrollment(members[1]!, 'Pending');
    // The next slow poll (60 ms) sees it.
    await sleep(60);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ previous: 'Inactive', current: 'Pending' });
    watch.release();
  });

  it('polls fast while transitional and slowly once settled', async () => {
    const org = organization();
    const { watcher } = watcherOver(org.aws, 20, 400);
    org.setEnrollment(members[2]!, 'Pending');
    const watch = watcher.watch({ kind: 'enrollment', accountId: members[2]! });
    await currentOf(watch);
    org.calls.length = 0;
    await sleep(300);
    // Every 20 ms while Pending.
    expect(org.calls.length).toBe(15);
    org.setEnrollment(members[2]!, 'Active');
    await sleep(20);
    org.calls.length = 0;
    // Settled: the next poll is 400 ms away.
    await sleep(399);
    expect(org.calls).toEqual([]);
    await sleep(1);
    expect(org.calls).toHaveLength(1);
    watch.release();
  });

  it('reports a failure as a message, backs off while throttled, and reports recovery', async () => {
    const org = organization();
    const { watcher, pubsub } = watcherOver(org.aws, 20, 400);
    const target: WatchTarget = { kind: 'fleetwise', accountId: members[3]!, region: 'us-east-1' };
    const messages = await listen(pubsub, watcher, target);
    const watch = watcher.watch(target);
    expect((await currentOf(watch)).current).toBeNull();
    org.setThrottling(true);
    watcher.poke([target]);
    await sleep(0);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.failure).toMatchObject({ code: 'ThrottlingException', throttled: true });
    org.calls.length = 0;
    await sleep(400);
    // Throttled, it backs off (twice its interval, at most the slow interval): one call in 400 ms, not 20.
    expect(org.calls).toHaveLength(1);
    org.setThrottling(false);
    // The back-off is capped at the slow interval (400 ms).
    await sleep(400);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ current: null });
    expect(messages[1]!.failure).toBeUndefined();
    watch.release();
  });

  it('looks again at a status an outage failed from the fast interval, backing off while the outage lasts', async () => {
    const org = organization();
    const { watcher, pubsub } = watcherOver(org.aws, 20, 400);
    const target: WatchTarget = { kind: 'fleetwise', accountId: members[3]!, region: 'us-east-1' };
    const messages = await listen(pubsub, watcher, target);
    const watch = watcher.watch(target);
    await currentOf(watch);
    org.setDown('iotfleetwise', 'all');
    watcher.poke([target]);
    await sleep(0);
    expect(messages[0]!.failure).toMatchObject({ code: 'InternalServerException', throttled: false });
    // Settled, it was read every 400 ms; failing for an outage, again after 20, 40, 80, 160 ms (at 20, 60, 140, 300).
    org.calls.length = 0;
    await sleep(300);
    expect(org.calls).toHaveLength(4);
    // Then 320 ms (doubling up to the slow interval); the outage ends meanwhile, and that poll reports it.
    org.setDown('iotfleetwise', 'none');
    await sleep(319);
    expect(org.calls).toHaveLength(4);
    await sleep(1);
    expect(org.calls).toHaveLength(5);
    expect(messages.at(-1)).toMatchObject({ current: null });
    watch.release();
  });

  it('re-reads every status an outage failed as soon as one poll finds its service answering: one round, one call each, one scan for enrollments', async () => {
    const org = organization();
    // One interval for everything: a status that failed would otherwise be read again only when it comes round.
    const { watcher, pubsub } = watcherOver(org.aws, 400, 400);
    const fleetwise = members.map((accountId): WatchTarget => ({ kind: 'fleetwise', accountId, region: 'us-east-1' }));
    const enrollments = members.map((accountId): WatchTarget => ({ kind: 'enrollment', accountId }));
    const heard = new Map<string, StatusChangeMessage[]>();
    for (const target of [...fleetwise, ...enrollments]) heard.set(watchKey(target), await listen(pubsub, watcher, target));
    const lastHeard = (target: WatchTarget) => heard.get(watchKey(target))!.at(-1);
    const watches = [...fleetwise, ...enrollments].map((target) => watcher.watch(target));
    await Promise.all(watches.map((watch) => currentOf(watch)));

    org.setDown('iotfleetwise', 'all');
    org.setDown('compute-optimizer', 'all');
    await sleep(400);
    for (const target of [...fleetwise, ...enrollments]) expect(lastHeard(target)?.failure).toMatchObject({ code: 'InternalServerException' });

    // Compute Optimizer answers again (FleetWise does not yet): a mutation's poke reads one enrollment, which finds it
    // answering, and the four others that failed are read at once, by one org-wide scan.
    await sleep(100);
    org.setDown('compute-optimizer', 'none');
    org.calls.length = 0;
    watcher.poke([enrollments[0]!]);
    // The round the recovery pokes follows the one that found it, within a few virtual ms (a timer set while timers
    // run fires a millisecond later) — not when each comes round again, 400 ms on.
    await sleep(5);
    expect(org.calls).toEqual([`GetEnrollmentStatus ${members[0]}`, 'GetEnrollmentStatusesForOrganization']);
    for (const target of enrollments) expect(lastHeard(target)).toMatchObject({ current: 'Inactive' });
    for (const target of fleetwise) expect(lastHeard(target)?.failure).toBeDefined();

    // FleetWise answers again, except for the last member: one call per status that failed, and the one still failing
    // is left to its back-off, not polled again by its neighbours' recovery.
    org.setDown('iotfleetwise', [members[4]!]);
    org.calls.length = 0;
    watcher.poke([fleetwise[0]!]);
    await sleep(5);
    expect([...org.calls].sort()).toEqual(members.map((id) => `GetRegisterAccountStatus ${id}`).sort());
    for (const target of fleetwise.slice(0, 4)) expect(lastHeard(target)).toMatchObject({ current: null });
    expect(lastHeard(fleetwise[4]!)?.failure).toBeDefined();
    // Nothing more (no poke answering a poke) until the first comes round again, 400 ms after the enrollments' reading.
    org.calls.length = 0;
    await sleep(385);
    expect(org.calls).toEqual([]);
    for (const watch of watches) watch.release();
  });

  it('keeps a poll that failed because of statusgraph itself out of the stream, tells onInternalError, and goes on', async () => {
    const org = organization();
    let broken = false;
    const aws = {
      ...org.aws,
      getFleetwiseRegistration: async (id: string) => {
        if (broken) throw new TypeError('a bug of ours');
        return org.aws.getFleetwiseRegistration(id, 'us-east-1');
      },
    } as unknown as AwsServices;
    const status = new StatusService({ aws, cache: new InMemoryStatusCache(), ttl: { transitionalMs: 10, settledMs: 10 }, fleetwiseRegions: ['us-east-1'] });
    const pubsub = new InProcessPubSub();
    const internal: string[] = [];
    watcher = new StatusWatcher({ status, pubsub, fastMs: 20, slowMs: 60, onInternalError: (error, key) => internal.push(`${key} ${error.message}`) });
    const target: WatchTarget = { kind: 'fleetwise', accountId: members[2]!, region: 'us-east-1' };
    const messages = await listen(pubsub, watcher, target);
    const watch = watcher.watch(target);
    expect((await currentOf(watch)).current).toBeNull();
    broken = true;
    watcher.poke([target]);
    await sleep(0);
    expect(internal[0]).toBe(`fleetwise:${members[2]}:us-east-1 a bug of ours`);
    broken = false;
    watcher.poke([target]);
    await sleep(0);
    expect(org.calls.filter((call) => call.startsWith('GetRegisterAccountStatus'))).toHaveLength(2);
    // Neither the failure nor a "recovery" reached subscribers: the status never changed.
    expect(messages).toEqual([]);
    expect((await currentOf(watch)).failure).toBeUndefined();
    watch.release();
  });

  it('looks again at once when a mutation says a status changed', async () => {
    const org = organization();
    const { watcher, status } = watcherOver(org.aws, 1_000, 5_000);
    const watch = watcher.watch({ kind: 'enrollment', accountId: members[4]! });
    await currentOf(watch);
    org.calls.length = 0;
    await status.updateEnrollment({ accountId: members[4]!, status: 'Active' });
    // Not a second later (the fast interval here): now.
    await sleep(0);
    expect(org.calls).toEqual(['UpdateEnrollmentStatus ' + members[4], `GetEnrollmentStatus ${members[4]}`]);
    watch.release();
  });
});
