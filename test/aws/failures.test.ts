import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsCallError, createAwsServices } from '../../src/aws/index.js';
import { EMULATOR_CREDENTIALS, MANAGEMENT_ACCOUNT_ID, MEMBER_ROLE_NAME, startHarness, type Harness } from './emulator-harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ memberAccounts: 12 });
});
afterAll(() => harness.close());
beforeEach(() => harness.resetCalls());
afterEach(() => harness.setFaults({}));

/** The rejection of `promise`, which must reject. */
async function failureOf(promise: Promise<unknown>): Promise<AwsCallError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AwsCallError);
  return outcome as AwsCallError;
}

describe('AWS errors', () => {
  it('become a throttled, retryable AwsCallError after the SDK has retried every attempt', async () => {
    await harness.setFaults({ throttleRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });
    const services = harness.servicesWith({ maxAttempts: 2 });
    const failure = await failureOf(services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID));
    expect(failure).toMatchObject({
      service: 'compute-optimizer',
      operation: 'GetEnrollmentStatus',
      code: 'ThrottlingException',
      throttled: true,
      retryable: true,
      accountId: MANAGEMENT_ACCOUNT_ID,
      region: 'us-east-1',
    });
    expect((await harness.calls())['compute-optimizer:GetEnrollmentStatus']).toBe(2);
    expect(harness.events.at(-1)).toMatchObject({ outcome: 'throttled', errorCode: 'ThrottlingException', attempts: 2 });
  });

  it("map Organizations' throttling error, TooManyRequestsException, as throttled", async () => {
    await harness.setFaults({ throttleRate: 1, operations: ['organizations:ListAccounts'] });
    const services = harness.servicesWith({ maxAttempts: 1 });
    expect(await failureOf(services.listAccounts())).toMatchObject({
      service: 'organizations',
      code: 'TooManyRequestsException',
      throttled: true,
      retryable: true,
    });
  });

  it('become a retryable, unthrottled AwsCallError with the HTTP status for a 5xx', async () => {
    await harness.setFaults({ errorRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    const services = harness.servicesWith({ maxAttempts: 1 });
    const failure = await failureOf(services.getFleetwiseRegistration(MANAGEMENT_ACCOUNT_ID, 'us-east-1'));
    expect(failure).toMatchObject({
      service: 'iotfleetwise',
      code: 'InternalServerException',
      retryable: true,
      throttled: false,
      httpStatus: 500,
    });
    expect(failure.requestId).toEqual(expect.any(String));
  });
});

describe('CreateAccount', () => {
  it('is sent once under a 5xx, never retried, whatever maxAttempts says', async () => {
    await harness.setFaults({ errorRate: 1, operations: ['organizations:CreateAccount'] });
    const services = harness.servicesWith({ maxAttempts: 5 });
    const failure = await failureOf(
      services.createAccount({ email: 'never-twice@example.com', accountName: 'never-twice' }),
    );
    expect(failure).toMatchObject({ service: 'organizations', operation: 'CreateAccount', retryable: true });
    expect((await harness.calls())['organizations:CreateAccount']).toBe(1);
  });

  it('is sent once when throttled', async () => {
    await harness.setFaults({ throttleRate: 1, operations: ['organizations:CreateAccount'] });
    const failure = await failureOf(
      harness.services.createAccount({ email: 'throttled-once@example.com', accountName: 'throttled-once' }),
    );
    expect(failure).toMatchObject({ code: 'TooManyRequestsException', throttled: true });
    expect((await harness.calls())['organizations:CreateAccount']).toBe(1);
  });

  it('leaves the other Organizations calls their retries', async () => {
    await harness.setFaults({ errorRate: 1, operations: ['organizations:DescribeOrganization'] });
    const services = harness.servicesWith({ maxAttempts: 3 });
    await failureOf(services.describeOrganization());
    expect((await harness.calls())['organizations:DescribeOrganization']).toBe(3);
  });
});

describe('transport failures', () => {
  it('end a request that hangs with a retryable TimeoutError', async () => {
    await harness.setFaults({ hangRate: 1, operations: ['organizations:DescribeOrganization'] });
    const services = harness.servicesWith({ timeoutMs: 200, maxAttempts: 2 });
    const failure = await failureOf(services.describeOrganization());
    expect(failure).toMatchObject({
      service: 'organizations',
      operation: 'DescribeOrganization',
      code: 'TimeoutError',
      retryable: true,
      throttled: false,
    });
    expect(failure.httpStatus).toBeUndefined();
    expect((await harness.calls())['organizations:DescribeOrganization']).toBe(2);
  });

  it('turn a refused connection into a retryable ECONNREFUSED', async () => {
    const closedPort = await freePort();
    const services = createAwsServices({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${closedPort}`,
      credentials: EMULATOR_CREDENTIALS,
      memberRoleName: MEMBER_ROLE_NAME,
      timeoutMs: 2_000,
      maxSockets: 5,
      maxAttempts: 1,
      rateLimitPerSecond: 10,
    });
    try {
      expect(await failureOf(services.describeOrganization())).toMatchObject({
        service: 'organizations',
        code: 'ECONNREFUSED',
        retryable: true,
        throttled: false,
      });
    } finally {
      services.destroy();
    }
  });
});

/** A port nothing listens on: bound, read, released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}
