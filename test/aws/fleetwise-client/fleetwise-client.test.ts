// Our IoT FleetWise client against the real emulator over HTTP: wire format, response parsing, every modelled
// error as the client parses it, the default credential chain, AWS_ENDPOINT_URL*, and standard retries.
// Accounts here are 12-digit access key ids outside the demo organization, so none starts registered.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultEndpointResolver } from '../../../src/aws/fleetwise-client/endpoint/endpointResolver.js';
import {
  ConflictException,
  GetRegisterAccountStatusCommand,
  IoTFleetWiseClient,
  IoTFleetWiseServiceException,
  RegisterAccountCommand,
  RegistrationStatus,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  type IoTFleetWiseClientConfig,
} from '../../../src/aws/fleetwise-client/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/node.js';

/** The emulator takes any 12-digit access key id as that account's root, with secret `test`. */
const SECRET = 'test';
const REGION = 'ap-south-1';
/** How long a registration stays pending on the quick emulator. */
const QUICK_DELAY_MS = 50;
/** Long enough that nothing settles during a test run. */
const SLOW_DELAY_MS = 10 * 60_000; // 10 minutes
/** A port nothing listens on: a request sent there fails to connect. */
const CLOSED_ENDPOINT = 'http://127.0.0.1:9';

let nextAccount = 999_900_000_001;
/** A fresh account per test, so no test sees another's registration. */
function freshAccountId(): string {
  return String(nextAccount++);
}

function roleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/IoTFleetWiseServiceRole`;
}

let quick: RunningEmulator;
let slow: RunningEmulator;
const clients: IoTFleetWiseClient[] = [];

function clientFor(emulator: RunningEmulator, accountId: string, config: IoTFleetWiseClientConfig = {}): IoTFleetWiseClient {
  const client = new IoTFleetWiseClient({
    region: REGION,
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: accountId, secretAccessKey: SECRET },
    ...config,
  });
  clients.push(client);
  return client;
}

/** The emulator's unsigned control API (/_emulator/...). */
async function control(emulator: RunningEmulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.endpoint}/_emulator/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`${method} /_emulator/${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function settledStatus(client: IoTFleetWiseClient) {
  return vi.waitFor(
    async () => {
      const status = await client.send(new GetRegisterAccountStatusCommand({}));
      expect(status.accountStatus).not.toBe(RegistrationStatus.REGISTRATION_PENDING);
      return status;
    },
    { timeout: 5_000, interval: QUICK_DELAY_MS },
  );
}

beforeAll(async () => {
  [quick, slow] = await Promise.all([
    startEmulator({ port: 0, memberAccounts: 1, delayMs: QUICK_DELAY_MS }),
    startEmulator({ port: 0, memberAccounts: 1, delayMs: SLOW_DELAY_MS }),
  ]);
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all([quick?.close(), slow?.close()]);
});

describe('GetRegisterAccountStatus', () => {
  it('reports an account that never registered as a ResourceNotFoundException naming the account', async () => {
    const accountId = freshAccountId();
    const failure = await clientFor(quick, accountId).send(new GetRegisterAccountStatusCommand({})).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ResourceNotFoundException);
    expect(failure).toBeInstanceOf(IoTFleetWiseServiceException);
    expect(failure).toMatchObject({
      name: 'ResourceNotFoundException',
      $fault: 'client',
      resourceId: accountId,
      resourceType: expect.any(String),
      message: expect.stringContaining(accountId),
      $metadata: { httpStatusCode: 400, attempts: 1, requestId: expect.any(String) },
    });
  });

  it('answers with an error, not a registration, in a region that does not offer FleetWise', async () => {
    const failure = await clientFor(quick, freshAccountId(), { region: 'us-west-2' })
      .send(new GetRegisterAccountStatusCommand({}))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(IoTFleetWiseServiceException);
    expect(failure).not.toBeInstanceOf(ResourceNotFoundException);
    expect(failure).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 } });
  });
});

