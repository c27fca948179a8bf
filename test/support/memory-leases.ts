// Poller leases of several instances in one process: a lease table in memory, on the clock the test controls, with
// one RenewedPollerLeases per instance over it — the claim rounds statusgraph runs against Redis, without a Redis.
import type { StatusChangeMessage } from '../../src/status/change-messages.js';
import { RenewedPollerLeases, type LeaseClaim } from '../../src/status/renewed-leases.js';

export class MemoryLeaseTable {
  /** Who holds each lease, until when. */
  readonly leases = new Map<string, { readonly holder: string; readonly expiresAt: number }>();
  /** The last change each lease's holder published. */
  readonly published = new Map<string, StatusChangeMessage>();

  /** One instance's leases: `leaseMs` long, renewed three times a period. */
  instance(id: string, leaseMs: number): RenewedPollerLeases {
    return new MemoryPollerLeases(this, id, leaseMs);
  }

  holder(key: string): string | null {
    const lease = this.leases.get(key);
    return lease && lease.expiresAt > Date.now() ? lease.holder : null;
  }
}

class MemoryPollerLeases extends RenewedPollerLeases {
  readonly renewEveryMs: number;

  constructor(
    private readonly table: MemoryLeaseTable,
    private readonly id: string,
    private readonly leaseMs: number,
  ) {
    super(() => Date.now());
    this.renewEveryMs = leaseMs / 3;
  }

  async claim(keys: readonly string[]): Promise<LeaseClaim> {
    const now = Date.now();
    const held = new Set<string>();
    for (const key of keys) {
      const holder = this.table.holder(key);
      if (holder !== null && holder !== this.id) continue;
      this.table.leases.set(key, { holder: this.id, expiresAt: now + this.leaseMs });
      held.add(key);
    }
    return { held, validUntil: now + this.leaseMs };
  }

  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) if (this.table.holder(key) === this.id) this.table.leases.delete(key);
  }

  published(key: string, message: StatusChangeMessage): void {
    if (this.table.holder(key) === this.id) this.table.published.set(key, message);
  }

  protected async lastPublished(keys: readonly string[]): Promise<ReadonlyMap<string, StatusChangeMessage>> {
    return new Map(keys.flatMap((key) => (this.table.published.has(key) ? [[key, this.table.published.get(key)!] as const] : [])));
  }
}
