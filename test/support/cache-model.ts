// A model-based check of a StatusCache: fast-check draws random interleavings of getOrLoad (each with a load the
// test resolves or fails later), refresh (a poller's getOrLoad that looks past the entry it has seen), set, invalidate
// (with and without children), expiry and peek, runs them against the real cache, and holds it to a reference model
// of what may be answered:
// - a waiter resolves with a value of its key no older than what the cache knew when it asked, or rejects with the
//   error of a load of its key — nothing else (no "replaced", no "deleted"), and never hangs;
// - a value or a remembered failure never outlives a fresher one: peek never answers something older than the newest
//   set or invalidation of its key, nor something stored before the last expiry;
// - a refresh answers something newer than the entry it looked past, and leaves that entry to everyone else (peek
//   still finds it) until a newer one is stored.
// "Older" is counted in operations: every value carries the operation number at which it was read (a load's when it
// started, a set's when it was made).
import fc from 'fast-check';
import type { Cached, StatusCache } from '../../src/status/status-cache.js';

/** The values the cache holds in this check: which key, read at which operation. */
export interface Versioned {
  readonly key: string;
  readonly version: number;
}

/** A load's own error; `remember` asks the cache to remember it (a settled refusal). */
export class LoadError extends Error {
  constructor(
    readonly key: string,
    readonly version: number,
    readonly remember: boolean,
  ) {
    super(`load of ${key} (version ${version}) failed`);
  }
}

/** One cache under test, with the clock it reads and a way to make every entry expire. */
export interface CacheUnderTest {
  readonly cache: StatusCache;
  /** Makes every entry and remembered failure expire: moves the clock past every TTL (and for Redis, drops its keys). */
  expireAll(): Promise<void>;
  /** Waits until the cache's pending work (promises, round trips) has had a chance to run. */
  settle(): Promise<void>;
  /** The cache's clock, in ms. */
  now(): number;
}

/** TTL of every entry and remembered failure in the check; expireAll moves the clock past it. */
export const MODEL_TTL_MS = 1_000;

const KEYS = ['s:1', 's:1:x', 's:2'] as const;

type Operation =
  | { readonly kind: 'get'; readonly key: number }
  | { readonly kind: 'refresh'; readonly key: number }
  | { readonly kind: 'resolve'; readonly load: number }
  | { readonly kind: 'fail'; readonly load: number; readonly remember: boolean }
  | { readonly kind: 'set'; readonly key: number }
  | { readonly kind: 'invalidate'; readonly key: number; readonly withChildren: boolean }
  | { readonly kind: 'expire' }
  | { readonly kind: 'peek'; readonly key: number };

const key = fc.nat({ max: KEYS.length - 1 });
const load = fc.nat({ max: 7 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('get' as const), key }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('refresh' as const), key }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('resolve' as const), load }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('fail' as const), load, remember: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('set' as const), key }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('invalidate' as const), key, withChildren: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('expire' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('peek' as const), key }), weight: 2 },
);

/** Random interleavings, as fast-check draws them (and shrinks a failing one). */
export const interleavings = fc.array(operation, { minLength: 1, maxLength: 40 });

interface PendingLoad {
  readonly key: string;
  readonly version: number;
  readonly resolve: (value: Versioned) => void;
  readonly reject: (error: LoadError) => void;
}

