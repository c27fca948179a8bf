// The retry budgets on real SDK calls against the emulator: throttling earns more attempts than an outage does.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';
import { STSClient } from '@aws-sdk/client-sts';
import type { Pluggable } from '@smithy/types';
import { createRateLimiter, RATE_LIMIT_MIDDLEWARE, rateLimitPlugin } from '../../src/aws/rate-limiter.js';
import { ADAPTIVE_RATE_FLOOR, SENDING_RATE_MIDDLEWARE, ThrottlingAwareRetryStrategy } from '../../src/aws/retry.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ memberAccounts: 3 });
});
afterAll(() => harness.close());
beforeEach(() => harness.resetCalls());
afterEach(() => harness.setFaults({}));

describe('the throttling-aware retry strategy', () => {
  it('retries a throttled call up to throttleMaxAttempts', async () => {
    await harness.setFaults({ throttleRate: 1, operations: ['sts:GetCallerIdentity'] });
    const services = harness.servicesWith({ maxAttempts: 1, throttleMaxAttempts: 3 });
    await expect(services.getCallerIdentity()).rejects.toMatchObject({ code: 'Throttling', throttled: true });
    expect((await harness.calls())['sts:GetCallerIdentity']).toBe(3);
    expect(harness.events.at(-1)).toMatchObject({ operation: 'GetCallerIdentity', outcome: 'throttled', attempts: 3 });
  });

  it('retries a 5xx only up to maxAttempts, however many throttling attempts are allowed', async () => {
    await harness.setFaults({ errorRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });
    const services = harness.servicesWith({ maxAttempts: 2, throttleMaxAttempts: 6 });
    await expect(services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID)).rejects.toMatchObject({ code: 'InternalServerException' });
    expect((await harness.calls())['compute-optimizer:GetEnrollmentStatus']).toBe(2);
  });

  it('gets calls through a 30% throttling rate that would fail many of them with the ordinary budget', async () => {
    await harness.setFaults({ throttleRate: 0.3, operations: ['organizations:DescribeAccount'] });
    const services = harness.servicesWith({ maxAttempts: 1, throttleMaxAttempts: 8 });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => services.describeAccount(MANAGEMENT_ACCOUNT_ID)));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect((await harness.calls())['organizations:DescribeAccount']).toBeGreaterThan(20);
  });
});

describe('the adaptive sending rate', () => {
  let large: Harness;
  beforeAll(async () => {
    large = await startHarness({ memberAccounts: 300 });
  });
  afterAll(() => large.close());

  it('slows the one STS client down to what STS admits, so a stream of AssumeRoles fails no member', async () => {
    // Our pacing twice what STS admits (as 100/s against 50/s in the throttling benchmark), through the one STS client.
    // More attempts than the default 8, so that a machine slowed by other test files cannot run a call out of them;
    // the unit test below shows the retry bucket no longer fails throttled calls whatever their number.
    const services = large.servicesWith({ rateLimitPerSecond: 1, assumeRoleRatePerSecond: 50, throttleMaxAttempts: 12 });
    const members = (await services.listAccounts())
      .filter((account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE' && account.joinedMethod === 'CREATED')
      .map((account) => account.id);
    await large.resetCalls();
    await large.setFaults({ tpsLimit: 25, operations: ['sts:AssumeRole'] });
    const outcomes = await Promise.allSettled(members.map((id) => services.getFleetwiseRegistration(id, 'us-east-1')));
    const throttled = outcomes.filter((outcome) => outcome.status === 'rejected' && (outcome.reason as { throttled?: boolean }).throttled);
    expect(members.length).toBeGreaterThan(200);
    expect(throttled).toHaveLength(0);
  }, 120_000);
});

describe('throttling retries and the retry token bucket', () => {
  it('retries throttled calls without drawing on the bucket, so a client throttled for many accounts keeps retrying them all', async () => {
    const strategy = new ThrottlingAwareRetryStrategy({ maxAttempts: 3, throttleMaxAttempts: 8 });
    // 200 throttled first attempts would cost the SDK's 500-token bucket 1,000 tokens: all of them still get a retry.
    for (let call = 0; call < 200; call++) {
      const token = await strategy.acquireInitialRetryToken('sts');
      const retry = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
      expect(retry.getRetryCount()).toBe(1);
      expect(retry.getRetryDelay()).toBeLessThan(500); // full jitter under the 500 ms throttling base
    }
    // The attempt budget still holds: the 8th throttled attempt is the last.
    let token = await strategy.acquireInitialRetryToken('sts');
    for (let retry = 1; retry < 8; retry++) token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })).rejects.toThrow(/No retry token/);
  });
});

