// The status cache shared by every instance: entries live in Redis with the TTL their value chose, so a status read
// by instance A is a cache hit on instance B. What stays local, and why:
// - in-flight de-duplication: concurrent callers on one instance share one load (across instances they may not; a
//   Redis lock would cost more round trips than the rare duplicate AWS call);
// - remembered failures (settled refusals, a few seconds): an AwsCallError does not survive serialization well, and
//   each instance learning a refusal once is cheap;
// - the fallback: while Redis is away every call goes to an in-process cache, so queries keep working from AWS.
//   Invalidations made meanwhile are replayed when Redis returns, so no entry a mutation changed outlives it there;
// - the log of writes (write-log.ts), shared with the fallback: a read on this instance never stores an answer older
//   than a write made through this instance after it began. Another instance's set is kept from a load by SET NX and
//   a refresh's compare-and-set; another instance's invalidation or mutation under way is not seen here.
import { LRUCache } from 'lru-cache';
import { InMemoryStatusCache, kindOf, type Cached, type CacheLookupObserver, type Load, type LoadOptions, type StatusCache } from '../status-cache.js';
import { InFlightLoads, type Flight } from '../in-flight-loads.js';
import { SUPERSEDED, superseded, WriteLog, type Superseded, type WriteMark } from '../write-log.js';
import type { RedisConnection } from './connection.js';
import { decode, encode } from './serialization.js';

/** @default 'statusgraph:v1:cache:' — the version changes when the shape of cached values does. */
export const DEFAULT_CACHE_PREFIX = 'statusgraph:v1:cache:';

/** Keys deleted per UNLINK while forgetting a key's children. @default 500 keys */
const UNLINK_BATCH = 500;
/** Invalidations remembered during an outage; past this, the whole shared cache is dropped when Redis returns. */
const MAX_PENDING_INVALIDATIONS = 10_000;
/** Settled failures remembered at once (each for a few seconds). @default 10_000 */
const MAX_REMEMBERED_FAILURES = 10_000;

export interface RedisStatusCacheOptions {
  readonly connection: RedisConnection;
  /** @default DEFAULT_CACHE_PREFIX */
  readonly keyPrefix?: string;
  /** Answers while Redis is away. @default a new InMemoryStatusCache with the same observer and clock */
  readonly fallback?: InMemoryStatusCache;
  readonly now?: () => Date;
  readonly onLookup?: CacheLookupObserver;
  /** Told about each Redis command that failed while Redis was thought up (the call fell back). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Stores a refresh's outcome only if the entry it looked past is still there, or none is: anything else was set by
 * someone since, and is at least as fresh. KEYS[1] entry, ARGV[1] the bytes looked past, ARGV[2] new bytes, ARGV[3] ms.
 */
const REPLACE_SEEN_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

interface CacheCommands {
  replaceSeen(key: string, seen: Buffer, entry: Buffer, ttlMs: number): Promise<number>;
}

/** A load's outcome, and whether it came from Redis rather than AWS. */
interface Found {
  readonly entry: Cached<unknown>;
  readonly hit: boolean;
}

export class RedisStatusCache implements StatusCache {
  private readonly connection: RedisConnection;
  private readonly prefix: string;
  private readonly fallback: InMemoryStatusCache;
  private readonly now: () => Date;
  private readonly onLookup: CacheLookupObserver;
  private readonly onError: (error: unknown) => void;
  private readonly loads = new InFlightLoads<Found | Superseded>();
  private readonly writes = new WriteLog();
  /**
   * Refreshes in flight, apart from the loads: a reader here asks Redis first, and must find the entry a refresh
   * looks past rather than wait for AWS with it.
   */
  private readonly refreshes = new InFlightLoads<Found | Superseded>();
  private readonly failures: LRUCache<string, { readonly failure: unknown }>;
  /** Invalidations Redis has not seen yet (it was away): key → with children. */
  private readonly pending = new Map<string, boolean>();
  private pendingOverflow = false;
  private readonly stopReplay: () => void;

