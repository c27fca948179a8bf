// The status cache shared by every request: one AWS call per key however many requests ask at once
// (in-flight de-duplication), per-entry TTLs chosen from the value, and a fetchedAt stamp on everything.
// Every method is asynchronous because one implementation (redis/redis-status-cache.ts) lives across the network.
import { LRUCache } from 'lru-cache';
import { InFlightLoads, type Flight } from './in-flight-loads.js';
import { SUPERSEDED, superseded, WriteLog, type Superseded, type WriteMark } from './write-log.js';

export type { WriteMark };

/** A value and when it was read from AWS. */
export interface Cached<T> {
  readonly value: T;
  readonly fetchedAt: Date;
}

/** Called once per lookup, so the server can count hits and misses per kind of entry. */
export type CacheLookupObserver = (kind: string, outcome: 'hit' | 'miss') => void;

export interface LoadOptions<T = unknown> {
  /**
   * How long to remember a failed load, or undefined not to (the default). Worth it for settled refusals such as
   * AccessDenied: otherwise every request asks again, and 100 concurrent requests cost 100 calls. Never for
   * transient failures (throttling, 5xx), which the next caller must retry.
   */
  readonly failureTtlMs?: (error: unknown) => number | undefined;
  /**
   * A refresh (a poller's read): an entry fetched at or before this moment is what the caller has already seen, so it
   * loads afresh from AWS — or joins a load in flight — instead. The entry is not evicted: every other caller keeps
   * getting it until the new outcome is stored, under the same rules as any load (in-flight-loads.ts). Remembered
   * failures are not refreshed: they are remembered precisely so that nobody asks again for a while.
   */
  readonly refreshIfFetchedBy?: Date;
  /**
   * The caller's signal: aborts when it has gone. A load shared with other callers goes on for them; the load of
   * callers that have all gone gets an aborted signal (in-flight-loads.ts), which its AWS calls pass to the SDK.
   */
  readonly signal?: AbortSignal;
  /**
   * Told of the load's value once it is stored — never of a value a write made while it ran had made older (not
   * stored, see write-log.ts). What a read found is told to history here, so history never records a stale reading.
   */
  readonly onStored?: (value: T) => void;
}

/** Loads a missing value; `signal` aborts once every caller waiting for it has gone. */
export type Load<T> = (signal: AbortSignal) => Promise<T>;

export interface StatusCache {
  /**
   * The cached value for `key`, or the result of `load()` stored for `ttlMs(value)`. Concurrent callers of the same
   * missing key share one `load()`. A failed load is not stored: the next caller tries again.
   */
  getOrLoad<T>(key: string, load: Load<T>, ttlMs: (value: T) => number, options?: LoadOptions<T>): Promise<Cached<T>>;
  /** The cached value for `key` if present and fresh; never loads. */
  peek<T>(key: string): Promise<Cached<T> | undefined>;
  /**
   * The same, answered at once, by a cache that lives in this process (absent on one across the network). A warm
   * page of 1,000 accounts reads 3,000 statuses: answering each without a promise, a DataLoader batch and a
   * getOrLoad is most of what a warm query costs. Counts a hit when it answers; a miss is left to getOrLoad.
   */
  peekNow?<T>(key: string): Cached<T> | undefined;
  /**
   * Stores a value read as part of another call (e.g. one member's status from an org-wide scan, a mutation's
   * answer). It is fresher than a load of the key in flight: that load's outcome is not stored, and its waiters get
   * this value (in-flight-loads.ts).
   */
  set<T>(key: string, value: T, ttlMs: number): Promise<Cached<T>>;
  /**
   * Forgets `key`, and every key starting with `key` followed by ':' when `withChildren` is set. A load of the key
   * already in flight is not stored (its waiters still get its outcome), and later callers do not join it: they load
   * afresh.
   */
  invalidate(key: string, options?: { withChildren?: boolean }): Promise<void>;
  /** Now, in the order of this cache's writes: taken before a read whose values are stored with `setRead`. */
  mark(): WriteMark;
  /**
   * Stores a value another read found (one member's status from an org-wide scan) — unless its key was written since
   * that read began (`since`, from `mark()`): the write is newer, and stays. Answers whether it was stored.
   */
  setRead<T>(key: string, value: T, ttlMs: number, since: WriteMark): Promise<boolean>;
  /**
   * A mutation of `keys`, from before its AWS call until its answer is in the cache (its `set` or `invalidate` inside
   * `write`): a load of one of them that overlaps it is superseded — not stored, and its waiters get the mutation's
   * value, or a new load's when it only invalidated (write-log.ts).
   */
  writing<R>(keys: readonly string[], write: () => Promise<R>): Promise<R>;
}

export interface InMemoryStatusCacheOptions {
  /** @default 200_000 entries: a 10,000-account org with three sources and a few regions fits. */
  readonly maxEntries?: number;
  readonly now?: () => Date;
  readonly onLookup?: CacheLookupObserver;
  /** The log of writes, shared with the Redis cache this one stands in for while Redis is away. @default a new one */
  readonly writes?: WriteLog;
}

/** What the cache holds: a value, or a failure remembered for a short while. */
type Entry = Cached<unknown> | { readonly failure: unknown; readonly fetchedAt: Date };

function isFailure(entry: Entry): entry is { readonly failure: unknown; readonly fetchedAt: Date } {
  return 'failure' in entry;
}

