// One instance loses Redis while another keeps it (a TCP pass-through cut in between): the cut-off instance answers
// from AWS with its in-process cache, tells Redis what it invalidated meanwhile once it is back, and still stops
// promptly while Redis is away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';
import { RedisConnection, RedisPubSub, RedisStatusCache } from '../../src/status/redis/index.js';
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
    await expect.poll(() => other.peek('enrollment:111111111111'), { timeout: 5_000 }).toBeUndefined();
    expect(await other.peek('fleetwise:222222222222:us-east-1')).toBeUndefined();
    expect(await other.peek('fleetwise:222222222222:eu-central-1')).toBeUndefined();
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
});
