// Who polls a watched status when several instances watch it: the holder of its lease. This is the port the
// StatusWatcher polls through, knowing no lease store: one process alone holds every lease for ever
// (InProcessPollerLeases, here); behind one Redis (redis/redis-poller-leases.ts, over the renewal rounds of
// renewed-leases.ts) a lease expires unless renewed, so a crashed instance's statuses pass to another, no status is
// polled by two instances at once, and the new holder learns what the last one published.
import type { StatusChangeMessage } from './change-messages.js';

/** What the leases tell their watcher. */
export interface LeaseEvents {
  /**
   * These keys are newly held (or held again after the leases lapsed): poll them at once. `lastPublished` has, for
   * the keys where it is known, the last change any holder published — the previous value of the next change.
   */
  gained(keys: readonly string[], lastPublished: ReadonlyMap<string, StatusChangeMessage>): void;
  /** A claim round succeeded: the lease store is reachable (send what could not be sent). */
  claimed(): void;
  /** Leases could not be claimed (their store is unreachable); polling pauses until a claim succeeds. */
  failed(error: unknown): void;
}

export interface PollerLeases {
  /** False when this process is the only poller there is (it holds every lease, for ever). */
  readonly shared: boolean;
  /** Starts following the leases; called once, by the watcher that polls through them. */
  start(events: LeaseEvents): void;
  /** A status is watched here now: its lease is wanted (taken at once, or by a claim round soon). */
  want(key: string): void;
  /** Nobody here watches it any more: its lease is given up if held. */
  drop(key: string): void;
  /** Whether this instance polls `key` now: it holds the lease, and the lease cannot have lapsed. */
  holds(key: string): boolean;
  /** Remembers the change this holder published, for whoever holds the lease next (see LeaseEvents.gained). */
  published(key: string, message: StatusChangeMessage): void;
  /** Stops claiming and gives up every lease held, so another instance takes them at its next claim. */
  close(): Promise<void>;
}

/** One instance, no Redis: it holds every lease, for ever, and nobody polls after it. */
export class InProcessPollerLeases implements PollerLeases {
  readonly shared = false;
  private events: LeaseEvents | undefined;

  start(events: LeaseEvents): void {
    this.events = events;
  }

  want(key: string): void {
    this.events?.gained([key], new Map());
  }

  drop(): void {}

  holds(): boolean {
    return true;
  }

  published(): void {}

  async close(): Promise<void> {}
}
