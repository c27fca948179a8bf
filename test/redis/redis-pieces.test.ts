// The Redis pieces against a real redis-server, each as two instances would use it: two connections, two caches,
// two lease holders, two idempotency stores, two PubSubs.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../src/aws/errors.js';
import { IdempotencyKeyReusedError } from '../../src/status/idempotency.js';
import {
  RedisConnection,
  RedisIdempotencyStore,
  RedisPollerLeases,
  RedisPubSub,
  RedisStatusCache,
} from '../../src/status/redis/index.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

let redis: RedisServer;
const connections: RedisConnection[] = [];

async function connect(name: string): Promise<RedisConnection> {
  const connection = new RedisConnection({ url: redis.url, name });
  connections.push(connection);
  expect(await connection.waitUntilUp(10_000)).toBe(true);
  return connection;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  await redis?.close();
});

describe('RedisStatusCache', () => {
  it('answers a key loaded on one instance from Redis on another, with Dates and Maps intact', async () => {
    const lookups: string[] = [];
    const a = new RedisStatusCache({ connection: await connect('cache-a'), keyPrefix: 'shared-test:' });
    const b = new RedisStatusCache({ connection: await connect('cache-b'), keyPrefix: 'shared-test:', onLookup: (kind, outcome) => lookups.push(`${kind}:${outcome}`) });
    const joined = new Date('2024-03-01T12:00:00Z');
    const accounts = [{ id: '111111111111', state: 'ACTIVE', joinedTimestamp: joined }];
    const loaded = await a.getOrLoad('org:accounts', async () => ({ accounts, byId: new Map(accounts.map((account) => [account.id, account])) }), () => 60_000);

    const loadsOnB: string[] = [];
    const fromB = await b.getOrLoad(
      'org:accounts',
      async () => {
        loadsOnB.push('load');
        return { accounts: [], byId: new Map() };
      },
      () => 60_000,
    );
    expect(loadsOnB).toEqual([]);
    expect(lookups).toEqual(['org:hit']);
    expect(fromB.fetchedAt).toEqual(loaded.fetchedAt);
    expect(fromB.value.byId).toBeInstanceOf(Map);
    expect(fromB.value.byId.get('111111111111')?.joinedTimestamp).toEqual(joined);
    expect((await b.peek<typeof loaded.value>('org:accounts'))?.value.accounts).toEqual(accounts);
  });

  it('shares one load between concurrent callers on one instance', async () => {
    const cache = new RedisStatusCache({ connection: await connect('cache-concurrent'), keyPrefix: 'concurrent-test:' });
    const loads: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        cache.getOrLoad('enrollment:222222222222', async () => {
          loads.push('load');
          await sleep(20);
          return { status: 'Active' };
        }, () => 60_000),
      ),
    );
    expect(loads).toEqual(['load']);
    expect(new Set(results.map((result) => result.fetchedAt.getTime())).size).toBe(1);
  });

  it('stores each entry with the TTL its value chose', async () => {
    const cache = new RedisStatusCache({ connection: await connect('cache-ttl'), keyPrefix: 'ttl-test:' });
    const ttl = (value: string) => (value === 'REGISTRATION_PENDING' ? 5_000 : 300_000);
    await cache.getOrLoad('fleetwise:333333333333:us-east-1', async () => 'REGISTRATION_PENDING', ttl);
    await cache.set('fleetwise:444444444444:us-east-1', 'REGISTRATION_SUCCESS', ttl('REGISTRATION_SUCCESS'));
    const client = redis.client();
    const pending = await client.pttl('ttl-test:fleetwise:333333333333:us-east-1');
    const settled = await client.pttl('ttl-test:fleetwise:444444444444:us-east-1');
    expect(pending).toBeGreaterThan(0);
    expect(pending).toBeLessThanOrEqual(5_000);
    expect(settled).toBeGreaterThan(5_000);
    expect(settled).toBeLessThanOrEqual(300_000);
  });

  it('forgets a key and its children on every instance', async () => {
    const a = new RedisStatusCache({ connection: await connect('invalidate-a'), keyPrefix: 'invalidate-test:' });
    const b = new RedisStatusCache({ connection: await connect('invalidate-b'), keyPrefix: 'invalidate-test:' });
    await a.set('fleetwise:111111111111:us-east-1', 'a', 60_000);
    await a.set('fleetwise:111111111111:eu-central-1', 'b', 60_000);
    await a.set('fleetwise:222222222222:us-east-1', 'c', 60_000);
    await b.invalidate('fleetwise:111111111111', { withChildren: true });
    expect(await a.peek('fleetwise:111111111111:us-east-1')).toBeUndefined();
    expect(await a.peek('fleetwise:111111111111:eu-central-1')).toBeUndefined();
    expect((await a.peek('fleetwise:222222222222:us-east-1'))?.value).toBe('c');
  });

  it('does not store a load that was in flight when its key was invalidated, and loads afresh after', async () => {
    const cache = new RedisStatusCache({ connection: await connect('inflight'), keyPrefix: 'inflight-test:' });
    const slow = deferred<string>();
    const loads: string[] = [];
    const before = cache.getOrLoad('enrollment:555555555555', () => (loads.push('before'), slow.promise), () => 60_000);
    await sleep(20);
    await cache.invalidate('enrollment:555555555555');
    const after = cache.getOrLoad('enrollment:555555555555', async () => (loads.push('after'), 'Pending'), () => 60_000);
    slow.resolve('Inactive');
    expect((await before).value).toBe('Inactive');
    expect((await after).value).toBe('Pending');
    expect(loads).toEqual(['before', 'after']);
    expect((await cache.peek('enrollment:555555555555'))?.value).toBe('Pending');
  });

  it('remembers a settled failure on the instance that saw it only', async () => {
    const options = { failureTtlMs: () => 60_000 };
    const a = new RedisStatusCache({ connection: await connect('failure-a'), keyPrefix: 'failure-test:' });
    const b = new RedisStatusCache({ connection: await connect('failure-b'), keyPrefix: 'failure-test:' });
    const loads: string[] = [];
    const denied = (where: string) => async () => {
      loads.push(where);
      throw new Error('AccessDenied');
    };
    await expect(a.getOrLoad('fleetwise:666666666666:us-east-1', denied('a'), () => 1_000, options)).rejects.toThrow('AccessDenied');
    await expect(a.getOrLoad('fleetwise:666666666666:us-east-1', denied('a'), () => 1_000, options)).rejects.toThrow('AccessDenied');
    await expect(b.getOrLoad('fleetwise:666666666666:us-east-1', denied('b'), () => 1_000, options)).rejects.toThrow('AccessDenied');
    expect(loads).toEqual(['a', 'b']);
    expect(await redis.client().exists('failure-test:fleetwise:666666666666:us-east-1')).toBe(0);
  });
});

