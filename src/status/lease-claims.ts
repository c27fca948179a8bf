// The watcher's side of shared poller leases: renews the leases held and tries to take the free ones of every watched
// status, three times a lease period, at once for a new watch and after a lease-store outage; knows until when the
// last claim's leases are certainly ours, and hands back leases claimed for statuses nobody watches any more.
// Without shared leases (one instance) every lease is held for ever and nothing here runs.
import type { LeaseClaim, PollerLeases } from './poller-leases.js';

export interface LeaseClaimsOptions {
  readonly leases: PollerLeases;
  readonly now: () => Date;
  /** The keys of every watched status. */
  readonly keys: () => readonly string[];
  /** Told of each successful claim: which keys are held, and whether the leases had lapsed before it. */
  readonly claimed: (held: ReadonlySet<string>, lapsed: boolean) => void;
  /** Told when leases could not be claimed (their store is unreachable); polling pauses until a claim succeeds. */
  readonly onLeaseError: (error: unknown) => void;
}

export class LeaseClaims {
  private readonly options: LeaseClaimsOptions;
  private readonly leases: PollerLeases;
  /** Until when the leases of the last successful claim are certainly ours. */
  private validUntil: number;
  private renewTimer: NodeJS.Timeout | undefined;
  private claimRunning = false;
  private claimAgain = false;
  private claimSoon: NodeJS.Immediate | undefined;
  private stopReconnects: (() => void) | undefined;
  private closed = false;

  constructor(options: LeaseClaimsOptions) {
    this.options = options;
    this.leases = options.leases;
    if (!this.leases.shared) {
      this.validUntil = Number.POSITIVE_INFINITY;
      return;
    }
    this.validUntil = Number.NEGATIVE_INFINITY;
    // Back from an outage: claim at once rather than at the next renewal, and send what could not be sent.
    this.stopReconnects = this.leases.onReconnect?.(() => void this.claim());
    this.renewTimer = setInterval(() => void this.claim(), this.leases.renewEveryMs);
    this.renewTimer.unref?.();
  }

  get shared(): boolean {
    return this.leases.shared;
  }

  /** Whether the leases of the last claim are still certainly ours. */
  valid(): boolean {
    return this.options.now().getTime() < this.validUntil;
  }

  /** One claim soon for all the statuses a new subscription watches, not one each. */
  claimLeasesSoon(): void {
    if (this.claimSoon || this.closed) return;
    this.claimSoon = setImmediate(() => {
      this.claimSoon = undefined;
      void this.claim();
    });
  }

  /** Gives up these leases; best effort (an unreleased lease expires). */
  release(keys: readonly string[]): void {
    if (this.leases.shared && keys.length > 0) this.leases.release(keys).catch(() => undefined);
  }

  /** Stops claiming and gives up the leases held, so another instance takes them at its next claim. */
  async close(held: readonly string[]): Promise<void> {
    this.closed = true;
    this.stopReconnects?.();
    clearInterval(this.renewTimer);
    if (this.claimSoon) clearImmediate(this.claimSoon);
    if (this.leases.shared && held.length > 0) await this.leases.release(held);
  }

  /** Claims until no new watch asked for another claim meanwhile; a failed claim is reported and ends the round. */
  private async claim(): Promise<void> {
    if (this.claimRunning) {
      this.claimAgain = true;
      return;
    }
    this.claimRunning = true;
    try {
      do {
        this.claimAgain = false;
        const keys = this.options.keys();
        if (keys.length === 0) break;
        const lapsed = !this.valid();
        let claim: LeaseClaim;
        try {
          claim = await this.leases.claim(keys);
        } catch (error) {
          this.options.onLeaseError(error);
          break;
        }
        if (this.closed) return;
        this.validUntil = claim.validUntil;
        this.options.claimed(claim.held, lapsed);
        // Released while the claim was on its way: give those back.
        const watched = new Set(this.options.keys());
        this.release([...claim.held].filter((key) => !watched.has(key)));
      } while (this.claimAgain && !this.closed);
    } finally {
      this.claimRunning = false;
    }
  }
}
