// What was written to a status cache's keys, so that a read never stores (nor tells) an answer older than a write
// made after it began. AWS gives no version to compare: a read that began before a mutation may be answered after
// the mutation's own answer, with the state from before it (the read was served first, its answer arrived late).
// Two kinds of write are told apart:
// - a change: `set`, `invalidate`, a value another read found (`setRead`), a load's stored outcome — what `setRead`
//   checks, so one member's status from an org-wide scan that began before a change (or a newer reading) of it is
//   not stored;
// - a mutation (`writing`): from before its AWS call until its answer is in the cache. A load of the key whose run
//   overlapped it is superseded — its outcome is not stored, and its waiters get the mutation's value or, when the
//   mutation only invalidated, a new load's (status-cache.ts). A load that ends while a mutation of its key is under
//   way waits for it first: the mutation's answer is the newer one.
// Each cache keeps its own log: it sees the writes made through it (one instance), not another instance's.
import { LRUCache } from 'lru-cache';

/** A moment in a log's order of writes: take one before a read begins, give it back when the read ends. */
export type WriteMark = number;

/**
 * Keys whose last change is remembered (every load stores one); a read that began before the newest one forgotten is
 * treated as overtaken (conservative: its value is not stored). LRU order: a key forgotten was changed before every
 * one remembered, so only a read older than 100,000 changes meets that.
 * @default 100_000 keys
 */
const REMEMBERED_CHANGES = 100_000;
/** Keys whose last mutation is remembered: mutations are rare. @default 10_000 keys */
const REMEMBERED_MUTATIONS = 10_000;

interface UnderWay {
  count: number;
  readonly done: Promise<void>;
  readonly end: () => void;
}

/** The last write per key, and the newest one forgotten to keep the memory bounded. */
class LastWrites {
  private forgotten = 0;
  private readonly at: LRUCache<string, number>;

  constructor(max: number) {
    this.at = new LRUCache<string, number>({
      max,
      dispose: (at, _key, reason) => {
        if (reason === 'evict') this.forgotten = Math.max(this.forgotten, at);
      },
    });
  }

  wrote(key: string, at: number): void {
    this.at.set(key, at);
  }

  since(key: string, mark: WriteMark): boolean {
    return mark < this.forgotten || (this.at.get(key) ?? 0) > mark;
  }

  /** Whether a key starting with one of the remembered prefixes was written after `mark`. */
  prefixSince(key: string, mark: WriteMark): boolean {
    if (mark < this.forgotten) return true;
    for (const [prefix, at] of this.at.entries()) if (at > mark && key.startsWith(prefix)) return true;
    return false;
  }
}

export class WriteLog {
  private sequence = 0;
  private readonly changes = new LastWrites(REMEMBERED_CHANGES);
  /** Invalidations with children, per key prefix (`key:`): rare, so a plain scan of them is enough. */
  private readonly prefixes = new LastWrites(1_000);
  private readonly mutations = new LastWrites(REMEMBERED_MUTATIONS);
  private readonly underWay = new Map<string, UnderWay>();

  /** Now, in this log's order: a read takes it before it asks AWS. */
  mark(): WriteMark {
    return this.sequence;
  }

  /** `key` changed (set, invalidated, stored from a read); `withChildren`: every `key:…` too. */
  changed(key: string, withChildren = false): void {
    const at = ++this.sequence;
    this.changes.wrote(key, at);
    if (withChildren) this.prefixes.wrote(`${key}:`, at);
  }

  /** Whether `key` changed after `since` (a value another read found then is older). */
  changedSince(key: string, since: WriteMark): boolean {
    return this.changes.since(key, since) || this.prefixes.prefixSince(key, since);
  }

  /** Whether a mutation of `key` began or ended after `since`, or is under way (a load begun then is superseded). */
  mutatedSince(key: string, since: WriteMark): boolean {
    return this.mutations.since(key, since) || this.underWay.has(key);
  }

  /** Waits until no mutation of `key` is under way. */
  async settled(key: string): Promise<void> {
    for (let writing = this.underWay.get(key); writing; writing = this.underWay.get(key)) await writing.done;
  }

  /** Runs a mutation of `keys`: from now until `write` settles, loads of them are superseded (see the header). */
  async writing<R>(keys: readonly string[], write: () => Promise<R>): Promise<R> {
    const distinct = [...new Set(keys)];
    for (const key of distinct) this.begin(key);
    try {
      return await write();
    } finally {
      for (const key of distinct) this.end(key);
    }
  }

  private begin(key: string): void {
    this.mutated(key);
    const writing = this.underWay.get(key);
    if (writing) {
      writing.count += 1;
      return;
    }
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    this.underWay.set(key, { count: 1, done, end });
  }

  private end(key: string): void {
    this.mutated(key);
    const writing = this.underWay.get(key)!;
    writing.count -= 1;
    if (writing.count > 0) return;
    this.underWay.delete(key);
    writing.end();
  }

  private mutated(key: string): void {
    this.mutations.wrote(key, ++this.sequence);
  }
}

/**
 * What a load a mutation superseded gives its waiters: each reads again, after the mutation (a load begun after it
 * is not superseded by it; another mutation overlapping that read makes it read once more).
 */
export const SUPERSEDED: unique symbol = Symbol('superseded by a mutation');
export type Superseded = typeof SUPERSEDED;

/** A load a mutation overlapped: its waiters read again — not its outcome, nor a value set before the mutation ended. */
export function superseded(flight: { fresher?: unknown }): Superseded {
  flight.fresher = undefined;
  return SUPERSEDED;
}
