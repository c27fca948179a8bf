// Who polls a watched status when several instances watch it: the holder of its lease. One process alone holds every
// lease (InProcessPollerLeases); behind one Redis (redis/redis-poller-leases.ts) a lease expires unless renewed, so a
// crashed instance's statuses pass to another, and no status is polled by two instances at once.

/** The outcome of one claim round. */
export interface LeaseClaim {
  /** The keys this instance holds now: renewed or newly taken. */
  readonly held: ReadonlySet<string>;
  /** Until when (epoch ms on this clock) the held leases are certainly still ours: poll only before then. */
  readonly validUntil: number;
}

export interface PollerLeases {
  /** False when this process is the only poller there is (every claim succeeds and never expires). */
  readonly shared: boolean;
  /** How often the holder renews its leases and the others try to take free ones, in ms. */
  readonly renewEveryMs: number;
  /** Renews the leases held among `keys` and tries to take the free ones. Rejects when the store is unreachable. */
  claim(keys: readonly string[]): Promise<LeaseClaim>;
  /** Gives up these leases (if still held), so another instance can take them at its next claim. */
  release(keys: readonly string[]): Promise<void>;
  /** Calls `listener` when the lease store is reachable again after an outage. */
  onReconnect?(listener: () => void): () => void;
}

/** One instance, no Redis: it holds every lease, for ever. */
export class InProcessPollerLeases implements PollerLeases {
  readonly shared = false;
  readonly renewEveryMs = Number.POSITIVE_INFINITY;

  async claim(keys: readonly string[]): Promise<LeaseClaim> {
    return { held: new Set(keys), validUntil: Number.POSITIVE_INFINITY };
  }

  async release(): Promise<void> {}
}
