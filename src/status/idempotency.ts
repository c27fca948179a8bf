// Idempotency for CreateAccount, which AWS itself does not offer: a retried call can create a second account.
// One key → one CreateAccount call for 24 hours, however often and however concurrently the client retries.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { AwsCallError, type AwsCallErrorInit } from '../aws/errors.js';

/** How long a key is remembered. @default 86_400_000 // 24 hours */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('This idempotencyKey was already used with different input; use a new key for a different request.');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** Shared store: the key is claimed but no outcome came — the attempt still runs, or its instance died during it. */
export class IdempotencyKeyPendingError extends Error {
  constructor() {
    super(
      'A createAccount with this idempotencyKey is still in progress, or its outcome was lost; look for the request in ' +
        'the organization before trying again with a new key.',
    );
    this.name = 'IdempotencyKeyPendingError';
  }
}

/** Shared store unreachable: a creation now could not be idempotent across instances, so it is refused. */
export class IdempotencyStoreUnavailableError extends Error {
  constructor() {
    super('Account creation is unavailable while the shared store is unreachable; try again shortly.');
    this.name = 'IdempotencyStoreUnavailableError';
  }
}

/** What a key is bound to: the input's fingerprint and the one attempt's outcome (a promise while in flight). */
interface Claim<T> {
  readonly fingerprint: string;
  readonly outcome: Promise<T>;
}

export interface IdempotencyStore {
  /**
   * Runs `attempt` at most once per key within the window and answers every call for that key with its outcome.
   * `forgetOn(error)` says which failures prove nothing was done (so the key may be tried again).
   */
  run<T>(key: string, input: unknown, attempt: () => Promise<T>, forgetOn: (error: unknown) => boolean): Promise<T>;
}

export class InProcessIdempotencyStore implements IdempotencyStore {
  private readonly claims: LRUCache<string, Claim<unknown>>;

  constructor(options: { windowMs?: number; maxKeys?: number } = {}) {
    this.claims = new LRUCache({ max: options.maxKeys ?? 100_000, ttl: options.windowMs ?? IDEMPOTENCY_WINDOW_MS });
  }

  run<T>(key: string, input: unknown, attempt: () => Promise<T>, forgetOn: (error: unknown) => boolean): Promise<T> {
    const fingerprint = fingerprintOf(input);
    const existing = this.claims.get(key);
    if (existing) {
      if (existing.fingerprint !== fingerprint) return Promise.reject(new IdempotencyKeyReusedError());
      return existing.outcome as Promise<T>;
    }
    const outcome = attempt();
    this.claims.set(key, { fingerprint, outcome });
    outcome.catch((error: unknown) => {
      if (forgetOn(error) && this.claims.get(key)?.outcome === outcome) this.claims.delete(key);
    });
    return outcome;
  }
}

/** A digest of the input, so that the store never holds emails or names in the clear. */
export function fingerprintOf(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, entry]) => `${JSON.stringify(name)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A failure as plain data, for a shared store to hand to a retry: AwsCallError's fields when it was one. */
export interface FailureRecord {
  readonly message: string;
  readonly aws?: AwsCallErrorInit;
}

export function failureRecord(error: unknown): FailureRecord {
  if (error instanceof AwsCallError) {
    const { service, operation, code, message, retryable, throttled, httpStatus, accountId, region, requestId } = error;
    return { message, aws: { service, operation, code, message, retryable, throttled, httpStatus, accountId, region, requestId } };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

export function reviveFailure(record: FailureRecord): Error {
  return record.aws ? new AwsCallError(record.aws) : new Error(record.message);
}

/**
 * The calls in flight in this process, per key: a shared store's concurrent callers on one instance share one attempt
 * without a round trip to the store each (the same key with other input is refused at once).
 */
export class InFlightClaims {
  private readonly inFlight = new Map<string, { readonly fingerprint: string; readonly outcome: Promise<unknown> }>();

  /** The outcome in flight for this key, or `start`'s, shared until it settles. */
  share<T>(key: string, input: unknown, start: (fingerprint: string) => Promise<T>): Promise<T> {
    const fingerprint = fingerprintOf(input);
    const current = this.inFlight.get(key);
    if (current) {
      if (current.fingerprint !== fingerprint) return Promise.reject(new IdempotencyKeyReusedError());
      return current.outcome as Promise<T>;
    }
    const outcome = start(fingerprint);
    this.inFlight.set(key, { fingerprint, outcome });
    const done = () => {
      if (this.inFlight.get(key)?.outcome === outcome) this.inFlight.delete(key);
    };
    outcome.then(done, done);
    return outcome;
  }
}
