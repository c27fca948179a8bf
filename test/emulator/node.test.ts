import {
  ComputeOptimizerClient,
  GetEnrollmentStatusCommand,
  GetEnrollmentStatusesForOrganizationCommand,
  InvalidParameterValueException,
  UpdateEnrollmentStatusCommand,
} from '@aws-sdk/client-compute-optimizer';
import { CreateAccountStatusNotFoundException, DescribeCreateAccountStatusCommand, DescribeOrganizationCommand, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SmithyRpcV2CborProtocol } from '@smithy/core/cbor';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type AwsCredentialIdentity } from '@smithy/types';
import { decode, encode } from 'cbor-x';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmulator } from '../../src/emulator/emulator.js';
import { type RunningEmulator, serveEmulator, startEmulator } from '../../src/emulator/node.js';
import { allTestServices, LAST_UPDATED, MANAGEMENT_ACCOUNT_ID, MEMBER_ACCOUNT_ID, signedFetch, TEST_CREDENTIALS, TestIdentity } from './core/fixtures.js';

interface ClientOptions {
  readonly credentials?: AwsCredentialIdentity;
  /** @default 1: most tests want to see the first answer; retry tests ask for more. */
  readonly maxAttempts?: number;
  /** @default 0 (none), the SDK's own default */
  readonly requestTimeout?: number;
  readonly systemClockOffset?: number;
}

let server: RunningEmulator;
let identity: TestIdentity;
const clients: { destroy(): void }[] = [];

function clientConfig(options: ClientOptions = {}) {
  return {
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: options.credentials ?? TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
    // Without throwOnRequestTimeout this handler version only logs a warning when requestTimeout passes.
    requestHandler: new NodeHttpHandler({ requestTimeout: options.requestTimeout ?? 0, throwOnRequestTimeout: true }),
    ...(options.systemClockOffset === undefined ? {} : { systemClockOffset: options.systemClockOffset }),
  };
}

function tracked<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

const computeOptimizer = (options?: ClientOptions) => tracked(new ComputeOptimizerClient(clientConfig(options)));
const organizations = (options?: ClientOptions) => tracked(new OrganizationsClient(clientConfig(options)));
const sts = (options?: ClientOptions) => tracked(new STSClient(clientConfig(options)));

async function control(method: string, resource: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${server.endpoint}/_emulator/${resource}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response.json();
}

const calls = () => control('GET', 'calls') as Promise<Record<string, number>>;

beforeAll(async () => {
  identity = new TestIdentity();
  server = await serveEmulator(createEmulator({ services: allTestServices(), identity }), { port: 0 });
});

beforeEach(async () => {
  await control('DELETE', 'faults');
  await control('DELETE', 'calls');
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  await server.close();
});