describe('RedisPollerLeases', () => {
  it('gives a free lease to one instance, which keeps it by renewing while the other cannot take it', async () => {
    const a = new RedisPollerLeases({ connection: await connect('lease-a'), instanceId: 'a', leaseMs: 60_000, keyPrefix: 'lease-test-1:' });
    const b = new RedisPollerLeases({ connection: await connect('lease-b'), instanceId: 'b', leaseMs: 60_000, keyPrefix: 'lease-test-1:' });
    expect([...(await a.claim(['k1', 'k2'])).held].sort()).toEqual(['k1', 'k2']);
    expect([...(await b.claim(['k1', 'k2', 'k3'])).held]).toEqual(['k3']);
    expect([...(await a.claim(['k1', 'k2', 'k3'])).held].sort()).toEqual(['k1', 'k2']);
    expect(await a.holder('k3')).toBe('b');
  });

  it('passes a released lease to the next instance that claims it', async () => {
    const a = new RedisPollerLeases({ connection: await connect('release-a'), instanceId: 'a', leaseMs: 60_000, keyPrefix: 'lease-test-2:' });
    const b = new RedisPollerLeases({ connection: await connect('release-b'), instanceId: 'b', leaseMs: 60_000, keyPrefix: 'lease-test-2:' });
    await a.claim(['k']);
    await b.release(['k']);
    expect(await a.holder('k')).toBe('a');
    await a.release(['k']);
    expect([...(await b.claim(['k'])).held]).toEqual(['k']);
  });

  it('lets a lease that is not renewed expire, and another instance take it', async () => {
    const a = new RedisPollerLeases({ connection: await connect('expire-a'), instanceId: 'a', leaseMs: 300, keyPrefix: 'lease-test-3:' });
    const b = new RedisPollerLeases({ connection: await connect('expire-b'), instanceId: 'b', leaseMs: 300, keyPrefix: 'lease-test-3:' });
    expect((await a.claim(['k'])).held.has('k')).toBe(true);
    expect((await b.claim(['k'])).held.has('k')).toBe(false);
    await expect.poll(async () => (await b.claim(['k'])).held.has('k'), { timeout: 5_000, interval: 50 }).toBe(true);
    expect((await a.claim(['k'])).held.has('k')).toBe(false);
  });

  it('tells its holder to stop polling before the lease can expire in Redis', async () => {
    const leases = new RedisPollerLeases({ connection: await connect('valid'), instanceId: 'a', leaseMs: 10_000, keyPrefix: 'lease-test-4:', now: () => 1_000_000 });
    const claim = await leases.claim(['k']);
    expect(claim.validUntil).toBeLessThan(1_000_000 + 10_000);
    expect(claim.validUntil).toBeGreaterThan(1_000_000);
    expect(leases.renewEveryMs).toBeLessThan(10_000 / 2);
    expect(await redis.client().pttl('lease-test-4:k')).toBeLessThanOrEqual(10_000);
  });

  it('keeps the last change its holder published past the lease, and hands it to the next instance that takes the lease', async () => {
    const options = { leaseMs: 60_000, keyPrefix: 'lease-test-5:', publishedPrefix: 'published-test-5:' };
    const a = new RedisPollerLeases({ connection: await connect('handed-a'), instanceId: 'a', ...options });
    const b = new RedisPollerLeases({ connection: await connect('handed-b'), instanceId: 'b', ...options });
    const message = { key: 'k', target: { kind: 'enrollment' as const, accountId: '111111111111' }, current: 'Pending', changedAt: new Date(0).toISOString() };
    await a.claim(['k']);
    a.published('k', message);
    await expect.poll(() => redis.client().get('published-test-5:k')).toBe(JSON.stringify(message));
    expect(await redis.client().pttl('published-test-5:k')).toBeGreaterThan(60_000);
    await a.release(['k']);

    const gained: [readonly string[], ReadonlyMap<string, unknown>][] = [];
    b.start({ gained: (keys, lastPublished) => gained.push([keys, lastPublished]), claimed: () => undefined, failed: () => undefined });
    b.want('k');
    await expect.poll(() => gained.length).toBe(1);
    expect(gained[0]).toEqual([['k'], new Map([['k', message]])]);
    expect(b.holds('k')).toBe(true);
    await b.close();
    expect(await a.holder('k')).toBeNull();
  });
});

