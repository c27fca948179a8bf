// Poller leases that expire unless renewed — what every shared lease store needs around its own commands: claim
// rounds three times a lease period (renewing the leases held, trying to take the free ones of every watched status),
// a round at once for a new watch and after a store outage, knowing until when the last round's leases are certainly
// ours, handing back leases taken for statuses nobody watches any more, and reading what the previous holder
// published for each lease newly taken. A store (redis/redis-poller-leases.ts) supplies the commands.
import type { StatusChangeMessage } from './change-messages.js';
import type { LeaseEvents, PollerLeases } from './poller-leases.js';

/** The outcome of one claim round. */
export interface LeaseClaim {
  /** The keys this instance holds now: renewed or newly taken. */
  readonly held: ReadonlySet<string>;
  /** Until when (epoch ms on this clock) the held leases are certainly still ours: poll only before then. */
  readonly validUntil: number;
}

export abstract class RenewedPollerLeases implements PollerLeases {
  readonly shared = true;
  /** How often the holder renews its leases and the others try to take free ones, in ms. */
  abstract readonly renewEveryMs: number;
  private readonly clock: () => number;
  private events: LeaseEvents | undefined;
  /** The keys of every status watched here. */
  private readonly wanted = new Set<string>();
  /** The wanted keys the last successful round held. */
  private readonly holding = new Set<string>();
  /** Until when the leases of the last successful round are certainly ours. */
  private validUntil = Number.NEGATIVE_INFINITY;
  private renewTimer: NodeJS.Timeout | undefined;
  private roundRunning = false;
  private roundAgain = false;
  private roundSoon: NodeJS.Immediate | undefined;
  private stopReconnects: (() => void) | undefined;
  private closed = false;

  protected constructor(clock: () => number) {
    this.clock = clock;
  }

  /** Renews the leases held among `keys` and tries to take the free ones. Rejects when the store is unreachable. */
  abstract claim(keys: readonly string[]): Promise<LeaseClaim>;
  /** Gives up these leases (if still held), so another instance can take them at its next claim. */
  abstract release(keys: readonly string[]): Promise<void>;
  /** What was last published of each key, by whichever instance held it (see published()). */
  protected abstract lastPublished(keys: readonly string[]): Promise<ReadonlyMap<string, StatusChangeMessage>>;
  abstract published(key: string, message: StatusChangeMessage): void;
  /** Calls `listener` when the lease store is reachable again after an outage. */
  onReconnect?(listener: () => void): () => void;

  start(events: LeaseEvents): void {
    this.events = events;
    // Back from an outage: claim at once rather than at the next renewal, and send what could not be sent.
    this.stopReconnects = this.onReconnect?.(() => void this.claimRounds());
    this.renewTimer = setInterval(() => void this.claimRounds(), this.renewEveryMs);
    this.renewTimer.unref?.();
  }

  want(key: string): void {
    this.wanted.add(key);
    this.claimSoon();
  }

  drop(key: string): void {
    this.wanted.delete(key);
    if (this.holding.delete(key)) this.release([key]).catch(() => undefined);
  }

  holds(key: string): boolean {
    return this.holding.has(key) && this.clock() < this.validUntil;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopReconnects?.();
    clearInterval(this.renewTimer);
    if (this.roundSoon) clearImmediate(this.roundSoon);
    const held = [...this.holding];
    this.holding.clear();
    if (held.length > 0) await this.release(held);
  }

  /** One round soon for all the statuses a new subscription watches, not one each. */
  private claimSoon(): void {
    if (this.roundSoon || this.closed || !this.events) return;
    this.roundSoon = setImmediate(() => {
      this.roundSoon = undefined;
      void this.claimRounds();
    });
  }

  /** Claims until no new watch asked for another round meanwhile; a failed round is reported and ends them. */
  private async claimRounds(): Promise<void> {
    if (this.roundRunning) {
      this.roundAgain = true;
      return;
    }
    this.roundRunning = true;
    try {
      do {
        this.roundAgain = false;
        if (!(await this.claimRound())) break;
      } while (this.roundAgain && !this.closed);
    } finally {
      this.roundRunning = false;
    }
  }

  /** One claim of every wanted key; false when there was nothing to claim, the claim failed or the leases closed. */
  private async claimRound(): Promise<boolean> {
    const keys = [...this.wanted];
    if (keys.length === 0 || !this.events) return false;
    const lapsed = this.clock() >= this.validUntil;
    let claim: LeaseClaim;
    let handedOver: ReadonlyMap<string, StatusChangeMessage> = new Map();
    try {
      claim = await this.claim(keys);
      // Only a lease taken from another instance has a previous holder to learn from: one held here all along (even
      // if it lapsed) was last published here, which the watcher heard. Keeping that case free of a second round
      // trip keeps the gap short in which a busy instance whose leases lapsed polls nothing.
      const taking = keys.filter((key) => claim.held.has(key) && !this.holding.has(key));
      if (taking.length > 0) handedOver = await this.lastPublished(taking).catch(() => new Map());
    } catch (error) {
      this.events.failed(error);
      return false;
    }
    if (this.closed) return false;
    this.validUntil = claim.validUntil;
    const gained: string[] = [];
    for (const key of keys) {
      const holds = claim.held.has(key) && this.wanted.has(key);
      if (holds && (!this.holding.has(key) || lapsed)) gained.push(key);
      if (holds) this.holding.add(key);
      else this.holding.delete(key);
    }
    // Dropped while the claim was on its way: give those back.
    const orphans = [...claim.held].filter((key) => !this.wanted.has(key));
    if (orphans.length > 0) this.release(orphans).catch(() => undefined);
    if (gained.length > 0) this.events.gained(gained, handedOver);
    this.events.claimed();
    return true;
  }
}