describe('the adaptive sending rate of the management account\'s clients', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('falls no lower than ADAPTIVE_RATE_FLOOR when AWS throttles the first burst, not to the SDK\'s 0.5 requests/s', async () => {
    vi.useFakeTimers();
    const strategy = new ThrottlingAwareRetryStrategy({ maxAttempts: 3, throttleMaxAttempts: 8 }, { adaptive: true });
    // The first answer is a throttling error: the SDK has measured no sending rate yet.
    const first = await strategy.acquireInitialRetryToken('sts');
    const retried = strategy.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING' });
    await vi.advanceTimersByTimeAsync(1_000);
    await retried;

    // What the client may send in the next second of the (virtual) clock.
    let sent = 0;
    for (let call = 0; call < ADAPTIVE_RATE_FLOOR * 3; call++) void strategy.sendToken().then(() => sent++);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toBeGreaterThanOrEqual(ADAPTIVE_RATE_FLOOR - 1);
    expect(sent).toBeLessThanOrEqual(ADAPTIVE_RATE_FLOOR + 2);
  });

  it('cuts its rate once for the throttled answers of one burst, not once per answer', async () => {
    vi.useFakeTimers();
    const strategy = new ThrottlingAwareRetryStrategy({ maxAttempts: 3, throttleMaxAttempts: 8 }, { adaptive: true });
    // Two seconds of answers at 100 a second, then one throttled burst: ten throttling answers at once.
    for (let tick = 0; tick < 200; tick++) {
      strategy.recordSuccess(await strategy.acquireInitialRetryToken('sts'));
      await vi.advanceTimersByTimeAsync(10);
    }
    const tokens = await Promise.all(Array.from({ length: 10 }, () => strategy.acquireInitialRetryToken('sts')));
    const retries = tokens.map((token) => strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' }));
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(retries);

    // One cut (by the SDK's 30%) leaves about 70 a second; a cut per answer (0.7^10 of the rate) left the floor.
    let sent = 0;
    for (let call = 0; call < 200; call++) void strategy.sendToken().then(() => sent++);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toBeGreaterThan(ADAPTIVE_RATE_FLOOR * 2);
  });

  it('holds an attempt for the sending rate right before it is sent, after the retry middleware', () => {
    const strategy = new ThrottlingAwareRetryStrategy({ maxAttempts: 3, throttleMaxAttempts: 8 }, { adaptive: true });
    const stack = new STSClient({ region: 'us-east-1', retryStrategy: strategy }).middlewareStack;
    stack.use(strategy.sendingRatePlugin() as Pluggable<any, any>);
    stack.use(rateLimitPlugin(createRateLimiter({ requestsPerSecond: 50 }), { service: 'sts', region: 'us-east-1' }) as Pluggable<any, any>);
    const order = stack.identify().map((entry) => entry.split(' ')[0]);
    const at = (name: string) => order.indexOf(name);
    expect(at('retryMiddleware')).toBeLessThan(at(SENDING_RATE_MIDDLEWARE));
    expect(at(SENDING_RATE_MIDDLEWARE)).toBeLessThan(at(RATE_LIMIT_MIDDLEWARE));
    expect(at(RATE_LIMIT_MIDDLEWARE)).toBeLessThan(at('httpSigningMiddleware'));
  });
});
