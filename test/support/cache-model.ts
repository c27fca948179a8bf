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
// - a mutation (`writing`: it begins, then ends by setting, invalidating or failing) is newer than every read that
//   overlapped it: once it ended, nothing older than its end is stored, and a waiter still waiting then gets nothing
//   older either (the mutation's value, or a read made after it);
// - a value another read found (`setRead`, an org-wide scan's member) is stored only if no write of its key came
//   since that read began — peek then never answers it over a newer one.
// "Older" is counted in operations: every value carries the operation number at which it was read (a load's when it
// started, a set's when it was made).
import fc from 'fast-check';
import type { Cached, StatusCache, WriteMark } from '../../src/status/status-cache.js';

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
  | { readonly kind: 'peek'; readonly key: number }
  | { readonly kind: 'write'; readonly key: number }
  | { readonly kind: 'endWrite'; readonly write: number; readonly outcome: 'set' | 'invalidate' | 'fail' }
  | { readonly kind: 'read'; readonly key: number }
  | { readonly kind: 'storeRead'; readonly read: number };

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
  { arbitrary: fc.record({ kind: fc.constant('write' as const), key }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('endWrite' as const), write: load, outcome: fc.constantFrom('set' as const, 'invalidate' as const, 'fail' as const) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('read' as const), key }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('storeRead' as const), read: load }), weight: 1 },
);

/** Random interleavings, as fast-check draws them (and shrinks a failing one). */
export const interleavings = fc.array(operation, { minLength: 1, maxLength: 40 });

interface PendingLoad {
  readonly key: string;
  readonly version: number;
  readonly resolve: (value: Versioned) => void;
  readonly reject: (error: LoadError) => void;
}

/** A mutation under way: `end` makes it set, invalidate or fail, and resolves when the cache has taken it. */
interface OpenWrite {
  readonly key: string;
  readonly end: (outcome: 'set' | 'invalidate' | 'fail') => Promise<void>;
}

/** Another read of a key under way (an org-wide scan's member): its value, and the mark taken when it began. */
interface OpenRead {
  readonly key: string;
  readonly version: number;
  readonly since: WriteMark;
}

/** A getOrLoad not answered yet: what it may answer no older than (raised when a mutation of its key ends). */
interface Waiter {
  readonly key: string;
  floor: number;
  answered: boolean;
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
  const open: Waiter[] = [];
  const writes: OpenWrite[] = [];
  const reads: OpenRead[] = [];
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
    const waiter: Waiter = { key: name, floor: askedAt, answered: false };
    open.push(waiter);
    waiters.push(
      cache.getOrLoad(name, loadIt, () => MODEL_TTL_MS, options).then(
        ({ value }) => {
          waiter.answered = true;
          if (value.key !== name) violations.push(`getOrLoad(${name}) answered a value of ${value.key}`);
          if (value.version < waiter.floor) violations.push(`getOrLoad(${name}) answered version ${value.version}, older than ${waiter.floor}`);
        },
        (error: unknown) => {
          waiter.answered = true;
          if (!(error instanceof LoadError)) violations.push(`getOrLoad(${name}) rejected with ${String(error)}, not a load's error`);
          else if (error.key !== name) violations.push(`getOrLoad(${name}) rejected with the error of a load of ${error.key}`);
          else if (error.version < waiter.floor) violations.push(`getOrLoad(${name}) rejected with a failure older than ${waiter.floor}`);
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

  const write = (name: string) => {
    let finish!: (outcome: 'set' | 'invalidate' | 'fail') => void;
    const ended = new Promise<'set' | 'invalidate' | 'fail'>((resolve) => (finish = resolve));
    const written = cache.writing([name], async () => {
      const outcome = await ended;
      if (outcome === 'set') await cache.set<Versioned>(name, { key: name, version: sequence }, MODEL_TTL_MS);
      else if (outcome === 'invalidate') await cache.invalidate(name);
      else throw new Error('the mutation failed');
    });
    writes.push({
      key: name,
      end: async (outcome) => {
        // A mutation that set or invalidated: nothing older than its end may be stored or answered to a waiter
        // waiting now. One that failed changed nothing (the reads it superseded still read again).
        if (outcome !== 'fail') {
          raise(name, sequence);
          for (const waiter of open) if (waiter.key === name && !waiter.answered) waiter.floor = Math.max(waiter.floor, sequence);
        }
        finish(outcome);
        await written.catch(() => undefined);
      },
    });
  };

  const storeRead = (read: OpenRead) => {
    // Never awaited here: it waits for a mutation of its key under way.
    waiters.push(cache.setRead<Versioned>(read.key, { key: read.key, version: read.version }, MODEL_TTL_MS, read.since).then(() => undefined));
  };

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
      case 'write':
        write(KEYS[step.key]!);
        break;
      case 'endWrite': {
        const chosen = writes.length === 0 ? undefined : writes.splice(step.write % writes.length, 1)[0];
        await chosen?.end(step.outcome);
        break;
      }
      case 'read':
        reads.push({ key: KEYS[step.key]!, version: sequence, since: cache.mark() });
        break;
      case 'storeRead': {
        const chosen = reads.length === 0 ? undefined : reads.splice(step.read % reads.length, 1)[0];
        if (chosen) storeRead(chosen);
        break;
      }
    }
    await settle();
  }
  // Every mutation ends, every load ends (half of them failing), every waiter must then settle, and what is left
  // must be fresh.
  for (const chosen of writes.splice(0)) {
    sequence += 1;
    await chosen.end(sequence % 2 === 0 ? 'set' : 'invalidate');
    await settle();
  }
  // Until every waiter has answered, not until no load is pending at one look: a waiter whose read was superseded
  // reads the store again before it loads again, and on a busy machine that round trip can outlast a settle.
  let answeredAll = false;
  const allAnswered = Promise.all(waiters);
  const answered = () => (answeredAll = true);
  allAnswered.then(answered, answered);
  for (await settle(); !answeredAll; await settle()) {
    if (pending.length === 0) continue;
    sequence += 1;
    const chosen = pending.shift()!;
    if (sequence % 2 === 0) chosen.resolve({ key: chosen.key, version: chosen.version });
    else chosen.reject(new LoadError(chosen.key, chosen.version, false));
  }
  await allAnswered;
  for (const name of KEYS) await peek(name);
  if (violations.length > 0) throw new Error(`the cache broke the model:\n${violations.join('\n')}`);
}

/** Waits for `rounds` turns of the event loop. */
export async function turns(rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise((resolve) => setImmediate(resolve));
}

export type { Cached };
