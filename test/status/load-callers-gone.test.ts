// A load shared by several callers (status-cache.ts, in-flight-loads.ts) when callers go away: it goes on while anyone
// still waits, and its signal aborts — so its AWS calls stop retrying — only once every waiter has gone.
import { getEventListeners, setMaxListeners } from 'node:events';
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

  it('leaves no listener on a caller\'s signal once the many loads it waited on have settled', async () => {
    const cache = new InMemoryStatusCache();
    const caller = new AbortController();
    setMaxListeners(0, caller.signal); // as server/operation-cancel.ts does for a request's signal
    const releases: Array<() => void> = [];
    const answers = Array.from({ length: 50 }, (_, account) =>
      cache.getOrLoad(`fleetwise:${account}:us-east-1`, () => new Promise<string>((resolve) => releases.push(() => resolve('REGISTRATION_SUCCESS'))), () => 1_000, {
        signal: caller.signal,
      }),
    );
    // One request's signal serves every load it waits on, one listener each while they run …
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(50);
    for (const release of releases) release();
    expect(await Promise.all(answers)).toHaveLength(50);
    // … and each is removed as its load settles.
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });
});
