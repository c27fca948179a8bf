// The SDK retry strategy every client uses: AWS's standard strategy (exponential backoff with full jitter, the retry
// token bucket per client), with two attempt budgets instead of one. Throttling means AWS is healthy and asks us to
// slow down, so it earns more attempts, outside the token bucket (STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS, default 8:
// at a 30% throttling rate a call then fails with probability 0.3^8 ≈ 0.007%); a 5xx, timeout or dropped connection
// means something is broken, and it keeps the short budget (STATUSGRAPH_AWS_MAX_ATTEMPTS, default 3) — the circuit breaker handles outages.
//
// Why not the SDK's options alone: `maxAttempts` is one number for every kind of error, and raising it to survive
// throttling would also triple the retries sent into an outage. The adaptive mode's client-side sending rate is kept
// (below), on top of the fixed pacing of rate-limiter.ts: the pacing is where the management account's clients start
// (high), the adaptive rate what AWS turns out to admit.
import { DefaultRateLimiter, MAXIMUM_RETRY_DELAY, StandardRetryStrategy, THROTTLING_RETRY_DELAY_BASE } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

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
    const token = await this.standard.acquireInitialRetryToken(retryTokenScope);
    await this.sendingRate?.getSendToken();
    return token;
  }

  /** Throws (the SDK then throws the call's own error) when the error's budget is spent. */
  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    this.sendingRate?.updateClientSendingRate(errorInfo);
    if (errorInfo.errorType === 'THROTTLING') {
      if (token.getRetryCount() + 1 >= this.budget.throttleMaxAttempts) throw new Error('No retry token available');
      // Throttling retries do not draw on the retry token bucket: the bucket stops retry storms into a broken service
      // (the circuit breaker's job here too), while throttling is a working service asking for time — which the
      // backoff, the adaptive rate and the pacing give it. A client that sends for every member (one STS client
      // assumes every member's role) would otherwise spend its one bucket on the first throttled burst, and the
      // members after it would fail instead of waiting.
      await this.sendingRate?.getSendToken();
      return throttlingRetryToken(token.getRetryCount() + 1);
    }
    const next = await this.standard.refreshRetryTokenForRetry(token, errorInfo);
    await this.sendingRate?.getSendToken();
    return next;
  }

  recordSuccess(token: StandardRetryToken): void {
    this.sendingRate?.updateClientSendingRate({});
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
