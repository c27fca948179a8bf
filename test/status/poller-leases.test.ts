// The StatusWatcher through the PollerLeases port, with no Redis: alone (InProcessPollerLeases, it polls everything)
// and as two instances sharing one in-memory lease table, one cache and one PubSub (test/support/memory-leases.ts),
// where only the holder polls, a released lease moves, and the new holder's first change carries the value the
// previous holder published. Time is virtual (vitest's fake timers and Date).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AwsServices, EnrollmentStatusRecord } from '../../src/aws/types.js';
import { InProcessPollerLeases, type PollerLeases } from '../../src/status/poller-leases.js';
import { InProcessPubSub } from '../../src/status/pubsub.js';
import { InMemoryStatusCache, type StatusCache } from '../../src/status/status-cache.js';
import { StatusService, type WatchTarget } from '../../src/status/status-service.js';
import { StatusWatcher, type StatusChangeMessage } from '../../src/status/status-watcher.js';
import { MemoryLeaseTable } from '../support/memory-leases.js';

const MEMBER = '200000000001';
const TARGET: WatchTarget = { kind: 'enrollment', accountId: MEMBER };
const LEASE_MS = 300;

/** One member's Compute Optimizer enrollment, asked directly in the member; `calls` counts the asks. */
function enrollmentOf(initial: string) {
  const state = { status: initial, calls: 0 };
  const aws = {
    callerAccountId: async () => '000000000000',
    getEnrollmentStatus: async (accountId: string) => {
      state.calls += 1;
      return { accountId, status: state.status } satisfies EnrollmentStatusRecord;
    },
  } as unknown as AwsServices;
  return { aws, state };
}

const watchers: StatusWatcher[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => watcher.close()));
  vi.useRealTimers();
});

/** An instance: its own StatusService and watcher over the shared cache, PubSub and leases. */
function instance(aws: AwsServices, cache: StatusCache, pubsub: InProcessPubSub, leases: PollerLeases): StatusWatcher {
  const status = new StatusService({ aws, cache, ttl: { transitionalMs: 10, settledMs: 10 }, fleetwiseRegions: ['us-east-1'] });
  const watcher = new StatusWatcher({ status: status.forPolling(), pubsub, leases, fastMs: 20, slowMs: 60 });
  watchers.push(watcher);
  return watcher;
}

async function heard(pubsub: InProcessPubSub, topic: string): Promise<StatusChangeMessage[]> {
  const messages: StatusChangeMessage[] = [];
  await pubsub.subscribe(topic, (message) => messages.push(message as StatusChangeMessage));
  return messages;
}

describe('StatusWatcher through the PollerLeases port', () => {
  it('alone, holds every lease: polls a new watch at once and publishes only changes', async () => {
    const { aws, state } = enrollmentOf('Inactive');
    const pubsub = new InProcessPubSub();
    const watcher = instance(aws, new InMemoryStatusCache(), pubsub, new InProcessPollerLeases());
    const messages = await heard(pubsub, watcher.topicOf(TARGET));
    const watch = watcher.watch(TARGET);
    await vi.advanceTimersByTimeAsync(0);
    expect(state.calls).toBe(1);
    expect(watcher.polling).toBe(1);
    expect((await watch.current()).current).toBe('Inactive');
    state.status = 'Pending';
    await vi.advanceTimersByTimeAsync(100);
    expect(messages.map(({ previous, current }) => [previous, current])).toEqual([['Inactive', 'Pending']]);
    watch.release();
  });

  it('shared, only the holder polls; a released lease moves, and the first change after it carries the last value published', async () => {
    const { aws, state } = enrollmentOf('Inactive');
    const cache = new InMemoryStatusCache();
    const pubsub = new InProcessPubSub();
    const table = new MemoryLeaseTable();
    const [first, second] = [instance(aws, cache, pubsub, table.instance('a', LEASE_MS)), instance(aws, cache, pubsub, table.instance('b', LEASE_MS))];
    const topic = first.topicOf(TARGET);

    const onFirst = first.watch(TARGET);
    await vi.advanceTimersByTimeAsync(20);
    expect(table.holder(`enrollment:${MEMBER}`)).toBe('a');
    expect((await onFirst.current()).current).toBe('Inactive');
    // The second instance starts watching after the holder published its first reading: it heard nothing of it.
    const messages = await heard(pubsub, topic);
    const onSecond = second.watch(TARGET);
    await vi.advanceTimersByTimeAsync(LEASE_MS);
    expect([first.polling, second.polling]).toEqual([1, 0]);
    expect((await onSecond.current()).current).toBe('Inactive');

    // The holder's last watcher leaves; the status changes before the other instance takes the lease and polls.
    onFirst.release();
    await vi.advanceTimersByTimeAsync(0);
    state.status = 'Active';
    await vi.advanceTimersByTimeAsync(LEASE_MS);
    expect(table.holder(`enrollment:${MEMBER}`)).toBe('b');
    expect(second.polling).toBe(1);
    expect(messages.map(({ previous, current }) => [previous, current])).toEqual([['Inactive', 'Active']]);
    onSecond.release();
  });
});