describe('serveEmulator with the unmodified AWS SDK clients', () => {
  it('listens on an ephemeral port on loopback when asked for port 0', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers Compute Optimizer over awsJson1_0, timestamps included', async () => {
    const answer = await computeOptimizer().send(new GetEnrollmentStatusCommand({}));

    expect(answer).toMatchObject({ status: 'Active', memberAccountsEnrolled: true, numberOfMemberAccountsOptedIn: 7, lastUpdatedTimestamp: LAST_UPDATED });
    expect(answer.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers Compute Optimizer in CBOR when the client speaks Smithy RPC v2 CBOR', async () => {
    const client = tracked(new ComputeOptimizerClient({ ...clientConfig(), protocol: SmithyRpcV2CborProtocol }));
    const answer = await client.send(new GetEnrollmentStatusesForOrganizationCommand({ maxResults: 2 }));

    expect(answer.accountEnrollmentStatuses).toEqual([
      { accountId: MEMBER_ACCOUNT_ID, status: 'Active', lastUpdatedTimestamp: LAST_UPDATED },
      { accountId: '222222222222', status: 'Inactive', lastUpdatedTimestamp: LAST_UPDATED },
    ]);
  });

  it('answers a CBOR request built as the AWS CLI builds it (cbor-x body, SigV4) in CBOR', async () => {
    const response = await signedFetch(
      server.endpoint,
      {
        path: '/service/ComputeOptimizerService/operation/GetEnrollmentStatus',
        headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor' },
        body: encode({}),
      },
      { service: 'compute-optimizer' },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    expect(response.headers.get('content-type')).toBe('application/cbor');
    expect(decode(Buffer.from(await response.arrayBuffer()))).toEqual({
      status: 'Active',
      memberAccountsEnrolled: true,
      lastUpdatedTimestamp: LAST_UPDATED,
      numberOfMemberAccountsOptedIn: 7,
    });
  });

  it('answers Organizations over awsJson1_1 and STS over awsQuery', async () => {
    const organization = await organizations().send(new DescribeOrganizationCommand({}));
    const caller = await sts().send(new GetCallerIdentityCommand({}));
    const role = await sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER_ACCOUNT_ID}:role/R`, RoleSessionName: 's', DurationSeconds: 900 }));

    expect(organization.Organization).toMatchObject({ Id: 'o-exampleorgid', MasterAccountId: MANAGEMENT_ACCOUNT_ID });
    expect(caller).toMatchObject({ Account: MANAGEMENT_ACCOUNT_ID, Arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root` });
    expect(role.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(role.AssumedRoleUser?.AssumedRoleId).toBe('AROA:s');
  });

  it('delivers modelled errors as the SDK’s own exception classes', async () => {
    const notFound = organizations().send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: 'car-1234567890' }));
    const invalid = computeOptimizer().send(new GetEnrollmentStatusesForOrganizationCommand({ maxResults: 5000 }));

    await expect(notFound).rejects.toBeInstanceOf(CreateAccountStatusNotFoundException);
    await expect(notFound).rejects.toMatchObject({ message: 'No request car-1234567890.', $metadata: { httpStatusCode: 400 } });
    await expect(invalid).rejects.toBeInstanceOf(InvalidParameterValueException);
  });

  it('tells handlers who calls: a member account’s temporary credentials are that account', async () => {
    const session = identity.addSession(new Date(Date.now() + 3_600_000));
    const caller = await sts({ credentials: session }).send(new GetCallerIdentityCommand({}));

    expect(caller.Account).toBe(MEMBER_ACCOUNT_ID);
    await expect(computeOptimizer({ credentials: session }).send(new UpdateEnrollmentStatusCommand({ status: 'Active' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const response = await signedFetch(
      server.endpoint,
      { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'ComputeOptimizerService.ExportLambdaFunctionRecommendations' }, body: '{}' },
      { service: 'compute-optimizer' },
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });
});

describe('signature rejections, as the SDK clients report them', () => {
  it('rejects a wrong secret: InvalidSignatureException, and SignatureDoesNotMatch from STS', async () => {
    const credentials = { accessKeyId: 'test', secretAccessKey: 'not-test' };

    await expect(computeOptimizer({ credentials }).send(new GetEnrollmentStatusCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(sts({ credentials }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  it('rejects an unknown access key: UnrecognizedClientException, and InvalidClientTokenId from STS', async () => {
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'test' };

    await expect(organizations({ credentials }).send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    await expect(sts({ credentials }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('rejects expired temporary credentials with ExpiredTokenException', async () => {
    const expired = identity.addSession(new Date(Date.now() - 1_000));

    await expect(computeOptimizer({ credentials: expired }).send(new GetEnrollmentStatusCommand({}))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
  });

  it('rejects an unsigned request with MissingAuthenticationTokenException', async () => {
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'ComputeOptimizerService.GetEnrollmentStatus' },
      body: '{}',
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('rejects a request signed 20 minutes off, and the SDK corrects its clock from the Date header and retries', async () => {
    const skewed = computeOptimizer({ systemClockOffset: -20 * 60_000, maxAttempts: 2 });

    const answer = await skewed.send(new GetEnrollmentStatusCommand({}));

    expect(answer.$metadata.attempts).toBe(2);
    expect(await calls()).toEqual({ 'compute-optimizer:GetEnrollmentStatus': 2 });
  });
});

describe('fault injection over HTTP', () => {
  it('throttles with the service’s own error; the SDK retries and every retry shows in the call counts', async () => {
    await control('PUT', 'faults', { throttleRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });

    const throttled = computeOptimizer({ maxAttempts: 3 }).send(new GetEnrollmentStatusCommand({}));

    await expect(throttled).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 429, attempts: 3 } });
    expect(await calls()).toEqual({ 'compute-optimizer:GetEnrollmentStatus': 3 });
  });

  it('throttles STS with Throttling and Organizations with TooManyRequestsException', async () => {
    await control('PUT', 'faults', { throttleRate: 1 });

    await expect(sts().send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    await expect(organizations().send(new DescribeOrganizationCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('fails with the service’s 5xx at errorRate 1, which the SDK retries', async () => {
    await control('PUT', 'faults', { errorRate: 1, operations: ['organizations:DescribeOrganization'] });

    const failed = organizations({ maxAttempts: 2 }).send(new DescribeOrganizationCommand({}));

    await expect(failed).rejects.toMatchObject({ name: 'ServiceException', $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 2 } });
    expect(await calls()).toEqual({ 'organizations:DescribeOrganization': 2 });
  });

  it('never answers at hangRate 1, so the SDK’s requestTimeout fires', async () => {
    await control('PUT', 'faults', { hangRate: 1, operations: ['sts:GetCallerIdentity'] });

    const hung = sts({ requestTimeout: 200 }).send(new GetCallerIdentityCommand({}));

    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(await calls()).toEqual({ 'sts:GetCallerIdentity': 1 });
  });

  it('holds a request for latencyMs, long enough for a short requestTimeout to fire', async () => {
    await control('PUT', 'faults', { latencyMs: 10_000 });

    await expect(computeOptimizer({ requestTimeout: 200 }).send(new GetEnrollmentStatusCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('admits tpsLimit requests per second and throttles the rest', async () => {
    await control('PUT', 'faults', { tpsLimit: 1 });
    const client = computeOptimizer();

    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => client.send(new GetEnrollmentStatusCommand({}))));
    const throttled = outcomes.filter((outcome) => outcome.status === 'rejected' && (outcome.reason as Error).name === 'ThrottlingException');

    // Ten concurrent requests would need ten separate seconds to all get through one per second.
    expect(throttled.length).toBeGreaterThan(0);
    expect(outcomes.some((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(throttled.length + outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBe(10);
  });
});

describe('close()', () => {
  it('ends hung requests and idle keep-alive connections, and stops listening', async () => {
    const emulator = await serveEmulator(createEmulator({ services: allTestServices(), identity: new TestIdentity() }), { port: 0 });
    const config = { endpoint: emulator.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
    const idle = tracked(new STSClient(config));
    await idle.send(new GetCallerIdentityCommand({})); // leaves a keep-alive connection open
    await fetch(`${emulator.endpoint}/_emulator/faults`, { method: 'PUT', body: JSON.stringify({ hangRate: 1 }) });

    const hung = tracked(new STSClient(config)).send(new GetCallerIdentityCommand({}));
    await vi.waitFor(async () => {
      const counts = (await (await fetch(`${emulator.endpoint}/_emulator/calls`)).json()) as Record<string, number>;
      expect(counts['sts:GetCallerIdentity']).toBe(2);
    });
    await emulator.close();

    await expect(hung).rejects.toThrow();
    await expect(fetch(`${emulator.endpoint}/_emulator/health`)).rejects.toThrow();
  });
});

describe('startEmulator', () => {
  it('serves the demo organization on an ephemeral port, with test/test as its management account', async () => {
    const emulator = await startEmulator({ port: 0, memberAccounts: 3, delayMs: 0 });
    try {
      const config = { endpoint: emulator.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
      const caller = await tracked(new STSClient(config)).send(new GetCallerIdentityCommand({}));
      const accounts = await tracked(new OrganizationsClient(config)).send(new ListAccountsCommand({}));

      expect(emulator.port).toBeGreaterThan(0);
      expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
      expect(caller.Account).toBe(MANAGEMENT_ACCOUNT_ID);
      expect(accounts.Accounts?.map((account) => account.Id)).toContain(MANAGEMENT_ACCOUNT_ID);
      expect(accounts.Accounts?.length).toBeGreaterThanOrEqual(4);
    } finally {
      await emulator.close();
    }
  });
});
