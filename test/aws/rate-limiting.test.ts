import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

const OPERATION = 'iotfleetwise:GetRegisterAccountStatus';
/** The emulator admits this many requests per second to the operation and throttles the rest. */
const EMULATOR_TPS_LIMIT = 6;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ memberAccounts: 3 });
});
afterAll(() => harness.close());
beforeEach(async () => {
  await harness.resetCalls();
  await harness.setFaults({ tpsLimit: EMULATOR_TPS_LIMIT, operations: [OPERATION] });
});

/** Starts `count` calls at once and sorts their outcomes. */
async function burst(call: () => Promise<unknown>, count: number) {
  const outcomes = await Promise.allSettled(Array.from({ length: count }, call));
  const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
  return {
    fulfilled: outcomes.length - rejected.length,
    throttled: rejected.filter((outcome) => (outcome.reason as { throttled?: boolean }).throttled === true).length,
    otherFailures: rejected.filter((outcome) => (outcome.reason as { throttled?: boolean }).throttled !== true).length,
  };
}

describe('the rate limit per (service, operation, region)', () => {
  it('queues a burst so an AWS limit above our rate never throttles it', async () => {
    // One attempt per call: a throttled request would fail its call instead of being hidden by a retry.
    const services = harness.servicesWith({ rateLimitPerSecond: EMULATOR_TPS_LIMIT - 2, maxAttempts: 1 });
    const outcome = await burst(() => services.getFleetwiseRegistration(MANAGEMENT_ACCOUNT_ID, 'us-east-1'), 12);
    expect(outcome).toEqual({ fulfilled: 12, throttled: 0, otherFailures: 0 });
    expect((await harness.calls())[OPERATION]).toBe(12);
  });

  it('is what keeps the same burst from being throttled: without it, AWS throttles', async () => {
    const services = harness.servicesWith({ rateLimitPerSecond: 10_000, maxAttempts: 1 });
    const outcome = await burst(() => services.getFleetwiseRegistration(MANAGEMENT_ACCOUNT_ID, 'us-east-1'), 24);
    expect(outcome.throttled).toBeGreaterThan(0);
    expect(outcome.otherFailures).toBe(0);
  });
});
