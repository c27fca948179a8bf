import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients, createSharedHttpHandler } from '../../src/aws/clients.js';
import { GetRegisterAccountStatusCommand } from '../../src/aws/fleetwise-client/index.js';
import { createRateLimiter, type RateLimiter, type RateLimitKey } from '../../src/aws/rate-limiter.js';
import { EMULATOR_CREDENTIALS, MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

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

describe('the rate limit per (service, operation, region, account)', () => {
  it('queues a burst so an AWS limit above our rate never throttles it', async () => {
    // One attempt per call: a throttled request would fail its call instead of being hidden by a retry.
    // Half the emulator's limit: it counts arrivals in fixed windows, our pace is a sliding one (see AssumeRole below).
    const services = harness.servicesWith({ rateLimitPerSecond: Math.floor(EMULATOR_TPS_LIMIT / 2), maxAttempts: 1 });
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

describe('the rate limit key of each client', () => {
  it('is the signing account for a client made per account, and no account for the server\'s own clients', async () => {
    await harness.setFaults({});
    const keys: RateLimitKey[] = [];
    const limiter = createRateLimiter({ requestsPerSecond: 100 });
    const recording: RateLimiter = {
      ...limiter,
      schedule: (key, task) => {
        keys.push(key);
        return limiter.schedule(key, task);
      },
    };
    const clients = new AwsClients({
      region: 'us-east-1',
      endpoint: harness.endpoint,
      maxAttempts: 1,
      requestHandler: createSharedHttpHandler({ timeoutMs: 5_000, maxSockets: 5 }),
      baseCredentials: async () => EMULATOR_CREDENTIALS,
      limiter: recording,
    });
    try {
      const member = (await harness.services.listAccounts()).find((account) => account.id !== MANAGEMENT_ACCOUNT_ID)!.id;
      // The emulator takes a 12-digit access key id as that account's own credentials.
      const access = { accountId: member, credentials: async () => ({ accessKeyId: member, secretAccessKey: 'test' }) };
      keys.length = 0;
      await clients.fleetwise(access, 'us-east-1').send(new GetRegisterAccountStatusCommand({})).catch(() => undefined);
      await clients.organizations().send(new ListAccountsCommand({ MaxResults: 1 }));
      expect(keys).toEqual([
        { service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', region: 'us-east-1', accountId: member },
        { service: 'organizations', operation: 'ListAccounts', region: 'us-east-1' },
      ]);
    } finally {
      clients.destroy();
      limiter.destroy();
    }
  });
});

describe('the AssumeRole rate (STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT)', () => {
  const ASSUME_ROLE = 'sts:AssumeRole';
  /** The emulator admits this many AssumeRoles per second; the organization has more members than that. */
  const STS_TPS_LIMIT = 5;
  let large: Harness;
  let members: string[];
  beforeAll(async () => {
    large = await startHarness({ memberAccounts: 12 });
    // A member whose role the demo denies fails its AssumeRole for that reason, not for throttling: leave it out.
    members = (await large.services.listAccounts())
      .filter((account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE')
      .map((account) => account.id);
  });
  afterAll(() => large.close());
  beforeEach(async () => {
    await large.resetCalls();
    await large.setFaults({ tpsLimit: STS_TPS_LIMIT, operations: [ASSUME_ROLE] });
  });

  /** Reads every member's FleetWise registration at once: one AssumeRole per member first. */
  async function assumeEveryMember(services: ReturnType<Harness['servicesWith']>) {
    const outcomes = await Promise.allSettled(members.map((id) => services.getFleetwiseRegistration(id, 'us-east-1')));
    return outcomes.filter((outcome) => outcome.status === 'rejected' && (outcome.reason as { throttled?: boolean }).throttled).length;
  }

  it('paces AssumeRole at the configured rate, below what STS admits, so no member is throttled', async () => {
    // Half of what STS admits, rounded down: the emulator counts arrivals in fixed one-second windows, and our pace
    // is a sliding window of starts, so requests started together that arrive a few milliseconds apart on a busy
    // machine can put two of our seconds into one of its windows (2 × 2 = 4 < 5; at 4/s that was 6, throttled).
    const services = large.servicesWith({ rateLimitPerSecond: 1, assumeRoleRatePerSecond: Math.floor(STS_TPS_LIMIT / 2), maxAttempts: 1 });
    expect(await assumeEveryMember(services)).toBe(0);
    expect((await large.calls())[ASSUME_ROLE]).toBe(members.length);
  });

  it('lets AssumeRole go as fast as configured: above what STS admits, STS throttles', async () => {
    const services = large.servicesWith({ rateLimitPerSecond: 1, assumeRoleRatePerSecond: 1_000, maxAttempts: 1 });
    expect(await assumeEveryMember(services)).toBeGreaterThan(0);
  });
});
