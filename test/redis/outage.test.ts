// One instance loses Redis while another keeps it (a TCP pass-through cut in between): the cut-off instance answers
// from AWS with its in-process cache, tells Redis what it invalidated meanwhile once it is back, and still stops
// promptly while Redis is away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsServices, FleetwiseRegistrationRecord } from '../../src/aws/types.js';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';
import { StatusService } from '../../src/status/status-service.js';
import { StatusWatcher, type StatusChangeMessage } from '../../src/status/status-watcher.js';
import { RedisConnection, RedisPollerLeases, RedisPubSub, RedisStatusCache } from '../../src/status/redis/index.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { startTcpCut, type TcpCut } from './support/tcp-cut.js';

let redis: RedisServer;
let link: TcpCut;
const connections: RedisConnection[] = [];

async function connect(url: string, name: string, onStateChange?: (up: boolean) => void): Promise<RedisConnection> {
  const connection = new RedisConnection({ url, name, onStateChange });
  connections.push(connection);
  expect(await connection.waitUntilUp(10_000)).toBe(true);
  return connection;
}

beforeAll(async () => {
  redis = await startRedisServer();
  link = await startTcpCut(redis.port);
});
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  await link?.close();
  await redis?.close();
});

describe('an instance cut off from Redis', () => {
  it('answers from its in-process cache meanwhile, and replays its invalidations when Redis is back', async () => {
    const states: boolean[] = [];
    const cutOffConnection = await connect(link.url, 'cut-off', (up) => states.push(up));
    const fallback = new InMemoryStatusCache();
    const cutOff = new RedisStatusCache({ connection: cutOffConnection, keyPrefix: 'outage:', fallback });
    const other = new RedisStatusCache({ connection: await connect(redis.url, 'other'), keyPrefix: 'outage:' });
    await other.set('enrollment:111111111111', 'Inactive', 60_000);
    await other.set('fleetwise:222222222222:us-east-1', 'REGISTRATION_SUCCESS', 60_000);
    await other.set('fleetwise:222222222222:eu-central-1', 'REGISTRATION_SUCCESS', 60_000);

    await link.cut();
    await expect.poll(() => cutOffConnection.up).toBe(false);
    const loads: string[] = [];
    const load = async () => (loads.push('aws'), 'Pending');
    expect((await cutOff.getOrLoad('enrollment:111111111111', load, () => 60_000)).value).toBe('Pending');
    expect((await cutOff.getOrLoad('enrollment:111111111111', load, () => 60_000)).value).toBe('Pending');
    expect(loads).toEqual(['aws']);
    // A mutation on the cut-off instance: Redis still holds the old values, which the others keep serving for now.
    await cutOff.invalidate('enrollment:111111111111');
    await cutOff.invalidate('fleetwise:222222222222', { withChildren: true });
    expect((await other.peek('enrollment:111111111111'))?.value).toBe('Inactive');

    await link.restore();
    await expect.poll(() => cutOffConnection.up, { timeout: 10_000 }).toBe(true);
    // The replay runs when the connection comes back, not before this test hears about it: wait for it to land.
    const replayed = ['enrollment:111111111111', 'fleetwise:222222222222:us-east-1', 'fleetwise:222222222222:eu-central-1'];
    await expect.poll(async () => (await Promise.all(replayed.map((key) => other.peek(key)))).filter(Boolean), { timeout: 5_000 }).toEqual([]);
    expect(await fallback.peek('enrollment:111111111111')).toBeUndefined();
    expect(states).toEqual([true, false, true]);
  });

  // A hang here would run into this test's own timeout: close must not wait for a Redis that is not there.
  it('still stops promptly: nothing waits for Redis to come back', { timeout: 5_000 }, async () => {
    const connection = await connect(link.url, 'closing');
    const pubsub = new RedisPubSub({ connection, channelPrefix: 'outage-close:' });
    const unsubscribe = await pubsub.subscribe('status:x', () => undefined);
    await link.cut();
    await expect.poll(() => connection.up).toBe(false);
    await unsubscribe();
    await pubsub.close();
    await connection.close();
    expect(connection.up).toBe(false);
    await link.restore();
  });

  it('sends the changes its pollers saw meanwhile once Redis is back', async () => {
    // One FleetWise registration that the test moves along, read by the cut-off instance's poller.
    let accountStatus: FleetwiseRegistrationRecord['accountStatus'] = 'REGISTRATION_PENDING';
    let reads = 0;
    const aws = {
      getFleetwiseRegistration: async () => {
        reads += 1;
        return { accountStatus, customerAccountId: '333333333333' } as FleetwiseRegistrationRecord;
      },
    } as unknown as AwsServices;
    const connection = await connect(link.url, 'poller');
    const status = new StatusService({
      aws,
      cache: new RedisStatusCache({ connection, keyPrefix: 'outage-poll:cache:' }),
      ttl: { transitionalMs: 10, settledMs: 10 },
      fleetwiseRegions: ['us-east-1'],
    });
    const pubsub = new RedisPubSub({ connection, channelPrefix: 'outage-poll:topic:' });
    // A lease far longer than the test: the change must travel without waiting for the lease to lapse and be taken again.
    const leases = new RedisPollerLeases({ connection, instanceId: 'poller', leaseMs: 60_000, keyPrefix: 'outage-poll:lease:' });
    const watcher = new StatusWatcher({ status, pubsub, leases, fastMs: 20, slowMs: 60 });
    try {
      const target = { kind: 'fleetwise', accountId: '333333333333', region: 'us-east-1' } as const;
      const elsewhere = new RedisPubSub({ connection: await connect(redis.url, 'listener'), channelPrefix: 'outage-poll:topic:' });
      const heard: StatusChangeMessage[] = [];
      await elsewhere.subscribe(watcher.topicOf(target), (message) => heard.push(message as StatusChangeMessage));
      const watch = watcher.watch(target);
      await expect.poll(() => watcher.polling, { timeout: 5_000 }).toBe(1);
      await expect.poll(() => heard.some((message) => message.current === 'REGISTRATION_PENDING'), { timeout: 5_000 }).toBe(true);

      await link.cut();
      await expect.poll(() => connection.up).toBe(false);
      accountStatus = 'REGISTRATION_SUCCESS';
      // The poller goes on while its lease is still certainly its own: it reads the change and cannot publish it.
      const readsBefore = reads;
      await expect.poll(() => reads, { timeout: 5_000 }).toBeGreaterThanOrEqual(readsBefore + 2);
      expect(heard.some((message) => message.current === 'REGISTRATION_SUCCESS')).toBe(false);
      await link.restore();
      await expect.poll(() => heard.some((message) => message.current === 'REGISTRATION_SUCCESS'), { timeout: 10_000 }).toBe(true);
      watch.release();
    } finally {
      await watcher.close();
    }
  });
});
