import { describe, expect, it } from 'vitest';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';

function clock(start = 0) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('InMemoryStatusCache', () => {
  it('shares one load between concurrent callers of the same key', async () => {
    const cache = new InMemoryStatusCache();
    const calls: string[] = [];
    const load = async () => {
      calls.push('load');
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 'value';
    };
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.getOrLoad('k', load, () => 1_000)));
    expect(calls).toEqual(['load']);
    expect(new Set(results.map((result) => result.value))).toEqual(new Set(['value']));
    expect(new Set(results.map((result) => result.fetchedAt.getTime())).size).toBe(1);
  });

  it('keeps a value for the TTL its value chose, and loads again after', async () => {
    const time = clock(1_000_000);
    const cache = new InMemoryStatusCache({ now: time.now });
    const calls: string[] = [];
    const load = async () => {
      calls.push('load');
      return calls.length === 1 ? 'PENDING' : 'SUCCESS';
    };
    const ttl = (value: string) => (value === 'PENDING' ? 100 : 10_000);
    expect((await cache.getOrLoad('k', load, ttl)).value).toBe('PENDING');
    time.advance(50);
    expect((await cache.getOrLoad('k', load, ttl)).value).toBe('PENDING');
    time.advance(100);
    const second = await cache.getOrLoad('k', load, ttl);
    expect(second.value).toBe('SUCCESS');
    expect(second.fetchedAt.getTime()).toBe(1_000_150);
    time.advance(5_000);
    expect((await cache.getOrLoad('k', load, ttl)).value).toBe('SUCCESS');
    expect(calls).toHaveLength(2);
  });

  it('does not remember a failed load', async () => {
    const cache = new InMemoryStatusCache();
    let attempt = 0;
    const load = async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('throttled');
      return 'ok';
    };
    await expect(cache.getOrLoad('k', load, () => 1_000)).rejects.toThrow('throttled');
    expect((await cache.getOrLoad('k', load, () => 1_000)).value).toBe('ok');
    expect(attempt).toBe(2);
  });

  it('remembers a settled failure for the time its policy chose, and shares it between callers', async () => {
    const time = clock(1_000_000);
    const cache = new InMemoryStatusCache({ now: time.now });
    let attempts = 0;
    const load = async () => {
      attempts += 1;
      throw new Error('AccessDenied');
    };
    const options = { failureTtlMs: (error: unknown) => ((error as Error).message === 'AccessDenied' ? 1_000 : undefined) };
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => cache.getOrLoad('k', load, () => 5_000, options)));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    await expect(cache.getOrLoad('k', load, () => 5_000, options)).rejects.toThrow('AccessDenied');
    expect(attempts).toBe(1);
    expect(await cache.peek('k')).toBeUndefined();
    time.advance(1_001);
    await expect(cache.getOrLoad('k', load, () => 5_000, options)).rejects.toThrow('AccessDenied');
    expect(attempts).toBe(2);
  });

  it('invalidates a key and its children', async () => {
    const cache = new InMemoryStatusCache();
    await cache.set('fleetwise:111111111111:us-east-1', 'a', 1_000);
    await cache.set('fleetwise:111111111111:eu-central-1', 'b', 1_000);
    await cache.set('fleetwise:222222222222:us-east-1', 'c', 1_000);
    await cache.invalidate('fleetwise:111111111111', { withChildren: true });
    expect(await cache.peek('fleetwise:111111111111:us-east-1')).toBeUndefined();
    expect(await cache.peek('fleetwise:111111111111:eu-central-1')).toBeUndefined();
    expect((await cache.peek('fleetwise:222222222222:us-east-1'))?.value).toBe('c');
  });

  it('reports hits and misses per kind of key', async () => {
    const lookups: string[] = [];
    const cache = new InMemoryStatusCache({ onLookup: (kind, outcome) => lookups.push(`${kind}:${outcome}`) });
    await cache.getOrLoad('enrollment:111111111111', async () => 'Active', () => 1_000);
    await cache.getOrLoad('enrollment:111111111111', async () => 'Active', () => 1_000);
    expect(lookups).toEqual(['enrollment:miss', 'enrollment:hit']);
  });
});