describe('RedisIdempotencyStore', () => {
  const input = { email: 'team@example.com', accountName: 'team' };

  it('makes one call for a key claimed on two instances at once, and answers both with its outcome', async () => {
    const a = new RedisIdempotencyStore({ connection: await connect('idem-a'), keyPrefix: 'idem-test-1:' });
    const b = new RedisIdempotencyStore({ connection: await connect('idem-b'), keyPrefix: 'idem-test-1:' });
    const c = new RedisIdempotencyStore({ connection: await connect('idem-c'), keyPrefix: 'idem-test-1:' });
    const calls: string[] = [];
    const createdAt = new Date('2024-05-01T00:00:00Z');
    const attempt = (where: string) => async () => {
      calls.push(where);
      await sleep(150);
      return { value: { id: 'car-1', state: 'IN_PROGRESS', requestedTimestamp: createdAt }, fetchedAt: createdAt };
    };
    const never = () => false;
    const [fromA, fromB] = await Promise.all([a.run('key-1', input, attempt('a'), never), b.run('key-1', input, attempt('b'), never)]);
    const fromC = await c.run('key-1', { ...input }, attempt('c'), never);
    expect(calls).toHaveLength(1);
    expect(fromB).toEqual(fromA);
    expect(fromC).toEqual(fromA);
    expect(fromC.value.requestedTimestamp).toEqual(createdAt);
    const ttl = await redis.client().pttl('idem-test-1:key-1');
    expect(ttl).toBeGreaterThan(23 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it('refuses the same key with other input, on any instance', async () => {
    const a = new RedisIdempotencyStore({ connection: await connect('reuse-a'), keyPrefix: 'idem-test-2:' });
    const b = new RedisIdempotencyStore({ connection: await connect('reuse-b'), keyPrefix: 'idem-test-2:' });
    await a.run('key-2', input, async () => 'created', () => false);
    await expect(b.run('key-2', { ...input, accountName: 'other' }, async () => 'again', () => false)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('frees the key after a failure that proves nothing was done', async () => {
    const a = new RedisIdempotencyStore({ connection: await connect('forget-a'), keyPrefix: 'idem-test-3:' });
    const b = new RedisIdempotencyStore({ connection: await connect('forget-b'), keyPrefix: 'idem-test-3:' });
    const throttled = new AwsCallError({ service: 'organizations', operation: 'CreateAccount', code: 'TooManyRequestsException', message: 'slow down', retryable: true, throttled: true });
    await expect(a.run('key-3', input, async () => Promise.reject(throttled), () => true)).rejects.toBe(throttled);
    expect(await b.run('key-3', input, async () => 'created on retry', () => true)).toBe('created on retry');
  });

  it('keeps an ambiguous failure: a retry elsewhere gets the same AWS error and makes no second call', async () => {
    const a = new RedisIdempotencyStore({ connection: await connect('keep-a'), keyPrefix: 'idem-test-4:' });
    const b = new RedisIdempotencyStore({ connection: await connect('keep-b'), keyPrefix: 'idem-test-4:' });
    const timeout = new AwsCallError({ service: 'organizations', operation: 'CreateAccount', code: 'TimeoutError', message: 'timed out', retryable: true, throttled: false });
    await expect(a.run('key-4', input, async () => Promise.reject(timeout), () => false)).rejects.toBe(timeout);
    const calls: string[] = [];
    const retry = b.run('key-4', input, async () => (calls.push('b'), 'second account'), () => false);
    await expect(retry).rejects.toBeInstanceOf(AwsCallError);
    await expect(retry).rejects.toMatchObject({ code: 'TimeoutError', operation: 'CreateAccount', retryable: true });
    expect(calls).toEqual([]);
  });
});

describe('RedisPubSub', () => {
  it('delivers a message published on one instance to the subscribers of another, with one channel subscription each', async () => {
    const a = new RedisPubSub({ connection: await connect('pubsub-a'), channelPrefix: 'pubsub-test:' });
    const b = new RedisPubSub({ connection: await connect('pubsub-b'), channelPrefix: 'pubsub-test:' });
    const received: unknown[] = [];
    const unsubscribes = await Promise.all(Array.from({ length: 3 }, () => a.subscribe('status:x', (message) => received.push(message))));
    const client = redis.client();
    expect(await client.pubsub('NUMSUB', 'pubsub-test:status:x')).toEqual(['pubsub-test:status:x', 1]);
    await b.publish('status:x', { key: 'x', current: 'Active' });
    await expect.poll(() => received.length).toBe(3);
    expect(received[0]).toEqual({ key: 'x', current: 'Active' });
    for (const unsubscribe of unsubscribes) await unsubscribe();
    expect(await client.pubsub('NUMSUB', 'pubsub-test:status:x')).toEqual(['pubsub-test:status:x', 0]);
  });
});
