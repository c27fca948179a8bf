// The SDK retry strategy every client uses: AWS's standard strategy (exponential backoff with full jitter, the retry
// token bucket per client), with two attempt budgets instead of one. Throttling means AWS is healthy and asks us to
// slow down, so it earns more attempts, outside the token bucket (STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS, default 8:
// at a 30% throttling rate a call then fails with probability 0.3^8 ≈ 0.007%); a 5xx, timeout or dropped connection
// means something is broken, and it keeps the short budget (STATUSGRAPH_AWS_MAX_ATTEMPTS, default 3) — the circuit breaker handles outages.
//
// Why not the SDK's options alone: `maxAttempts` is one number for every kind of error, and raising it to survive
// throttling would also triple the retries sent into an outage. The adaptive mode's client-side sending rate is kept
// (below), on top of the fixed pacing of rate-limiter.ts: the pacing is where the management account's clients start
// (high), the adaptive rate what AWS turns out to admit. Two things differ from the SDK's adaptive mode, both measured
// with benchmark 3: an attempt waits for the rate right before it is sent, not when its call starts, and the answers of
// one throttled burst cut the rate once.
import { DefaultRateLimiter, MAXIMUM_RETRY_DELAY, StandardRetryStrategy, THROTTLING_RETRY_DELAY_BASE } from '@smithy/core/retry';
import type { FinalizeHandler, FinalizeHandlerArguments, Pluggable, RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { RATE_LIMIT_MIDDLEWARE } from './rate-limiter.js';

/**
 * Throttling answers this close after the adaptive rate was cut are one throttling event, cut for once: they answer
 * requests sent before the cut (AWS counts its quotas per second). The SDK's limiter cuts its rate by 30% for every
 * throttled answer, so one burst of ten answers left it at 3% of the rate and on its floor, from where CUBIC took
 * seconds to climb back and overshot again (benchmark 3: the 999 AssumeRoles went at ~30/s where STS admitted 50/s).
 */
export const THROTTLING_EVENT_MS = 1_000;

/** The name of the middleware that holds each attempt of an adaptive client for its sending rate (sendingRatePlugin). */
export const SENDING_RATE_MIDDLEWARE = 'statusgraphSendingRateMiddleware';

/**
 * The lowest sending rate the adaptive rate falls to, in requests per second: the pacing statusgraph held every
 * management-account operation to before it started high. The SDK's own floor is 0.5/s, and its rate measures the
 * answers of the last half second — none before a client's first burst has been answered — so a client throttled in
 * its first burst fell to 0.5/s and took tens of seconds to climb back (benchmark 3: 55 s against 37 s, for no fewer
 * requests). From this floor CUBIC climbs to what AWS admits in a second or two.
 */
export const ADAPTIVE_RATE_FLOOR = 20; // requests per second

export interface RetryBudget {
  /** Attempts per call, retries included, for any retryable error. */
  readonly maxAttempts: number;
  /** Attempts per call while every failure so far has been throttling; not below maxAttempts. */
  readonly throttleMaxAttempts: number;
}

export class ThrottlingAwareRetryStrategy implements RetryStrategyV2 {
  readonly mode: 'adaptive' | 'standard';
  private readonly standard: StandardRetryStrategy;
  /**
   * The SDK's adaptive sending rate (CUBIC, as its `adaptive` retry mode uses), for an adaptive client: off until AWS
   * throttles the client, then it slows the client's requests down to what AWS admits and creeps back up. It matters
   * for the clients of the management account, which send for every member — above all the one STS client that assumes every member's
   * role: without it, a throttled burst of AssumeRoles spends the client's retry token bucket in retries, and the
   * members after that fail with the throttling error instead of waiting.
   */
  private readonly sendingRate: DefaultRateLimiter | undefined;
  /** When a throttling answer last cut the sending rate (epoch ms). */
  private lastCutMs = Number.NEGATIVE_INFINITY;

  /**
   * `adaptive`: keep the adaptive sending rate — for a client that sends for many accounts at once (the management
   * account's STS and Organizations clients). A client of one member account makes a call or two per query; slowing it
   * would only hold that member's answer back.
   */
  constructor(
    private readonly budget: RetryBudget,
    { adaptive = false }: { readonly adaptive?: boolean } = {},
  ) {
    if (budget.throttleMaxAttempts < budget.maxAttempts) {
      throw new RangeError(`throttleMaxAttempts (${budget.throttleMaxAttempts}) must not be below maxAttempts (${budget.maxAttempts})`);
    }
    // Only the other retryable errors reach the standard strategy (throttling is retried below): its own attempt
    // limit is theirs.
    this.standard = new StandardRetryStrategy(budget.maxAttempts);
    this.sendingRate = adaptive ? new DefaultRateLimiter({ minFillRate: ADAPTIVE_RATE_FLOOR }) : undefined;
    this.mode = adaptive ? 'adaptive' : 'standard';
  }

  async acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(retryTokenScope);
  }

  /** Throws (the SDK then throws the call's own error) when the error's budget is spent. */
  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    this.updateSendingRate(errorInfo);
    if (errorInfo.errorType === 'THROTTLING') {
      if (token.getRetryCount() + 1 >= this.budget.throttleMaxAttempts) throw new Error('No retry token available');
      // Throttling retries do not draw on the retry token bucket: the bucket stops retry storms into a broken service
      // (the circuit breaker's job here too), while throttling is a working service asking for time — which the
      // backoff, the adaptive rate and the pacing give it. A client that sends for every member (one STS client
      // assumes every member's role) would otherwise spend its one bucket on the first throttled burst, and the
      // members after it would fail instead of waiting.
      return throttlingRetryToken(token.getRetryCount() + 1);
    }
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  /**
   * Waits until the adaptive sending rate lets one more attempt go (at once for a client that is not adaptive, or
   * that AWS has not throttled yet).
   */
  async sendToken(): Promise<void> {
    await this.sendingRate?.getSendToken();
  }

  /**
   * For an adaptive client: holds every attempt for sendToken() right before it is paced, signed and sent — not when
   * its call starts, as the SDK's adaptive mode does. A cold query starts hundreds of AssumeRoles before AWS has
   * answered any: held at their start, those already past it when the first throttling answer came all went out
   * into the throttling; held here, each waits for the rate AWS turned out to admit.
   */
  sendingRatePlugin(): Pluggable<object, object> {
    const adaptive = this.sendingRate !== undefined;
    const sendToken = () => this.sendToken();
    return {
      applyToStack(stack) {
        if (!adaptive) return;
        stack.addRelativeTo(
          (next: FinalizeHandler<object, object>) => async (args: FinalizeHandlerArguments<object>) => {
            await sendToken();
            return next(args);
          },
          { name: SENDING_RATE_MIDDLEWARE, relation: 'before', toMiddleware: RATE_LIMIT_MIDDLEWARE, override: true },
        );
      },
    };
  }

  /** Tells the adaptive rate of an answer; of a throttling event's answers, the first alone cuts it (THROTTLING_EVENT_MS). */
  private updateSendingRate(errorInfo: RetryErrorInfo | Record<string, never>): void {
    if (!this.sendingRate) return;
    const throttled = 'errorType' in errorInfo && errorInfo.errorType === 'THROTTLING';
    if (throttled) {
      const now = Date.now();
      if (now - this.lastCutMs < THROTTLING_EVENT_MS) return;
      this.lastCutMs = now;
    }
    this.sendingRate.updateClientSendingRate(errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.updateSendingRate({});
    this.standard.recordSuccess(token);
  }
}

/**
 * The token of a throttling retry: the SDK's own backoff for throttling (full jitter over 500 ms doubling per retry,
 * capped at 20 s), waited out by the SDK's retry middleware (it sleeps a token's delay), at no bucket cost.
 */
function throttlingRetryToken(retryCount: number): StandardRetryToken {
  const delayMs = Math.floor(Math.random() * Math.min(THROTTLING_RETRY_DELAY_BASE * 2 ** (retryCount - 1), MAXIMUM_RETRY_DELAY));
  return {
    getRetryCount: () => retryCount,
    getRetryDelay: () => delayMs,
    getRetryCost: () => 0,
  };
}
