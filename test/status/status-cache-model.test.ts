// The in-process status cache against the reference model of test/support/cache-model.ts: random interleavings of
// getOrLoad, set, invalidate, expiry and failing loads (the Redis cache runs the same check in test/redis).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';
import { checkInterleaving, interleavings, MODEL_TTL_MS, turns, type CacheUnderTest } from '../support/cache-model.js';

function inMemory(): Promise<CacheUnderTest> {
  let now = 1_000_000;
  const cache = new InMemoryStatusCache({ now: () => new Date(now), maxEntries: 100 });
  return Promise.resolve({
    cache,
    now: () => now,
    async expireAll() {
      now += MODEL_TTL_MS + 1;
    },
    settle: () => turns(2),
  });
}

describe('InMemoryStatusCache, model-based', () => {
  it('answers every waiter with a value or its own load\'s error, and never lets a stale value outlive a fresher one', async () => {
    await fc.assert(
      fc.asyncProperty(interleavings, (operations) => checkInterleaving(operations, inMemory)),
      { numRuns: 300 },
    );
  });
});
