// Poller leases in Redis: one key per watched status holding the id of the instance that polls it, with an expiry.
// A free lease is taken with SET NX PX; the holder extends its own with a check-and-extend script (only if the key
// still names it), and gives it up with a check-and-delete one. An instance that dies stops renewing, so its leases
// expire and the next claim of another instance that watches the same statuses takes them.
import type { Redis } from 'ioredis';
import type { LeaseClaim, PollerLeases } from '../poller-leases.js';
import type { RedisConnection } from './connection.js';

/** @default 'statusgraph:v1:lease:' */
export const DEFAULT_LEASE_PREFIX = 'statusgraph:v1:lease:';
/** @default 15_000 // 15 seconds */
export const DEFAULT_POLLER_LEASE_MS = 15_000;
/** Renewals per lease period: two may fail before the lease lapses. @default 3 */
const RENEWALS_PER_LEASE = 3;
/**
 * Clocks run at slightly different rates; a holder stops polling this share of the lease before it could expire in
 * Redis, plus a fixed margin (the Redlock algorithm's drift allowance).
 */
const CLOCK_DRIFT_FACTOR = 0.01;
const CLOCK_DRIFT_MARGIN_MS = 2;

/** Extends the lease only if this instance still holds it. KEYS[1] lease, ARGV[1] instance id, ARGV[2] ms. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** Deletes the lease only if this instance holds it. KEYS[1] lease, ARGV[1] instance id. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

interface LeaseCommands {
  renewLease(key: string, holder: string, leaseMs: number): Promise<number>;
  releaseLease(key: string, holder: string): Promise<number>;
}

export interface RedisPollerLeasesOptions {
  readonly connection: RedisConnection;
  /** This instance's id, unique among the instances sharing the Redis. */
  readonly instanceId: string;
  /** How long a lease lives without renewal. @default DEFAULT_POLLER_LEASE_MS */
  readonly leaseMs?: number;
  /** @default DEFAULT_LEASE_PREFIX */
  readonly keyPrefix?: string;
  readonly now?: () => number;
}

export class RedisPollerLeases implements PollerLeases {
  readonly shared = true;
  readonly renewEveryMs: number;
  readonly leaseMs: number;
  private readonly connection: RedisConnection;
  private readonly instanceId: string;
  private readonly prefix: string;
  private readonly now: () => number;
  /** The keys the last claims gave this instance: renewed next time; the others are tried with SET NX. */
  private readonly held = new Set<string>();

  constructor(options: RedisPollerLeasesOptions) {
    this.connection = options.connection;
    this.instanceId = options.instanceId;
    this.leaseMs = options.leaseMs ?? DEFAULT_POLLER_LEASE_MS;
    this.renewEveryMs = Math.max(1, Math.floor(this.leaseMs / RENEWALS_PER_LEASE));
    this.prefix = options.keyPrefix ?? DEFAULT_LEASE_PREFIX;
    this.now = options.now ?? Date.now;
    const { commands } = this.connection;
    if (!('renewLease' in commands)) {
      commands.defineCommand('renewLease', { numberOfKeys: 1, lua: RENEW_SCRIPT });
      commands.defineCommand('releaseLease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    }
  }

  /**
   * One round trip for all keys: a key this instance held is extended if it still names this instance, any other is
   * taken if free. A held lease lost meanwhile (it expired and another instance took it) is tried again next round.
   */
  async claim(keys: readonly string[]): Promise<LeaseClaim> {
    const started = this.now();
    const pipeline = this.connection.commands.pipeline() as ReturnType<Redis['pipeline']> & { [K in keyof LeaseCommands]: (...args: Parameters<LeaseCommands[K]>) => unknown };
    for (const key of keys) {
      if (this.held.has(key)) pipeline.renewLease(this.prefix + key, this.instanceId, this.leaseMs);
      else pipeline.set(this.prefix + key, this.instanceId, 'PX', this.leaseMs, 'NX');
    }
    const replies = await pipeline.exec();
    if (!replies) throw new Error('Redis discarded the lease claim');
    const held = new Set<string>();
    keys.forEach((key, index) => {
      const [error, reply] = replies[index]!;
      if (error) throw error;
      if (reply === 1 || reply === 'OK') held.add(key);
    });
    for (const key of keys) {
      if (held.has(key)) this.held.add(key);
      else this.held.delete(key);
    }
    const drift = this.leaseMs * CLOCK_DRIFT_FACTOR + CLOCK_DRIFT_MARGIN_MS;
    return { held, validUntil: started + this.leaseMs - drift };
  }

  async release(keys: readonly string[]): Promise<void> {
    const pipeline = this.connection.commands.pipeline() as ReturnType<Redis['pipeline']> & { releaseLease: (key: string, holder: string) => unknown };
    for (const key of keys) {
      this.held.delete(key);
      pipeline.releaseLease(this.prefix + key, this.instanceId);
    }
    await pipeline.exec();
  }

  onReconnect(listener: () => void): () => void {
    return this.connection.onReconnect(listener);
  }

  /** Who holds the lease of a watched status: an instance id, or null when it is free. For tests and operators. */
  holder(key: string): Promise<string | null> {
    return this.connection.commands.get(this.prefix + key);
  }
}