describe('RegisterAccount', () => {
  it('starts REGISTRATION_PENDING and settles at REGISTRATION_SUCCESS, with times parsed as Dates', async () => {
    const accountId = freshAccountId();
    const client = clientFor(quick, accountId);

    const registered = await client.send(new RegisterAccountCommand({ iamResources: { roleArn: roleArn(accountId) } }));
    expect(registered).toMatchObject({
      registerAccountStatus: RegistrationStatus.REGISTRATION_PENDING,
      iamResources: { roleArn: roleArn(accountId) },
      $metadata: { httpStatusCode: 200 },
    });
    expect(registered.creationTime).toBeInstanceOf(Date);
    expect(registered.lastModificationTime).toBeInstanceOf(Date);

    const status = await settledStatus(client);
    expect(status).toMatchObject({
      customerAccountId: accountId,
      accountStatus: RegistrationStatus.REGISTRATION_SUCCESS,
      iamRegistrationResponse: { roleArn: roleArn(accountId), registrationStatus: RegistrationStatus.REGISTRATION_SUCCESS },
    });
    expect(status.iamRegistrationResponse?.errorMessage).toBeUndefined();
    expect(status.timestreamRegistrationResponse).toBeUndefined();
    expect(status.creationTime).toEqual(registered.creationTime);
    expect(status.lastModificationTime).toBeInstanceOf(Date);
    expect(status.lastModificationTime!.getTime()).toBeGreaterThanOrEqual(status.creationTime!.getTime());
  });

  it('settles at REGISTRATION_FAILURE with an errorMessage when the role belongs to another account', async () => {
    const accountId = freshAccountId();
    const otherAccountsRole = roleArn(freshAccountId());
    const client = clientFor(quick, accountId);

    await client.send(new RegisterAccountCommand({ iamResources: { roleArn: otherAccountsRole } }));
    const status = await settledStatus(client);

    expect(status).toMatchObject({
      accountStatus: RegistrationStatus.REGISTRATION_FAILURE,
      iamRegistrationResponse: {
        roleArn: otherAccountsRole,
        registrationStatus: RegistrationStatus.REGISTRATION_FAILURE,
        errorMessage: expect.stringMatching(/\S/),
      },
    });
  });

  it('rejects a malformed role ARN with a ValidationException naming the field, and registers nothing', async () => {
    const client = clientFor(quick, freshAccountId());

    const failure = await client
      .send(new RegisterAccountCommand({ iamResources: { roleArn: 'not-an-arn-of-any-kind' } }))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ValidationException);
    expect(failure).toMatchObject({
      $fault: 'client',
      reason: 'fieldValidationFailed',
      fieldList: [{ name: 'iamResources.roleArn', message: expect.any(String) }],
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new GetRegisterAccountStatusCommand({}))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a second registration while the first is pending with a ConflictException', async () => {
    const accountId = freshAccountId();
    const client = clientFor(slow, accountId);
    await client.send(new RegisterAccountCommand({ iamResources: { roleArn: roleArn(accountId) } }));

    const failure = await client
      .send(new RegisterAccountCommand({ iamResources: { roleArn: roleArn(accountId) } }))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConflictException);
    expect(failure).toMatchObject({ $fault: 'client', resource: expect.any(String), $metadata: { httpStatusCode: 400 } });
    const status = await client.send(new GetRegisterAccountStatusCommand({}));
    expect(status.accountStatus).toBe(RegistrationStatus.REGISTRATION_PENDING);
  });

  it('round-trips the deprecated Timestream resources into the registration status', async () => {
    const accountId = freshAccountId();
    const client = clientFor(quick, accountId);
    const timestreamResources = { timestreamDatabaseName: 'vehicle_data', timestreamTableName: 'signals' };

    const registered = await client.send(
      new RegisterAccountCommand({ iamResources: { roleArn: roleArn(accountId) }, timestreamResources }),
    );
    expect(registered.timestreamResources).toEqual(timestreamResources);

    const status = await settledStatus(client);
    expect(status.timestreamRegistrationResponse).toMatchObject({
      ...timestreamResources,
      timestreamDatabaseArn: expect.stringContaining('vehicle_data'),
      timestreamTableArn: expect.stringContaining('signals'),
      registrationStatus: RegistrationStatus.REGISTRATION_SUCCESS,
    });
  });
});

