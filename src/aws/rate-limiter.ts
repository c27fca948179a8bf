// A client-side rate limit per (service, operation, region, account), so a query over 1,000 accounts queues the
// calls that share one AWS quota instead of bursting into AWS throttling — and does not queue the ones that don't.
//
// Why that key: AWS counts request quotas per account, per region, per API. A call signed with a member account's
// credentials (GetRegisterAccountStatus, GetEnrollmentStatus in that member) counts against that member's quota, so
// 1,000 such calls in 1,000 members are 1,000 keys of one call each and go out together; limiting them per
// (service, operation, region) alone would make a 1,000-account FleetWise read take 50 s at 20 requests/s when AWS
// would have accepted it at once. The calls the management account makes for everyone — ListAccounts,
// ListCreateAccountStatus, the org-wide enrollment scan, and STS AssumeRole into every member — are signed by one
// account and share one key per operation: those are the ones that queue. Clients made per account (FleetWise,
// Compute Optimizer) put that account in the key; the server's own Organizations and STS clients leave it out.
//
// AssumeRole gets at least 1,000 requests/s whatever the general rate (DEFAULT_MINIMUM_RATES; the
// STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT setting replaces the 1,000): it is the one
// management-account operation that scales with the organization (one per member per credential lifetime), and STS
// is a separate quota from the Organizations list calls. These rates are where the management account starts, not
// what it keeps: its STS and Organizations clients slow down to what AWS admits as soon as AWS throttles them (the
// SDK's adaptive rate, retry.ts), so the pacing starts high — a cold 5,000-member organization assumes its roles in
// 5 s instead of 50 s where AWS allows it — and throttling costs a few retries, not errors (benchmark 3).
//
// Built on p-queue (already a dependency, widely used): its `strict` mode is a sliding window, so no rolling
// second ever starts more than the limit — a fixed window would allow twice the limit across a window boundary.
//
// rateLimitPlugin puts the limit inside each SDK client, on every attempt: after the retry middleware (so
// retries wait their turn too) and before signing (so a request that queued for long is still signed fresh).
// Credentials are resolved before the queue, so an AssumeRole cannot hold a granted slot and bunch requests up.
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import { SMITHY_CONTEXT_KEY, type FinalizeHandler, type FinalizeHandlerArguments, type HandlerExecutionContext, type Pluggable } from '@smithy/types';

/** The window the per-second limit is counted over. */
const ONE_SECOND_MS = 1_000;

/**
 * Rates particular operations get at least, whatever the general one, keyed `"<service>:<Operation>"`.
 * STS AssumeRole: 1,000 requests/s to start with (a cold 1,000-member organization assumes its roles in a second where
 * STS admits it; once an hour after), slowed by the adaptive rate to what STS admits.
 */
export const DEFAULT_MINIMUM_RATES: Readonly<Record<string, number>> = {
  'sts:AssumeRole': 1_000, // requests per second
};

/** The key of AssumeRole's own rate in minimumRates (STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT sets it). */
export const ASSUME_ROLE_RATE_KEY = 'sts:AssumeRole';

export interface RateLimitKey {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  /**
   * The account whose credentials sign the call, for clients made per account: AWS counts each account's quota
   * separately. Absent for the clients of the server's own credentials (Organizations, STS).
   */
  readonly accountId?: string;
}

export interface RateLimiter {
  /**
   * Runs `task` once its key has room in the rolling second; rejects with an AbortError on destroy(), and when
   * `signal` (the call's: its caller has gone) aborts first — a queued attempt then never starts.
   */
  schedule<T>(key: RateLimitKey, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Calls started and not yet settled, for a key. */
  inFlight(key: RateLimitKey): number;
  /** Calls waiting for room, for a key. */
  queued(key: RateLimitKey): number;
  /** Rejects every call not yet settled (queued ones never start): the server is shutting down. */
  destroy(): void;
}

export interface RateLimiterOptions {
  /** Calls allowed to start per second for each (service, operation, region, account). */
  readonly requestsPerSecond: number;
  /**
   * Rates particular operations get even when requestsPerSecond is lower, keyed `"<service>:<Operation>"`.
   * @default DEFAULT_MINIMUM_RATES
   */
  readonly minimumRates?: Readonly<Record<string, number>>;
}

export function createRateLimiter({ requestsPerSecond, minimumRates = DEFAULT_MINIMUM_RATES }: RateLimiterOptions): RateLimiter {
  assertRate('requestsPerSecond', requestsPerSecond);
  for (const [operation, rate] of Object.entries(minimumRates)) assertRate(`minimumRates["${operation}"]`, rate);
  const queues = new Map<string, PQueue>();
  const shutdown = new AbortController();
  // Every call queued or running without a signal of its own (a poller's, the shape's shared loads) listens to this
  // one until it starts or settles (p-queue removes each listener then): 1,000 queued tag reads are 1,000 listeners
  // that are no leak.
  setMaxListeners(0, shutdown.signal);

  const queueFor = (key: RateLimitKey): PQueue => {
    const id = limitId(key);
    let queue = queues.get(id);
    if (!queue) {
      const rate = Math.max(requestsPerSecond, minimumRates[`${key.service}:${key.operation}`] ?? 0);
      queue = new PQueue({ interval: ONE_SECOND_MS, intervalCap: rate, strict: true });
      queues.set(id, queue);
    }
    return queue;
  };

  return {
    schedule: (key, task, signal) =>
      queueFor(key).add(task, { signal: signal ? AbortSignal.any([shutdown.signal, signal]) : shutdown.signal }),
    inFlight: (key) => queues.get(limitId(key))?.pending ?? 0,
    queued: (key) => queues.get(limitId(key))?.size ?? 0,
    // Aborting rejects every unsettled add() at once; p-queue drops the queued tasks. Running requests end
    // when the clients destroy their sockets.
    destroy: () => shutdown.abort(),
  };
}

function assertRate(name: string, rate: number): void {
  if (!Number.isInteger(rate) || rate < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(rate)}`);
  }
}

function limitId({ service, operation, region, accountId }: RateLimitKey): string {
  return `${service}:${operation}:${region}:${accountId ?? ''}`;
}

/** The SDK names a command `<Operation>Command`; the limit is per operation. */
const COMMAND_SUFFIX = /Command$/;
export const RATE_LIMIT_MIDDLEWARE = 'statusgraphRateLimitMiddleware';

/**
 * Adds the limiter to a client's middleware stack for every command it sends; `client.accountId` names the account
 * whose credentials a per-account client signs with. Idempotent (`override`), so it may be applied to a stack more
 * than once — fromTemporaryCredentials applies its plugins on every refresh.
 */
export function rateLimitPlugin<Input extends object, Output extends object>(
  limiter: RateLimiter,
  client: { readonly service: string; readonly region: string; readonly accountId?: string },
): Pluggable<Input, Output> {
  return {
    applyToStack(stack) {
      stack.addRelativeTo(
        (next: FinalizeHandler<Input, Output>, context: HandlerExecutionContext) =>
          (args: FinalizeHandlerArguments<Input>) =>
            limiter.schedule(
              { ...client, operation: (context.commandName ?? 'Unknown').replace(COMMAND_SUFFIX, '') },
              () => next(args),
              (context[SMITHY_CONTEXT_KEY] as { abortSignal?: AbortSignal } | undefined)?.abortSignal,
            ),
        {
          name: RATE_LIMIT_MIDDLEWARE,
          relation: 'before',
          toMiddleware: 'httpSigningMiddleware',
          override: true,
        },
      );
    },
  };
}
