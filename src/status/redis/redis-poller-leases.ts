// Poller leases in Redis: one key per watched status holding the id of the instance that polls it, with an expiry.
// A free lease is taken with SET NX PX; the holder extends its own with a check-and-extend script (only if the key
// still names it), and gives it up with a check-and-delete one. An instance that dies stops renewing, so its leases
// expire and the next claim of another instance that watches the same statuses takes them. Beside each lease, the
// holder keeps the last change it published (outliving the lease by several periods), so a new holder's first change
// carries the real previous value. The claim rounds around these commands are renewed-leases.ts's.
import type { Redis } from 'ioredis';
import type { StatusChangeMessage } from '../change-messages.js';
import { RenewedPollerLeases, type LeaseClaim } from '../renewed-leases.js';
import type { RedisConnection } from './connection.js';

/** @default 'statusgraph:v1:lease:' */
export const DEFAULT_LEASE_PREFIX = 'statusgraph:v1:lease:';
/** Where each lease's last published change is kept. @default 'statusgraph:v1:published:' */
export const DEFAULT_PUBLISHED_PREFIX = 'statusgraph:v1:published:';
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

/**
 * A lease's last published change lives this many lease periods past the holder's last renewal: another instance
 * takes a crashed holder's lease after one period plus a renewal interval, and a busy one later — it must still find
 * it. Longer costs nothing wrong: a change found against an older record is still a change from it.
 */
const PUBLISHED_LEASES = 10;

/**
 * Extends the lease only if this instance still holds it, and with it the life of its last published change.
 * KEYS[1] lease, KEYS[2] published, ARGV[1] instance id, ARGV[2] lease ms, ARGV[3] published ms.
 */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** Keeps a published change only if this instance holds the lease. KEYS[1] lease, KEYS[2] published, ARGV[1] instance id, ARGV[2] message, ARGV[3] ms. */
const PUBLISHED_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
end
return 0`;

/** Deletes the lease only if this instance holds it. KEYS[1] lease, ARGV[1] instance id. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

interface LeaseCommands {
  renewLease(key: string, published: string, holder: string, leaseMs: number, publishedMs: number): Promise<number>;
  releaseLease(key: string, holder: string): Promise<number>;
  keepPublished(key: string, published: string, holder: string, message: string, publishedMs: number): Promise<unknown>;
}

export interface RedisPollerLeasesOptions {
  readonly connection: RedisConnection;
  /** This instance's id, unique among the instances sharing the Redis. */
  readonly instanceId: string;
  /** How long a lease lives without renewal. @default DEFAULT_POLLER_LEASE_MS */
  readonly leaseMs?: number;
  /** @default DEFAULT_LEASE_PREFIX */
  readonly keyPrefix?: string;
  /** @default DEFAULT_PUBLISHED_PREFIX */
  readonly publishedPrefix?: string;
  readonly now?: () => number;
}

export class RedisPollerLeases extends RenewedPollerLeases {
  readonly renewEveryMs: number;
  readonly leaseMs: number;
  private readonly connection: RedisConnection;
  private readonly instanceId: string;
  private readonly prefix: string;
  private readonly publishedPrefix: string;
  private readonly now: () => number;
  /** The keys the last claims gave this instance: renewed next time; the others are tried with SET NX. */
  private readonly held = new Set<string>();

  constructor(options: RedisPollerLeasesOptions) {
    const now = options.now ?? Date.now;
    super(now);
    this.now = now;
    this.connection = options.connection;
    this.instanceId = options.instanceId;
    this.leaseMs = options.leaseMs ?? DEFAULT_POLLER_LEASE_MS;
    this.renewEveryMs = Math.max(1, Math.floor(this.leaseMs / RENEWALS_PER_LEASE));
    this.prefix = options.keyPrefix ?? DEFAULT_LEASE_PREFIX;
    this.publishedPrefix = options.publishedPrefix ?? DEFAULT_PUBLISHED_PREFIX;
    const { commands } = this.connection;
    if (!('renewLease' in commands)) {
      commands.defineCommand('renewLease', { numberOfKeys: 2, lua: RENEW_SCRIPT });
      commands.defineCommand('releaseLease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
      commands.defineCommand('keepPublished', { numberOfKeys: 2, lua: PUBLISHED_SCRIPT });
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
      if (this.held.has(key)) pipeline.renewLease(this.prefix + key, this.publishedPrefix + key, this.instanceId, this.leaseMs, this.publishedMs);
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

  /** Keeps the change this instance published while it holds the lease; best effort (a lost one means previous: null). */
  published(key: string, message: StatusChangeMessage): void {
    const commands = this.connection.commands as unknown as LeaseCommands;
    commands
      .keepPublished(this.prefix + key, this.publishedPrefix + key, this.instanceId, JSON.stringify(message), this.publishedMs)
      .catch(() => undefined);
  }

  protected async lastPublished(keys: readonly string[]): Promise<ReadonlyMap<string, StatusChangeMessage>> {
    const values = await this.connection.commands.mget(keys.map((key) => this.publishedPrefix + key));
    const found = new Map<string, StatusChangeMessage>();
    keys.forEach((key, index) => {
      const value = values[index];
      if (value) found.set(key, JSON.parse(value) as StatusChangeMessage);
    });
    return found;
  }

  private get publishedMs(): number {
    return this.leaseMs * PUBLISHED_LEASES;
  }

  override onReconnect(listener: () => void): () => void {
    return this.connection.onReconnect(listener);
  }

  /** Who holds the lease of a watched status: an instance id, or null when it is free. For tests and operators. */
  holder(key: string): Promise<string | null> {
    return this.connection.commands.get(this.prefix + key);
  }
}