describe('configuration from the environment', () => {
  const variables = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IOTFLEETWISE'];
  const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));

  afterEach(() => {
    for (const name of variables) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  function environmentOnlyClient(): IoTFleetWiseClient {
    const client = new IoTFleetWiseClient();
    clients.push(client);
    return client;
  }

  it('signs with credentials from the default chain and sends to AWS_ENDPOINT_URL in AWS_REGION', async () => {
    const accountId = freshAccountId();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: accountId,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: quick.endpoint,
    });
    delete process.env.AWS_ENDPOINT_URL_IOTFLEETWISE;

    await expect(environmentOnlyClient().send(new GetRegisterAccountStatusCommand({}))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      resourceId: accountId,
      message: expect.stringContaining(REGION),
    });
  });

  it('prefers AWS_ENDPOINT_URL_IOTFLEETWISE to AWS_ENDPOINT_URL', async () => {
    const accountId = freshAccountId();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: accountId,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: CLOSED_ENDPOINT,
      AWS_ENDPOINT_URL_IOTFLEETWISE: quick.endpoint,
    });

    const registered = await environmentOnlyClient().send(
      new RegisterAccountCommand({ iamResources: { roleArn: roleArn(accountId) } }),
    );
    expect(registered.registerAccountStatus).toBe(RegistrationStatus.REGISTRATION_PENDING);
  });
});

describe('standard retries', () => {
  afterEach(async () => {
    await control(quick, 'DELETE', 'faults');
  });

  it('retries a throttled call until the default three attempts are spent', async () => {
    const client = clientFor(quick, freshAccountId());
    await control(quick, 'PUT', 'faults', { throttleRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    await control(quick, 'DELETE', 'calls');

    const failure = await client.send(new GetRegisterAccountStatusCommand({})).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ThrottlingException);
    expect(failure).toMatchObject({ $metadata: { attempts: 3 } });
    expect(await control(quick, 'GET', 'calls')).toEqual({ 'iotfleetwise:GetRegisterAccountStatus': 3 });
  });

  it('succeeds on a later attempt once the throttling stops', async () => {
    const accountId = freshAccountId();
    const client = clientFor(quick, accountId, { maxAttempts: 5 });
    await client.send(new RegisterAccountCommand({ iamResources: { roleArn: roleArn(accountId) } }));
    await control(quick, 'PUT', 'faults', { throttleRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    await control(quick, 'DELETE', 'calls');

    const answer = client.send(new GetRegisterAccountStatusCommand({}));
    await vi.waitFor(async () => {
      const calls = (await control(quick, 'GET', 'calls')) as Record<string, number>;
      expect(calls['iotfleetwise:GetRegisterAccountStatus']).toBeGreaterThanOrEqual(1);
    });
    await control(quick, 'DELETE', 'faults');

    const status = await answer;
    expect(status.customerAccountId).toBe(accountId);
    expect(status.$metadata.attempts).toBeGreaterThan(1);
  });
});

describe('endpoint rules', () => {
  it.each([
    [{ Region: 'eu-central-1' }, 'https://iotfleetwise.eu-central-1.amazonaws.com/'],
    [{ Region: 'us-east-1', UseFIPS: true }, 'https://iotfleetwise-fips.us-east-1.amazonaws.com/'],
    [{ Region: 'us-east-1', UseDualStack: true }, 'https://iotfleetwise.us-east-1.api.aws/'],
    [{ Region: 'cn-north-1' }, 'https://iotfleetwise.cn-north-1.amazonaws.com.cn/'],
    [{ Region: 'us-east-1', Endpoint: 'http://localhost:4566' }, 'http://localhost:4566/'],
  ])('resolves %o to %s', (params, url) => {
    expect(defaultEndpointResolver({ UseFIPS: false, UseDualStack: false, ...params }).url.href).toBe(url);
  });

  it('refuses FIPS together with a custom endpoint', () => {
    expect(() => defaultEndpointResolver({ Region: 'us-east-1', UseFIPS: true, UseDualStack: false, Endpoint: 'http://localhost:4566' })).toThrow(
      /FIPS and custom endpoint/,
    );
  });
});
