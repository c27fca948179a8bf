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

  it('gives a read that ends while a mutation of its key is under way the mutation\'s value, and never stores or tells its own', async () => {
    const cache = new InMemoryStatusCache();
    const told: string[] = [];
    let answerRead!: (value: string) => void;
    const read = cache.getOrLoad('k', () => new Promise<string>((resolve) => (answerRead = resolve)), () => 1_000, { onStored: (value) => told.push(value) });
    let answerMutation!: () => void;
    const mutation = cache.writing(['k'], async () => {
      await new Promise<void>((resolve) => (answerMutation = resolve));
      return cache.set('k', 'mutated', 1_000);
    });
    // AWS answered the read (with the state from before the mutation) before the mutation's answer was cached.
    answerRead('stale');
    await new Promise((resolve) => setImmediate(resolve));
    answerMutation();
    await mutation;
    expect((await read).value).toBe('mutated');
    expect((await cache.peek('k'))?.value).toBe('mutated');
    expect(told).toEqual([]);
  });

  it('reads again for the waiters of a read a mutation overlapped and only invalidated', async () => {
    const cache = new InMemoryStatusCache();
    const answers = ['stale', 'fresh'];
    const pending: (() => void)[] = [];
    const load = () => new Promise<string>((resolve) => pending.push(() => resolve(answers.shift()!)));
    const read = cache.getOrLoad('k', load, () => 1_000);
    await cache.writing(['k'], () => cache.invalidate('k'));
    pending.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    pending.shift()!();
    expect((await read).value).toBe('fresh');
    expect((await cache.peek('k'))?.value).toBe('fresh');
  });

  it('does not store what another read found when its key was written since that read began', async () => {
    const cache = new InMemoryStatusCache();
    const scanBegan = cache.mark();
    const otherBegan = cache.mark();
    await cache.writing(['member'], () => cache.invalidate('member'));
    expect(await cache.setRead('member', 'from the scan', 1_000, scanBegan)).toBe(false);
    expect(await cache.peek('member')).toBeUndefined();
    const after = cache.mark();
    expect(await cache.setRead('member', 'read after', 1_000, after)).toBe(true);
    expect(await cache.setRead('other', 'untouched', 1_000, otherBegan)).toBe(true);
  });
});
