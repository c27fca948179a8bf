// A load shared by several callers (status-cache.ts, in-flight-loads.ts) when callers go away: it goes on while anyone
// still waits, and its signal aborts — so its AWS calls stop retrying — only once every waiter has gone.
import { describe, expect, it } from 'vitest';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';

/** A load that runs until its signal aborts, then fails with what the aborted call answers. */
function loadUntilAborted(): { load: (signal: AbortSignal) => Promise<string>; signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    signals,
    load: (signal) =>
      new Promise<string>((_, reject) => {
        signals.push(signal);
        signal.addEventListener('abort', () => reject(new Error('throttled, and no longer retried')), { once: true });
      }),
  };
}

describe('a shared load whose callers go away', () => {
  it('goes on for the callers still waiting, and stops when the last one leaves with the load’s own error', async () => {
    const cache = new InMemoryStatusCache();
    const { load, signals } = loadUntilAborted();
    const [first, second] = [new AbortController(), new AbortController()];
    const firstAnswer = cache.getOrLoad('fleetwise:1:us-east-1', load, () => 1_000, { signal: first.signal }).catch((error: Error) => error);
    const secondAnswer = cache.getOrLoad('fleetwise:1:us-east-1', load, () => 1_000, { signal: second.signal }).catch((error: Error) => error);
    expect(signals).toHaveLength(1);

    first.abort(new Error('first caller gone'));
    expect(await firstAnswer).toEqual(new Error('first caller gone'));
    expect(signals[0]!.aborted).toBe(false);

    second.abort(new Error('second caller gone'));
    expect(await secondAnswer).toEqual(new Error('throttled, and no longer retried'));
    expect(signals[0]!.aborted).toBe(true);
  });

  it('never aborts a load a caller without a signal (a poller) waits for', async () => {
    const cache = new InMemoryStatusCache();
    const { load, signals } = loadUntilAborted();
    const caller = new AbortController();
    const answer = cache.getOrLoad('enrollment:1', load, () => 1_000, { signal: caller.signal }).catch((error: Error) => error);
    void cache.getOrLoad('enrollment:1', load, () => 1_000).catch(() => undefined);
    caller.abort(new Error('caller gone'));
    expect(await answer).toEqual(new Error('caller gone'));
    expect(signals[0]!.aborted).toBe(false);
  });

  it('starts a new load for a caller that comes after every earlier one left', async () => {
    const cache = new InMemoryStatusCache();
    const { load, signals } = loadUntilAborted();
    const gone = new AbortController();
    const abandoned = cache.getOrLoad('org:accounts', load, () => 1_000, { signal: gone.signal }).catch(() => undefined);
    gone.abort(new Error('gone'));
    await abandoned;
    const fresh = await cache.getOrLoad('org:accounts', async () => 'read again', () => 1_000);
    expect(fresh.value).toBe('read again');
    expect(signals).toHaveLength(1);
  });
});
