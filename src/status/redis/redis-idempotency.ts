// createAccount idempotency shared by every instance: a retry that lands on another instance still makes one
// CreateAccount call. The first caller claims the key in Redis (SET NX, 24 hours) with the input's fingerprint, makes
// the call, and stores its outcome under the same key; a concurrent or later caller with the same key and input waits
// for that outcome and answers with it, and one with other input is refused.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  failureRecord,
  InFlightClaims,
  reviveFailure,
  type FailureRecord,
  IDEMPOTENCY_WINDOW_MS,
  IdempotencyKeyPendingError,
  IdempotencyKeyReusedError,
  IdempotencyStoreUnavailableError,
  type IdempotencyStore,
} from '../idempotency.js';
import type { RedisConnection } from './connection.js';
import { decode, encode } from './serialization.js';

/** @default 'statusgraph:v1:idempotency:' */
export const DEFAULT_IDEMPOTENCY_PREFIX = 'statusgraph:v1:idempotency:';
/** How often a waiting caller looks for the outcome. @default 100 // ms */
const OUTCOME_POLL_MS = 100;
/**
 * How long a caller waits for another instance's attempt: longer than one CreateAccount call can take (it is sent
 * once, with the AWS request timeout). @default 120_000 // 2 minutes
 */
const MAX_OUTCOME_WAIT_MS = 120_000;

/** What the key holds in Redis. */
type Claim =
  | { readonly state: 'pending'; readonly fingerprint: string; readonly token: string }
  | { readonly state: 'done'; readonly fingerprint: string; readonly value: unknown }
  | { readonly state: 'failed'; readonly fingerprint: string; readonly failure: FailureRecord };

/** Replaces the claim only if it still is `ARGV[1]` (ours, pending). KEYS[1] key, ARGV[2] the new value. */
const SETTLE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
end
return nil`;

/** Deletes the claim only if it still is `ARGV[1]`: a failure that proved nothing was done frees the key. */
const FORGET_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

interface IdempotencyCommands {
  settleClaim(key: string, claim: Buffer, outcome: Buffer): Promise<string | null>;
  forgetClaim(key: string, claim: Buffer): Promise<number>;
}

export interface RedisIdempotencyStoreOptions {
  readonly connection: RedisConnection;
  /** @default IDEMPOTENCY_WINDOW_MS (24 hours) */
  readonly windowMs?: number;
  /** @default DEFAULT_IDEMPOTENCY_PREFIX */
  readonly keyPrefix?: string;
}

export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly connection: RedisConnection;
  private readonly windowMs: number;
  private readonly prefix: string;
  /** Calls in flight on this instance, shared without a Redis round trip each. */
  private readonly local = new InFlightClaims();

  constructor(options: RedisIdempotencyStoreOptions) {
    this.connection = options.connection;
    this.windowMs = options.windowMs ?? IDEMPOTENCY_WINDOW_MS;
    this.prefix = options.keyPrefix ?? DEFAULT_IDEMPOTENCY_PREFIX;
    const { commands } = this.connection;
    if (!('settleClaim' in commands)) {
      commands.defineCommand('settleClaim', { numberOfKeys: 1, lua: SETTLE_SCRIPT });
      commands.defineCommand('forgetClaim', { numberOfKeys: 1, lua: FORGET_SCRIPT });
    }
  }

  run<T>(key: string, input: unknown, attempt: () => Promise<T>, forgetOn: (error: unknown) => boolean): Promise<T> {
    return this.local.share(key, input, (fingerprint) => this.runShared(key, fingerprint, attempt, forgetOn));
  }

  private async runShared<T>(key: string, fingerprint: string, attempt: () => Promise<T>, forgetOn: (error: unknown) => boolean): Promise<T> {
    if (!this.connection.up) throw new IdempotencyStoreUnavailableError();
    const redisKey = this.prefix + key;
    const commands = this.connection.commands as typeof this.connection.commands & IdempotencyCommands;
    const deadline = Date.now() + MAX_OUTCOME_WAIT_MS;
    for (;;) {
      const claim = encode({ state: 'pending', fingerprint, token: randomUUID() } satisfies Claim);
      const claimed = await commands.set(redisKey, claim, 'PX', this.windowMs, 'NX').catch(() => {
        throw new IdempotencyStoreUnavailableError();
      });
      if (claimed === 'OK') return this.attempt(redisKey, claim, fingerprint, attempt, forgetOn, commands);

      // Another call holds the key: wait for its outcome, or for the key to be freed (then claim it again).
      while (Date.now() < deadline) {
        const bytes = await commands.getBuffer(redisKey).catch(() => {
          throw new IdempotencyStoreUnavailableError();
        });
        if (!bytes) break;
        const held = decode<Claim>(bytes);
        if (!held) throw new IdempotencyStoreUnavailableError();
        if (held.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        if (held.state === 'done') return held.value as T;
        if (held.state === 'failed') throw reviveFailure(held.failure);
        await sleep(OUTCOME_POLL_MS);
      }
      if (Date.now() >= deadline) throw new IdempotencyKeyPendingError();
    }
  }

  /** Makes the one call for this key and leaves its outcome in Redis for every other caller. */
  private async attempt<T>(
    redisKey: string,
    claim: Buffer,
    fingerprint: string,
    attempt: () => Promise<T>,
    forgetOn: (error: unknown) => boolean,
    commands: IdempotencyCommands,
  ): Promise<T> {
    let value: T;
    try {
      value = await attempt();
    } catch (error) {
      // Keep the key when the call may have done something (a timeout, a 5xx): a retry must not create twice.
      const settled = forgetOn(error)
        ? commands.forgetClaim(redisKey, claim)
        : commands.settleClaim(redisKey, claim, encode({ state: 'failed', fingerprint, failure: failureRecord(error) } satisfies Claim));
      await settled.catch(() => undefined);
      throw error;
    }
    // If this write fails, waiting callers end with IdempotencyKeyPendingError: still never a second account.
    await commands.settleClaim(redisKey, claim, encode({ state: 'done', fingerprint, value } satisfies Claim)).catch(() => undefined);
    return value;
  }
}