/** The in-process StatusCache; a Redis-backed one shares entries between instances. */
export class InMemoryStatusCache implements StatusCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly loads = new InFlightLoads<Entry | Superseded>();
  private readonly writes: WriteLog;
  private readonly now: () => Date;
  private readonly onLookup: CacheLookupObserver;

  constructor(options: InMemoryStatusCacheOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.onLookup = options.onLookup ?? (() => undefined);
    this.writes = options.writes ?? new WriteLog();
    this.entries = new LRUCache<string, Entry>({
      max: options.maxEntries ?? 200_000,
      ttl: 60_000,
      ttlResolution: 0,
      // The library's own clock would ignore an injected one; ours keeps tests and TTLs on the same time.
      perf: { now: () => this.now().getTime() },
    });
  }

  async getOrLoad<T>(
    key: string,
    load: Load<T>,
    ttlMs: (value: T) => number,
    options: LoadOptions<T> = {},
  ): Promise<Cached<T>> {
    for (;;) {
      const found = this.entries.get(key);
      const cached = found && !seenBy(found, options.refreshIfFetchedBy) ? found : undefined;
      this.onLookup(kindOf(key), cached ? 'hit' : 'miss');
      // In-flight loads are ours (in-flight-loads.ts), not lru-cache's fetch(): a set or delete aborts a fetch in
      // flight, and every waiter of it would reject with "replaced" or "deleted".
      const entry = cached ?? (await this.loads.join(key, (flight, signal) => this.loadEntry(key, flight, () => load(signal), ttlMs, options), options.signal));
      // A mutation of the key overlapped the read (and set nothing its waiters could take): read again, after it.
      if (entry === SUPERSEDED) continue;
      if (isFailure(entry)) throw entry.failure;
      return entry as Cached<T>;
    }
  }

  /**
   * Runs one load and stores its value — or its failure, when the policy remembers it — unless the key changed
   * meanwhile; superseded when a mutation of the key overlapped it (write-log.ts).
   */
  private async loadEntry<T>(key: string, flight: Flight<Entry | Superseded>, load: () => Promise<T>, ttlMs: (value: T) => number, options: LoadOptions<T>): Promise<Entry | Superseded> {
    const since = this.writes.mark();
    let value: T;
    try {
      value = await load();
    } catch (failure) {
      await this.writes.settled(key);
      if (this.writes.mutatedSince(key, since)) return superseded(flight);
      const failureTtl = options.failureTtlMs?.(failure);
      if (failureTtl !== undefined && !flight.overtaken) this.entries.set(key, { failure, fetchedAt: this.now() }, { ttl: Math.max(1, failureTtl) });
      throw failure;
    }
    await this.writes.settled(key);
    const entry: Cached<T> = { value, fetchedAt: this.now() };
    if (this.writes.mutatedSince(key, since)) return superseded(flight);
    if (!flight.overtaken) {
      // A newer reading than any value another read found before this load ended (setRead).
      this.writes.changed(key);
      this.entries.set(key, entry, { ttl: Math.max(1, ttlMs(value)) });
      options.onStored?.(value);
    }
    return entry;
  }

  async peek<T>(key: string): Promise<Cached<T> | undefined> {
    const entry = this.entries.get(key);
    return entry && !isFailure(entry) ? (entry as Cached<T>) : undefined;
  }

  peekNow<T>(key: string): Cached<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry || isFailure(entry)) return undefined;
    this.onLookup(kindOf(key), 'hit');
    return entry as Cached<T>;
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<Cached<T>> {
    const entry: Cached<T> = { value, fetchedAt: this.now() };
    this.writes.changed(key);
    this.entries.set(key, entry, { ttl: Math.max(1, ttlMs) });
    this.loads.overtake(key, entry);
    return entry;
  }

  mark(): WriteMark {
    return this.writes.mark();
  }

  async setRead<T>(key: string, value: T, ttlMs: number, since: WriteMark): Promise<boolean> {
    await this.writes.settled(key);
    if (this.writes.changedSince(key, since) || this.writes.mutatedSince(key, since)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  writing<R>(keys: readonly string[], write: () => Promise<R>): Promise<R> {
    return this.writes.writing(keys, write);
  }

  /** Forgets everything: the Redis cache does this to its fallback when Redis comes back, so no stale entry waits here. */
  clear(): void {
    this.entries.clear();
  }

  async invalidate(key: string, options: { withChildren?: boolean } = {}): Promise<void> {
    this.writes.changed(key, options.withChildren ?? false);
    this.loads.discard(key, options.withChildren ?? false);
    this.entries.delete(key);
    if (!options.withChildren) return;
    const prefix = `${key}:`;
    for (const candidate of [...this.entries.keys()]) {
      if (candidate.startsWith(prefix)) this.entries.delete(candidate);
    }
  }
}

/** Whether a refresh that has seen everything fetched by `by` must look past this entry (failures stay). */
function seenBy(entry: Entry, by: Date | undefined): boolean {
  return by !== undefined && !isFailure(entry) && entry.fetchedAt.getTime() <= by.getTime();
}

/** The part of a key before the first ':', e.g. `fleetwise` of `fleetwise:111122223333:us-east-1`. */
export function kindOf(key: string): string {
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(0, colon);
}
