// A poll round's view of the status cache: the entries a poller has already seen are looked past — its reads go to
// AWS — but never evicted, so every query meanwhile keeps getting them until the round stores what it read (the
// rules of status-cache.ts's `refreshIfFetchedBy`). Everything the round writes (sets, invalidations, values its scans found) goes straight
// through to the shared cache.
import type { Cached, Load, LoadOptions, StatusCache } from './status-cache.js';

/** Per cache key: the newest fetchedAt a poller has seen, in epoch ms. An entry no newer is looked past. */
export type SeenEntries = ReadonlyMap<string, number>;

export function refreshingCache(cache: StatusCache, seen: SeenEntries): StatusCache {
  const seenBy = (key: string): Date | undefined => {
    const at = seen.get(key);
    return at === undefined ? undefined : new Date(at);
  };
  const unseen = <T>(key: string, entry: Cached<T> | undefined): Cached<T> | undefined => {
    const by = seen.get(key);
    return entry && by !== undefined && entry.fetchedAt.getTime() <= by ? undefined : entry;
  };
  const view: StatusCache = {
    getOrLoad<T>(key: string, load: Load<T>, ttlMs: (value: T) => number, options: LoadOptions<T> = {}) {
      const by = seenBy(key);
      return cache.getOrLoad(key, load, ttlMs, by ? { ...options, refreshIfFetchedBy: by } : options);
    },
    peek: async <T>(key: string) => unseen(key, await cache.peek<T>(key)),
    set: (key, value, ttlMs) => cache.set(key, value, ttlMs),
    invalidate: (key, options) => cache.invalidate(key, options),
    mark: () => cache.mark(),
    setRead: (key, value, ttlMs, since) => cache.setRead(key, value, ttlMs, since),
    writing: (keys, write) => cache.writing(keys, write),
  };
  const { peekNow } = cache;
  if (peekNow) view.peekNow = <T>(key: string) => unseen(key, peekNow.call(cache, key) as Cached<T> | undefined);
  return view;
}
