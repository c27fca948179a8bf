// createAccount idempotency kept in the history store (status/idempotency.ts's contract): a retry after a restart, a
// kill -9, or on another instance sharing the PostgreSQL database gets the original request. The first caller claims
// the key (an insert that only one caller can win), makes the one CreateAccount call and stores its outcome under the
// key; later callers with the same key and input get that outcome, other input is refused.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { deserialize, serialize } from 'node:v8';
import type { Kysely } from 'kysely';
import {
  failureRecord,
  InFlightClaims,
  IDEMPOTENCY_WINDOW_MS,
  IdempotencyKeyPendingError,
  IdempotencyKeyReusedError,
  IdempotencyStoreUnavailableError,
  reviveFailure,
  type FailureRecord,
  type IdempotencyStore,
} from '../status/index.js';
import type { HistoryDatabase } from './schema.js';

/** How often a caller waiting for another instance's attempt looks for its outcome. @default 100 // ms */
const OUTCOME_POLL_MS = 100;
/** Longer than one CreateAccount call can take (sent once, with the AWS request timeout). @default 120_000 // 2 minutes */
const MAX_OUTCOME_WAIT_MS = 120_000;

type Outcome = { readonly value: unknown } | { readonly failure: FailureRecord };

export interface DatabaseIdempotencyStoreOptions {
  readonly db: Kysely<HistoryDatabase>;
  /**
   * Whether other processes use the same database (PostgreSQL). Alone, a pending key left by an earlier process is a
   * call that process never finished (a crash mid-call): there is nobody to wait for.
   */
  readonly sharedWriters: boolean;
  /** @default IDEMPOTENCY_WINDOW_MS (24 hours) */
  readonly windowMs?: number;
  readonly now?: () => number;
}

export class DatabaseIdempotencyStore implements IdempotencyStore {
  private readonly db: Kysely<HistoryDatabase>;
  private readonly sharedWriters: boolean;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Calls in flight in this process, shared without a database round trip each. */
  private readonly local = new InFlightClaims();

  constructor(options: DatabaseIdempotencyStoreOptions) {
    this.db = options.db;
    this.sharedWriters = options.sharedWriters;
    this.windowMs = options.windowMs ?? IDEMPOTENCY_WINDOW_MS;
    this.now = options.now ?? Date.now;
  }

  run<T>(key: string, input: unknown, attempt: () => Promise<T>, forgetOn: (error: unknown) => boolean): Promise<T> {
    return this.local.share(key, input, (fingerprint) => this.runStored(key, fingerprint, attempt, forgetOn));
  }

  private async runStored<T>(key: string, fingerprint: string, attempt: () => Promise<T>, forgetOn: (error: unknown) => boolean): Promise<T> {
    const deadline = this.now() + MAX_OUTCOME_WAIT_MS;
    for (;;) {
      const token = randomUUID();
      if (await this.unavailableUnless(() => this.claim(key, fingerprint, token))) {
        return this.attempt(key, token, attempt, forgetOn);
      }
      // Someone holds the key: its outcome, or (shared database) wait for it, or claim it again once freed.
      while (this.now() < deadline) {
        const held = await this.unavailableUnless(() =>
          this.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).where('expires_at', '>', this.now()).executeTakeFirst(),
        );
        if (!held) break;
        if (held.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        if (held.outcome) {
          const outcome = deserialize(held.outcome) as Outcome;
          if ('failure' in outcome) throw reviveFailure(outcome.failure);
          return outcome.value as T;
        }
        if (!this.sharedWriters) throw new IdempotencyKeyPendingError();
        await sleep(OUTCOME_POLL_MS);
      }
      if (this.now() >= deadline) throw new IdempotencyKeyPendingError();
    }
  }

  /** Takes the key if nobody holds it (an expired claim no longer counts). */
  private async claim(key: string, fingerprint: string, token: string): Promise<boolean> {
    const now = this.now();
    await this.db.deleteFrom('idempotency_keys').where('key', '=', key).where('expires_at', '<=', now).execute();
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ key, fingerprint, state: 'pending', token, outcome: null, expires_at: now + this.windowMs })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Makes the one call for this key and stores its outcome before answering, so a retry after a crash finds it. */
  private async attempt<T>(key: string, token: string, attempt: () => Promise<T>, forgetOn: (error: unknown) => boolean): Promise<T> {
    const owned = this.db.updateTable('idempotency_keys').where('key', '=', key).where('token', '=', token);
    let value: T;
    try {
      value = await attempt();
    } catch (error) {
      // Keep the key when the call may have done something (a timeout, a 5xx): a retry must not create twice.
      const settle = forgetOn(error)
        ? this.db.deleteFrom('idempotency_keys').where('key', '=', key).where('token', '=', token).execute()
        : owned.set({ state: 'failed', outcome: serialize({ failure: failureRecord(error) } satisfies Outcome) }).execute();
      await settle.catch(() => undefined);
      throw error;
    }
    // If this write fails, a retry ends with IdempotencyKeyPendingError: still never a second account.
    await owned.set({ state: 'done', outcome: serialize({ value } satisfies Outcome) }).execute().catch(() => undefined);
    return value;
  }

  private async unavailableUnless<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch {
      throw new IdempotencyStoreUnavailableError();
    }
  }

  /** Forgets expired keys (the retention task calls this). */
  async prune(): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('expires_at', '<=', this.now()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
