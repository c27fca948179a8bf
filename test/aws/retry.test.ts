// The retry budgets on real SDK calls against the emulator: throttling earns more attempts than an outage does.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

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
    large = await startHarness({ memberAccounts: 150 });
  });
  afterAll(() => large.close());

  it('slows the one STS client down to what STS admits, so a burst of AssumeRoles fails no member', async () => {
    // No pacing of our own: only the adaptive rate stands between 150 AssumeRoles and a limit of 25 per second.
    const services = large.servicesWith({ rateLimitPerSecond: 1_000, assumeRoleRatePerSecond: 1_000 });
    const members = (await services.listAccounts())
      .filter((account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE' && account.joinedMethod === 'CREATED')
      .map((account) => account.id);
    await large.resetCalls();
    await large.setFaults({ tpsLimit: 25, operations: ['sts:AssumeRole'] });
    const outcomes = await Promise.allSettled(members.map((id) => services.getFleetwiseRegistration(id, 'us-east-1')));
    const throttled = outcomes.filter((outcome) => outcome.status === 'rejected' && (outcome.reason as { throttled?: boolean }).throttled);
    expect(members.length).toBeGreaterThan(100);
    expect(throttled).toHaveLength(0);
  }, 120_000);
});