  constructor(options: RedisStatusCacheOptions) {
    this.connection = options.connection;
    this.prefix = options.keyPrefix ?? DEFAULT_CACHE_PREFIX;
    this.now = options.now ?? (() => new Date());
    this.onLookup = options.onLookup ?? (() => undefined);
    this.onError = options.onError ?? (() => undefined);
    this.fallback = options.fallback ?? new InMemoryStatusCache({ now: this.now, onLookup: this.onLookup, writes: this.writes });
    this.failures = new LRUCache({ max: MAX_REMEMBERED_FAILURES, ttlAutopurge: false, perf: { now: () => this.now().getTime() } });
    this.stopReplay = this.connection.onReconnect(() => void this.replayInvalidations());
    const { commands } = this.connection;
    if (!('replaceSeen' in commands)) commands.defineCommand('replaceSeen', { numberOfKeys: 1, lua: REPLACE_SEEN_SCRIPT });
  }

  async getOrLoad<T>(key: string, load: Load<T>, ttlMs: (value: T) => number, options: LoadOptions<T> = {}): Promise<Cached<T>> {
    if (!this.connection.up) return this.fallback.getOrLoad(key, load, ttlMs, options);
    const remembered = this.failures.get(key);
    if (remembered) {
      this.onLookup(kindOf(key), 'hit');
      throw remembered.failure;
    }
    const flights = options.refreshIfFetchedBy ? this.refreshes : this.loads;
    const run = (flight: Flight<Found | Superseded>, signal: AbortSignal) =>
      this.fetch(key, flight, () => load(signal) as Promise<unknown>, ttlMs as (value: unknown) => number, options as LoadOptions);
    try {
      let found = await flights.join(key, run, options.signal);
      // A mutation of the key overlapped the read (and set nothing its waiters could take): read again, after it.
      while (found === SUPERSEDED) found = await flights.join(key, run, options.signal);
      this.onLookup(kindOf(key), found.hit ? 'hit' : 'miss');
      return found.entry as Cached<T>;
    } catch (error) {
      this.onLookup(kindOf(key), 'miss');
      throw error;
    }
  }

  async peek<T>(key: string): Promise<Cached<T> | undefined> {
    if (!this.connection.up) return this.fallback.peek<T>(key);
    try {
      const bytes = await this.connection.commands.getBuffer(this.prefix + key);
      return bytes ? decode<Cached<T>>(bytes) : undefined;
    } catch (error) {
      this.onError(error);
      return this.fallback.peek<T>(key);
    }
  }

