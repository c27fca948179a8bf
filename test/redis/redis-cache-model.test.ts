// The Redis status cache against the reference model of test/support/cache-model.ts, on a real redis-server: random
// interleavings of getOrLoad, set, invalidate, expiry and failing loads. Redis keeps its own clock, so expiry here
// is what Redis does when a TTL runs out — the key is gone — plus the cache's clock moving past the TTL of the
// failures it remembers in process.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection, RedisStatusCache } from '../../src/status/redis/index.js';
import { checkInterleaving, interleavings, MODEL_TTL_MS, turns, type CacheUnderTest } from '../support/cache-model.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

let redis: RedisServer;
let connection: RedisConnection;
let run = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  connection = new RedisConnection({ url: redis.url, name: 'cache-model' });
  expect(await connection.waitUntilUp(10_000)).toBe(true);
});
afterAll(async () => {
  await connection?.close();
  await redis?.close();
});

async function onRedis(): Promise<CacheUnderTest> {
  let now = 1_000_000;
  // Each interleaving gets keys of its own; entries live a minute in Redis, longer than any run.
  const keyPrefix = `model-${(run += 1)}:`;
  const cache = new RedisStatusCache({ connection, keyPrefix, now: () => new Date(now) });
  const client = connection.commands;
  const redisTtlMs = 60_000;
  return {
    cache: {
      getOrLoad: (key, load, _ttl, options) => cache.getOrLoad(key, load, () => redisTtlMs, options),
      peek: (key) => cache.peek(key),
      set: (key, value) => cache.set(key, value, redisTtlMs),
      invalidate: (key, options) => cache.invalidate(key, options),
      mark: () => cache.mark(),
      setRead: (key, value, _ttl, since) => cache.setRead(key, value, redisTtlMs, since),
      writing: (keys, write) => cache.writing(keys, write),
    },
    now: () => now,
    async expireAll() {
      now += MODEL_TTL_MS + 1;
      const keys = await client.keys(`${keyPrefix}*`);
      if (keys.length > 0) await client.del(...keys);
    },
    async settle() {
      // A round trip behind whatever the cache sent, then the promises waiting on it.
      await client.ping();
      await turns(2);
    },
  };
}

describe('RedisStatusCache, model-based', () => {
  it('answers every waiter with a value or its own load\'s error, and never lets a stale value outlive a fresher one', async () => {
    await fc.assert(
      fc.asyncProperty(interleavings, (operations) => checkInterleaving(operations, onRedis)),
      { numRuns: 100 },
    );
  });
});