/** Runs one interleaving against a fresh cache; throws on the first answer the model does not allow. */
export async function checkInterleaving(operations: readonly Operation[], makeCache: () => Promise<CacheUnderTest>): Promise<void> {
  const { cache, expireAll, settle, now } = await makeCache();
  let sequence = 0;
  /** Per key: no answer may be older than this (the newest set or invalidation). */
  const floor = new Map<string, number>();
  let lastExpiry = Number.NEGATIVE_INFINITY;
  const pending: PendingLoad[] = [];
  const waiters: Promise<void>[] = [];
  const violations: string[] = [];
  const floorOf = (name: string) => floor.get(name) ?? 0;
  const raise = (name: string, to: number) => floor.set(name, Math.max(floorOf(name), to));

  const get = (name: string, refreshed?: Cached<Versioned>) => {
    // A refresh wants something newer than what it looked past.
    const askedAt = Math.max(floorOf(name), refreshed ? refreshed.value.version + 1 : 0);
    const loadIt = () =>
      new Promise<Versioned>((resolve, reject) => pending.push({ key: name, version: sequence, resolve, reject }));
    const options = {
      failureTtlMs: (error: unknown) => (error instanceof LoadError && error.remember ? MODEL_TTL_MS : undefined),
      ...(refreshed ? { refreshIfFetchedBy: refreshed.fetchedAt } : {}),
    };
    waiters.push(
      cache.getOrLoad(name, loadIt, () => MODEL_TTL_MS, options).then(
        ({ value }) => {
          if (value.key !== name) violations.push(`getOrLoad(${name}) answered a value of ${value.key}`);
          if (value.version < askedAt) violations.push(`getOrLoad(${name}) answered version ${value.version}, older than ${askedAt}`);
        },
        (error: unknown) => {
          if (!(error instanceof LoadError)) violations.push(`getOrLoad(${name}) rejected with ${String(error)}, not a load's error`);
          else if (error.key !== name) violations.push(`getOrLoad(${name}) rejected with the error of a load of ${error.key}`);
          else if (error.version < askedAt) violations.push(`getOrLoad(${name}) rejected with a failure older than ${askedAt}`);
        },
      ),
    );
  };

  const peek = async (name: string) => {
    const found = await cache.peek<Versioned>(name);
    if (!found) return;
    if (found.value.key !== name) violations.push(`peek(${name}) answered a value of ${found.value.key}`);
    if (found.value.version < floorOf(name)) violations.push(`peek(${name}) answered version ${found.value.version}, older than ${floorOf(name)}`);
    if (found.fetchedAt.getTime() < lastExpiry) violations.push(`peek(${name}) answered an entry stored before the last expiry`);
  };

  const refresh = async (name: string) => {
    const seen = await cache.peek<Versioned>(name);
    get(name, seen);
    if (!seen) return;
    await settle();
    const still = await cache.peek<Versioned>(name);
    if (!still || still.value.version < seen.value.version) violations.push(`refresh(${name}) took away the entry it looked past`);
  };

  const take = (index: number) => (pending.length === 0 ? undefined : pending.splice(index % pending.length, 1)[0]);

  for (const step of operations) {
    sequence += 1;
    switch (step.kind) {
      case 'get':
        get(KEYS[step.key]!);
        break;
      case 'refresh':
        await refresh(KEYS[step.key]!);
        break;
      case 'resolve': {
        const chosen = take(step.load);
        chosen?.resolve({ key: chosen.key, version: chosen.version });
        break;
      }
      case 'fail': {
        const chosen = take(step.load);
        chosen?.reject(new LoadError(chosen.key, chosen.version, step.remember));
        break;
      }
      case 'set': {
        const name = KEYS[step.key]!;
        await cache.set<Versioned>(name, { key: name, version: sequence }, MODEL_TTL_MS);
        raise(name, sequence);
        break;
      }
      case 'invalidate': {
        const name = KEYS[step.key]!;
        await cache.invalidate(name, { withChildren: step.withChildren });
        for (const candidate of KEYS) {
          if (candidate === name || (step.withChildren && candidate.startsWith(`${name}:`))) raise(candidate, sequence);
        }
        break;
      }
      case 'expire':
        await expireAll();
        lastExpiry = now();
        break;
      case 'peek':
        await peek(KEYS[step.key]!);
        break;
    }
    await settle();
  }
  // Every load ends (half of them failing), every waiter must then settle, and what is left must be fresh.
  for (await settle(); pending.length > 0; await settle()) {
    sequence += 1;
    const chosen = pending.shift()!;
    if (sequence % 2 === 0) chosen.resolve({ key: chosen.key, version: chosen.version });
    else chosen.reject(new LoadError(chosen.key, chosen.version, false));
  }
  await Promise.all(waiters);
  for (const name of KEYS) await peek(name);
  if (violations.length > 0) throw new Error(`the cache broke the model:\n${violations.join('\n')}`);
}

/** Waits for `rounds` turns of the event loop. */
export async function turns(rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise((resolve) => setImmediate(resolve));
}

export type { Cached };
