// The loads in flight of a status cache, one per key, and the rules for what happens to one when its key changes
// while it runs. Both caches (status-cache.ts in process, redis/redis-status-cache.ts across instances) use it, so
// they agree:
// - set while loading: the set value is fresher (the load may have read AWS before the change the set reports). It
//   stays in the cache, the load's outcome is not stored, and every waiter of the load gets the set value.
// - invalidate while loading: the load may have read what the invalidation says is out of date. Its outcome is not
//   stored; its waiters still get it (a value or the load's own error: they asked before the invalidation — not a
//   value set meanwhile, which the invalidation also says is out of date), and later callers start a new load.
// - a mutation overlapping the load (write-log.ts): the load is superseded; the caches read again for its waiters.
// - expiry while loading: nothing to do. A load stores its outcome with a TTL counted from when it ends.
// - a refresh (a poller's read, status-cache.ts `refreshIfFetchedBy`) is a load that runs while its key still holds
//   the entry the poller has seen: readers keep that entry meanwhile, and the rules above decide what is stored.
// A waiter never rejects with anything but its own load's error: no "replaced", no "deleted" — except a waiter whose
// own signal aborted (its caller went away), which rejects with that signal's reason.
// Callers that go away: a load runs for its waiters. Each waiter may bring a signal (its request's); when every
// waiter's signal has aborted, the load's own signal aborts too, so its AWS calls stop retrying, and the last waiter
// gets the load's outcome (what the call was retrying, aws/call.ts). A waiter that leaves while others still wait
// rejects at once with its own reason, and the load goes on for the others. A waiter without a signal (a poller) keeps
// the load going whatever the others do.

/** What happened to a load's key while it ran; the load consults it before storing its outcome. */
export interface Flight<E> {
  /** Set (or invalidated) while loading: the outcome must not be stored. */
  overtaken: boolean;
  /** The fresher entry a set stored while loading, which every waiter gets instead of the load's outcome. */
  fresher?: E;
}

interface Running<E> {
  readonly flight: Flight<E>;
  result: Promise<E>;
  /** Aborts when every waiter has gone. */
  readonly abort: AbortController;
  /** Waiters whose signal has not aborted; Infinity once a waiter without a signal joined. */
  waiting: number;
}

export class InFlightLoads<E> {
  private readonly running = new Map<string, Running<E>>();

  /**
   * The outcome of the load of `key` in flight, or of a new one made with `run` (which stores its outcome unless
   * `flight.overtaken`). Waiters get `flight.fresher` when a set overtook the load, failed or not.
   */
  join(key: string, run: (flight: Flight<E>, signal: AbortSignal) => Promise<E>, signal?: AbortSignal): Promise<E> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const existing = this.running.get(key);
    if (existing) return this.wait(key, existing, signal);
    const running: Running<E> = { flight: { overtaken: false }, result: Promise.resolve(undefined as E), abort: new AbortController(), waiting: 0 };
    this.running.set(key, running);
    const { flight } = running;
    running.result = (async () => {
      try {
        const own = await run(flight, running.abort.signal);
        return flight.fresher ?? own;
      } catch (error) {
        if (flight.fresher !== undefined) return flight.fresher;
        throw error;
      } finally {
        if (this.running.get(key) === running) this.running.delete(key);
      }
    })();
    return this.wait(key, running, signal);
  }

  /** One waiter's view of a load: the load's outcome, or its own signal's reason if it leaves while others wait. */
  private wait(key: string, running: Running<E>, signal: AbortSignal | undefined): Promise<E> {
    if (!signal) {
      running.waiting = Infinity;
      return running.result;
    }
    running.waiting += 1;
    return new Promise<E>((resolve, reject) => {
      const leave = () => {
        running.waiting -= 1;
        if (running.waiting > 0) return reject(signal.reason as Error);
        // The last waiter: the load stops (its calls fail at once), and no later caller may join it.
        if (this.running.get(key) === running) this.running.delete(key);
        running.abort.abort(signal.reason);
      };
      signal.addEventListener('abort', leave, { once: true });
      running.result.then(resolve, reject).finally(() => signal.removeEventListener('abort', leave));
    });
  }

  /** `key` was set to `fresher`: its load in flight is not stored, and its waiters get `fresher`. */
  overtake(key: string, fresher: E): void {
    const running = this.running.get(key);
    if (!running) return;
    running.flight.overtaken = true;
    running.flight.fresher = fresher;
    this.running.delete(key);
  }

  /** `key` (and its children, `key:…`, with `withChildren`) was invalidated: loads in flight are not stored. */
  discard(key: string, withChildren: boolean): void {
    const childPrefix = `${key}:`;
    for (const [candidate, running] of this.running) {
      if (candidate === key || (withChildren && candidate.startsWith(childPrefix))) {
        running.flight.overtaken = true;
        // A value set before the invalidation is out of date too: the waiters get the load's own outcome.
        running.flight.fresher = undefined;
        this.running.delete(candidate);
      }
    }
  }
}