  async set<T>(key: string, value: T, ttlMs: number): Promise<Cached<T>> {
    const entry: Cached<T> = { value, fetchedAt: this.now() };
    this.writes.changed(key);
    // Fresher than a load in flight and than a failure remembered here (in-flight-loads.ts).
    this.loads.overtake(key, { entry, hit: false });
    this.refreshes.overtake(key, { entry, hit: false });
    this.failures.delete(key);
    if (!this.connection.up) return this.fallback.set(key, value, ttlMs);
    try {
      await this.connection.commands.set(this.prefix + key, encode(entry), 'PX', Math.max(1, Math.round(ttlMs)));
      return entry;
    } catch (error) {
      this.onError(error);
      return this.fallback.set(key, value, ttlMs);
    }
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

  async invalidate(key: string, options: { withChildren?: boolean } = {}): Promise<void> {
    const withChildren = options.withChildren ?? false;
    this.writes.changed(key, withChildren);
    const childPrefix = `${key}:`;
    this.loads.discard(key, withChildren);
    this.refreshes.discard(key, withChildren);
    this.failures.delete(key);
    if (withChildren) for (const candidate of [...this.failures.keys()]) if (candidate.startsWith(childPrefix)) this.failures.delete(candidate);
    await this.fallback.invalidate(key, options);
    if (!this.connection.up) {
      this.remember(key, withChildren);
      return;
    }
    try {
      await this.deleteShared(key, withChildren);
    } catch (error) {
      this.onError(error);
      this.remember(key, withChildren);
    }
  }

  close(): void {
    this.stopReplay();
  }

  private async fetch(
    key: string,
    flight: Flight<Found | Superseded>,
    load: () => Promise<unknown>,
    ttlMs: (value: unknown) => number,
    options: LoadOptions,
  ): Promise<Found | Superseded> {
    const { refreshIfFetchedBy } = options;
    const since = this.writes.mark();
    /** The entry a refresh looks past: its outcome replaces only that one. */
    let seen: Buffer | undefined;
    try {
      const bytes = await this.connection.commands.getBuffer(this.prefix + key);
      const entry = bytes ? decode<Cached<unknown>>(bytes) : undefined;
      if (entry && !(refreshIfFetchedBy && entry.fetchedAt.getTime() <= refreshIfFetchedBy.getTime())) return { entry, hit: true };
      if (entry) seen = bytes!;
    } catch (error) {
      // Redis went away between the check and the call: this one load goes to AWS uncached.
      this.onError(error);
    }
    let value: unknown;
    try {
      value = await load();
    } catch (failure) {
      await this.writes.settled(key);
      if (this.writes.mutatedSince(key, since)) return superseded(flight);
      const failureTtl = options.failureTtlMs?.(failure);
      if (failureTtl !== undefined && !flight.overtaken) this.failures.set(key, { failure }, { ttl: Math.max(1, failureTtl) });
      throw failure;
    }
    await this.writes.settled(key);
    const entry: Cached<unknown> = { value, fetchedAt: this.now() };
    if (this.writes.mutatedSince(key, since)) return superseded(flight);
    if (!flight.overtaken && (!this.connection.up || (await this.store(key, seen, entry, ttlMs(value))))) {
      // A newer reading than any value another read found before this load ended (setRead).
      this.writes.changed(key);
      options.onStored?.(value);
    }
    return { entry, hit: false };
  }

  /**
   * Stores a load's outcome. NX: an entry another instance stored meanwhile (a set, most likely) is at least as fresh
   * as this load; a refresh replaces only the entry it looked past, for the same reason. Answers whether it was
   * stored (a failed command counts as stored: nothing newer is known).
   */
  private async store(key: string, seen: Buffer | undefined, entry: Cached<unknown>, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.round(ttlMs));
    const commands = this.connection.commands as typeof this.connection.commands & CacheCommands;
    try {
      const stored = await (seen ? commands.replaceSeen(this.prefix + key, seen, encode(entry), ttl) : commands.set(this.prefix + key, encode(entry), 'PX', ttl, 'NX'));
      return stored === 1 || stored === 'OK';
    } catch (error) {
      this.onError(error);
      return true;
    }
  }

  private async deleteShared(key: string, withChildren: boolean): Promise<void> {
    const { commands } = this.connection;
    await commands.unlink(this.prefix + key);
    if (!withChildren) return;
    await this.unlinkMatching(`${escapeGlob(this.prefix + key)}:*`);
  }

  /** SCAN never blocks Redis the way KEYS would, however many entries the cache holds. */
  private async unlinkMatching(pattern: string): Promise<void> {
    const { commands } = this.connection;
    const stream = commands.scanStream({ match: pattern, count: UNLINK_BATCH });
    const deletions: Promise<unknown>[] = [];
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) deletions.push(commands.unlink(...keys));
    }
    await Promise.all(deletions);
  }

  private remember(key: string, withChildren: boolean): void {
    if (this.pending.size >= MAX_PENDING_INVALIDATIONS) {
      this.pendingOverflow = true;
      return;
    }
    this.pending.set(key, withChildren || (this.pending.get(key) ?? false));
  }

  /** Redis is back: what this instance invalidated meanwhile goes there too, and the fallback's entries go. */
  private async replayInvalidations(): Promise<void> {
    this.fallback.clear();
    const pending = [...this.pending];
    const overflow = this.pendingOverflow;
    this.pending.clear();
    this.pendingOverflow = false;
    try {
      if (overflow) await this.unlinkMatching(`${escapeGlob(this.prefix)}*`);
      else await Promise.all(pending.map(([key, withChildren]) => this.deleteShared(key, withChildren)));
    } catch (error) {
      this.onError(error);
      for (const [key, withChildren] of pending) this.remember(key, withChildren);
      this.pendingOverflow ||= overflow;
    }
  }
}

/** Escapes the characters SCAN MATCH treats as a pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
