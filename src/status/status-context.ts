// What the StatusService's parts share (status-service.ts, enrollment-reads.ts, creation-reads.ts,
// status-mutations.ts): the AWS services, the cache and its TTLs, the refusals remembered, the creations followed,
// and how a read from AWS is cached and told to history. A batch function answers each key with a value or an Error.
import { AwsCallError } from '../aws/errors.js';
import type { AwsServices } from '../aws/types.js';
import type { AccessRefusals } from './access-refusals.js';
import type { FollowedCreations } from './followed-creations.js';
import type { ObservedBy, StatusHistory, StatusObservation } from './history-port.js';
import type { Cached, LoadOptions, StatusCache } from './status-cache.js';
import { watchKey } from './watchable-kinds.js';
import type { TtlPolicy } from './ttl.js';

/** One answer of a batch function: the value with its fetchedAt, or the error for that key alone. */
export type BatchResult<T> = Cached<T> | Error;

/** An observation before it is stamped with when and by what. */
export type Found = Omit<StatusObservation, 'observedAt' | 'observedBy'>;

export interface StatusContext {
  readonly aws: AwsServices;
  readonly cache: StatusCache;
  readonly ttl: TtlPolicy;
  readonly refusals: AccessRefusals;
  readonly followed: FollowedCreations;
  readonly history: StatusHistory | undefined;
  /** What reads through this context count as in history: queries, or polls (StatusService.forPolling()). */
  readonly observedBy: ObservedBy;
  /**
   * The operation's caller, in a context made for one operation (StatusService.forCaller()): its signal aborts when
   * the caller has gone, and a load no other caller waits for then stops its AWS calls (in-flight-loads.ts,
   * aws/call.ts); its deadline bounds each AWS call of its reads.
   */
  readonly caller?: StatusCaller;
  /**
   * What this one operation has read already, in a context made for it (StatusService.forCaller(): one request, or one
   * event of a subscription), so that it reads each status at most once however long it runs. None elsewhere (a
   * poller's round, the shared service): each read may go to AWS once its cache entry expires.
   */
  readonly operation?: OperationReads;
  /**
   * In the polling context: per watch key, the value last published before this instance took its lease over, told
   * to history with the first reading that differs (StatusService.handedOver(); history-port.ts `previous`).
   */
  readonly publishedBefore?: Map<string, string | null>;
}

/**
 * Who an operation's reads are for. `signal` is read only when a read goes to AWS (a cache load), so a caller may make
 * it on first use: a warm request, answered from the cache, then makes no AbortController at all.
 */
export interface StatusCaller {
  /** Aborts when the caller has gone (the HTTP client hung up, the subscription ended): its reads stop retrying AWS. */
  readonly signal: AbortSignal;
  /** How long each AWS call of its reads may wait for AWS (the query deadline). @default no deadline */
  readonly awsDeadlineMs?: number;
}

/** What one operation has read (StatusContext.operation). */
export interface OperationReads {
  /**
   * Whether it has looked at the creation requests followed in progress — or found them so with the index scan: their
   * readings stand for the rest of the operation, and a cold query longer than their transitional TTL (5 s) does not
   * ask AWS about them again (followed-creations.ts).
   */
  followedLooked: boolean;
}

/** Tells history what a read from AWS found; a query never waits for it. */
export function observed(context: StatusContext, found: readonly Found[]): void {
  if (!context.history || found.length === 0) return;
  const observedAt = new Date();
  void context.history.record(found.map((each) => ({ ...each, ...previousOf(context, each), observedAt, observedBy: context.observedBy })));
}

/** The value published before a lease moved here, for the first reading of that status that differs from it. */
function previousOf(context: StatusContext, found: Found): { readonly previous?: string | null } {
  const before = context.publishedBefore;
  if (!before || before.size === 0) return {};
  const key = watchKey(found.target);
  if (!before.has(key)) return {};
  const previous = before.get(key)!;
  before.delete(key);
  return previous === found.status ? {} : { previous };
}

/**
 * A cache lookup that remembers settled refusals (AccessDenied, not found…) briefly, and never transient failures;
 * `found` says what a value read from AWS tells history (once it is stored).
 * `fetch` gets the AWS services to read with: for a caller that may go away, services whose calls stop once every
 * caller waiting for this load has gone.
 */
export function load<T>(
  context: StatusContext,
  key: string,
  fetch: (aws: AwsServices) => Promise<T>,
  ttlMs: (value: T) => number,
  found?: (value: T) => readonly Found[],
): Promise<Cached<T>> {
  const { refusals, ttl } = context;
  return callerLoad(context, key, fetch, ttlMs, {
    // A member's refusal of its role lasts (access-refusals.ts); other settled refusals are asked again soon.
    failureTtlMs: (error: unknown) =>
      refusals.failureTtlMs(error) ?? (error instanceof AwsCallError && !error.retryable ? ttl.transitionalMs : undefined),
    // History hears what the read found once it is stored: a read a mutation made stale is never recorded.
    ...(found ? { onStored: (value: T) => observed(context, found(value)) } : {}),
  });
}

/**
 * A cache load for the caller, if any: `fetch` gets services whose calls carry the caller's deadline and stop once
 * every caller waiting for this load has gone (its signal read only now); without a caller, the shared services.
 */
export function callerLoad<T>(
  { aws, cache, caller }: Pick<StatusContext, 'aws' | 'cache' | 'caller'>,
  key: string,
  fetch: (aws: AwsServices) => Promise<T>,
  ttlMs: (value: T) => number,
  options: Omit<LoadOptions<T>, 'signal'>,
): Promise<Cached<T>> {
  if (!caller) return cache.getOrLoad(key, () => fetch(aws), ttlMs, options);
  const wait = caller.awsDeadlineMs === undefined ? {} : { deadlineMs: caller.awsDeadlineMs };
  return cache.getOrLoad(key, (loadSignal) => fetch(aws.withSignal(loadSignal, wait)), ttlMs, { ...options, signal: caller.signal });
}

/** Runs one lookup per key concurrently; a failure answers its own key only. */
export async function settleEach<K, T>(keys: readonly K[], lookup: (key: K) => Promise<Cached<T>>): Promise<BatchResult<T>[]> {
  const settled = await Promise.allSettled(keys.map((key) => lookup(key)));
  return settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : asError(outcome.reason)));
}

export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
