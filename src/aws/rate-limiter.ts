// A client-side rate limit per (service, operation, region), so a query over 1,000 accounts queues its calls
// instead of bursting into AWS throttling. AWS throttles per API and region, so that is the key we limit by.
//
// Built on p-queue (already a dependency, widely used): its `strict` mode is a sliding window, so no rolling
// second ever starts more than the limit — a fixed window would allow twice the limit across a window boundary.
//
// rateLimitPlugin puts the limit inside each SDK client, on every attempt: after the retry middleware (so
// retries wait their turn too) and before signing (so a request that queued for long is still signed fresh).
// Credentials are resolved before the queue, so an AssumeRole cannot hold a granted slot and bunch requests up.
import PQueue from 'p-queue';
import type { FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, Pluggable } from '@smithy/types';

/** The window the per-second limit is counted over. */
const ONE_SECOND_MS = 1_000;

export interface RateLimitKey {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
}

export interface RateLimiter {
  /** Runs `task` once its key has room in the rolling second; rejects with an AbortError on destroy(). */
  schedule<T>(key: RateLimitKey, task: () => Promise<T>): Promise<T>;
  /** Calls started and not yet settled, for a key. */
  inFlight(key: RateLimitKey): number;
  /** Calls waiting for room, for a key. */
  queued(key: RateLimitKey): number;
  /** Rejects every call not yet settled (queued ones never start): the server is shutting down. */
  destroy(): void;
}

export interface RateLimiterOptions {
  /** Calls allowed to start per second for each (service, operation, region). */
  readonly requestsPerSecond: number;
}

export function createRateLimiter({ requestsPerSecond }: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(requestsPerSecond) || requestsPerSecond < 1) {
    throw new RangeError(`requestsPerSecond must be a positive integer, got ${String(requestsPerSecond)}`);
  }
  const queues = new Map<string, PQueue>();
  const shutdown = new AbortController();

  const queueFor = (key: RateLimitKey): PQueue => {
    const id = limitId(key);
    let queue = queues.get(id);
    if (!queue) {
      queue = new PQueue({ interval: ONE_SECOND_MS, intervalCap: requestsPerSecond, strict: true });
      queues.set(id, queue);
    }
    return queue;
  };

  return {
    schedule: (key, task) => queueFor(key).add(task, { signal: shutdown.signal }),
    inFlight: (key) => queues.get(limitId(key))?.pending ?? 0,
    queued: (key) => queues.get(limitId(key))?.size ?? 0,
    // Aborting rejects every unsettled add() at once; p-queue drops the queued tasks. Running requests end
    // when the clients destroy their sockets.
    destroy: () => shutdown.abort(),
  };
}

function limitId({ service, operation, region }: RateLimitKey): string {
  return `${service}:${operation}:${region}`;
}

/** The SDK names a command `<Operation>Command`; the limit is per operation. */
const COMMAND_SUFFIX = /Command$/;
const RATE_LIMIT_MIDDLEWARE = 'statusgraphRateLimitMiddleware';

/**
 * Adds the limiter to a client's middleware stack for every command it sends. Idempotent (`override`), so it
 * may be applied to a stack more than once — fromTemporaryCredentials applies its plugins on every refresh.
 */
export function rateLimitPlugin<Input extends object, Output extends object>(
  limiter: RateLimiter,
  client: { readonly service: string; readonly region: string },
): Pluggable<Input, Output> {
  return {
    applyToStack(stack) {
      stack.addRelativeTo(
        (next: FinalizeHandler<Input, Output>, context: HandlerExecutionContext) =>
          (args: FinalizeHandlerArguments<Input>) =>
            limiter.schedule(
              { ...client, operation: (context.commandName ?? 'Unknown').replace(COMMAND_SUFFIX, '') },
              () => next(args),
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
