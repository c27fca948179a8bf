import { decode } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { createEmulator, type EmulatorResponse } from '../../../src/emulator/emulator.js';
import {
  allTestServices,
  LAST_UPDATED,
  MANAGEMENT_ACCOUNT_ID,
  MEMBER_ACCOUNT_ID,
  type RecordedCall,
  signRequest,
  TestIdentity,
} from './fixtures.js';

const NOW = new Date('2024-03-01T13:00:00.000Z');

function emulatorAt(now = NOW) {
  const calls: RecordedCall[] = [];
  const identity = new TestIdentity();
  const internalErrors: string[] = [];
  const emulator = createEmulator({
    services: allTestServices(calls),
    identity,
    clock: () => now,
    onInternalError: (_error, operationKey) => internalErrors.push(operationKey),
  });
  return { emulator, calls, identity, internalErrors };
}

const json10 = (operation: string, body: unknown = {}) => ({
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `ComputeOptimizerService.${operation}` },
  body: JSON.stringify(body),
});

function bodyJson(response: EmulatorResponse): Record<string, unknown> {
  return JSON.parse(Buffer.from(response.body).toString('utf8'));
}

function bodyText(response: EmulatorResponse): string {
  return Buffer.from(response.body).toString('utf8');
}

describe('createEmulator', () => {
  it('answers awsJson1_0 with timestamps as fractional epoch seconds and without undefined members', async () => {
    const { emulator } = emulatorAt();
    const response = await emulator.handle(await signRequest(json10('GetEnrollmentStatus'), { service: 'compute-optimizer', signingDate: NOW }));

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(bodyJson(response)).toEqual({
      status: 'Active',
      memberAccountsEnrolled: true,
      lastUpdatedTimestamp: LAST_UPDATED.getTime() / 1000,
      numberOfMemberAccountsOptedIn: 7,
    });
    expect(bodyText(response)).not.toContain('statusReason');
  });

  it('passes the decoded input and the caller from the credential scope to the handler', async () => {
    const { emulator, calls } = emulatorAt();
    await emulator.handle(
      await signRequest(json10('GetEnrollmentStatusesForOrganization', { maxResults: 5, filters: [{ name: 'Status', values: ['Active'] }] }), {
        service: 'compute-optimizer',
        region: 'eu-west-1',
        signingDate: NOW,
      }),
    );

    expect(calls).toEqual([
      {
        operation: 'GetEnrollmentStatusesForOrganization',
        input: { maxResults: 5, filters: [{ name: 'Status', values: ['Active'] }] },
        caller: {
          accountId: MANAGEMENT_ACCOUNT_ID,
          arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root`,
          userId: MANAGEMENT_ACCOUNT_ID,
          accessKeyId: 'test',
          region: 'eu-west-1',
        },
        now: NOW,
      },
    ]);
  });

  it('writes awsJson1_0 errors with the namespaced __type, message, extra members and x-amzn-ErrorType', async () => {
    const { emulator, identity } = emulatorAt();
    const session = identity.addSession(new Date(NOW.getTime() + 3600_000));
    const response = await emulator.handle(
      await signRequest(
        { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'IoTAutobahnControlPlane.GetRegisterAccountStatus' }, body: '{}' },
        { service: 'iotfleetwise', credentials: session, signingDate: NOW },
      ),
    );

    expect(response.status).toBe(404);
    expect(response.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(bodyJson(response)).toEqual({
      __type: 'com.amazonaws.iotfleetwise#ResourceNotFoundException',
      message: 'Account is not registered.',
      resourceId: MEMBER_ACCOUNT_ID,
      resourceType: 'account',
    });
  });

  it('writes awsJson1_1 errors with the bare __type and Message, as Organizations does', async () => {
    const { emulator } = emulatorAt();
    const response = await emulator.handle(
      await signRequest(
        {
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.DescribeCreateAccountStatus' },
          body: JSON.stringify({ CreateAccountRequestId: 'car-1234567890' }),
        },
        { service: 'organizations', signingDate: NOW },
      ),
    );

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(bodyJson(response)).toEqual({ __type: 'CreateAccountStatusNotFoundException', Message: 'No request car-1234567890.' });
  });

  it('answers an operation the service does not have with UnknownOperationException', async () => {
    const { emulator } = emulatorAt();
    const response = await emulator.handle(await signRequest(json10('DeleteEverything'), { service: 'compute-optimizer', signingDate: NOW }));

    expect(response.status).toBe(400);
    expect(bodyJson(response)).toMatchObject({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });

  it('answers an unknown awsQuery action with InvalidAction in XML', async () => {
    const { emulator } = emulatorAt();
    const response = await emulator.handle(
      await signRequest(
        { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetSessionToken&Version=2011-06-15' },
        { service: 'sts', signingDate: NOW },
      ),
    );

    expect(response.status).toBe(400);
    expect(bodyText(response)).toContain('<Code>InvalidAction</Code>');
    expect(bodyText(response)).toContain('<Message>Could not find operation GetSessionToken for version 2011-06-15</Message>');
  });

  it('answers awsQuery with the operation wrapped in Response and Result elements, and the RequestId in the body', async () => {
    const { emulator, calls } = emulatorAt();
    const response = await emulator.handle(
      await signRequest(
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FR&RoleSessionName=s&DurationSeconds=900',
        },
        { service: 'sts', signingDate: NOW },
      ),
    );

    const xml = bodyText(response);
    expect(response.status).toBe(200);
    expect(xml).toMatch(/^<AssumeRoleResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><AssumeRoleResult><Credentials>/);
    expect(xml).toContain('<Expiration>2024-03-01T13:15:00.000Z</Expiration>');
    expect(xml).toContain(`<ResponseMetadata><RequestId>${response.headers['x-amzn-requestid']}</RequestId></ResponseMetadata>`);
    expect(calls[0]?.input).toEqual({ RoleArn: 'arn:aws:iam::111111111111:role/R', RoleSessionName: 's', DurationSeconds: '900' });
  });

  it('answers a Smithy RPC v2 CBOR request in CBOR with the Smithy-Protocol header', async () => {
    const { emulator } = emulatorAt();
    const response = await emulator.handle(
      await signRequest(
        {
          path: '/service/ComputeOptimizerService/operation/GetEnrollmentStatus',
          headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor' },
          body: new Uint8Array([0xa0]), // the empty map
        },
        { service: 'compute-optimizer', signingDate: NOW },
      ),
    );

    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' });
    expect(response.body[0]! >> 5).toBe(5); // CBOR major type 5: a map
    expect(decode(response.body)).toEqual({
      status: 'Active',
      memberAccountsEnrolled: true,
      lastUpdatedTimestamp: LAST_UPDATED,
      numberOfMemberAccountsOptedIn: 7,
    });
  });

  it('gives a failing handler the service’s own 5xx, reports it and leaks no internal message', async () => {
    const { emulator, internalErrors } = emulatorAt();
    const response = await emulator.handle(
      await signRequest(
        { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts' }, body: '{}' },
        { service: 'organizations', signingDate: NOW },
      ),
    );

    expect(response.status).toBe(500);
    expect(bodyJson(response).__type).toBe('ServiceException');
    expect(bodyText(response)).not.toContain('a bug in the service model');
    expect(internalErrors).toEqual(['organizations:ListAccounts']);
  });

  it('refuses a request signed for a region the service has no endpoint in, without counting or calling it', async () => {
    const { emulator, calls } = emulatorAt();
    const response = await emulator.handle(
      await signRequest(
        { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'IoTAutobahnControlPlane.GetRegisterAccountStatus' }, body: '{}' },
        { service: 'iotfleetwise', region: 'us-west-2', signingDate: NOW },
      ),
    );
    const counts = await emulator.handle({ method: 'GET', path: '/_emulator/calls', headers: {}, body: new Uint8Array() });

    expect(response.status).toBe(400);
    expect(bodyJson(response)).toEqual({
      __type: 'com.amazon.coral.service#UnrecognizedClientException',
      message: 'iotfleetwise has no endpoint in region us-west-2; it is offered in us-east-1, eu-central-1, ap-south-1.',
    });
    expect(calls).toEqual([]);
    expect(bodyJson(counts)).toEqual({});
  });

  it('answers a request that no protocol claims with 404 and a request id', async () => {
    const { emulator } = emulatorAt();
    const response = await emulator.handle({ method: 'GET', path: '/favicon.ico', headers: {}, body: new Uint8Array() });

    expect(response.status).toBe(404);
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stamps every AWS answer with a fresh request id and the emulator clock in Date', async () => {
    const { emulator } = emulatorAt();
    const first = await emulator.handle(await signRequest(json10('GetEnrollmentStatus'), { service: 'compute-optimizer', signingDate: NOW }));
    const second = await emulator.handle({ method: 'POST', path: '/', headers: json10('GetEnrollmentStatus').headers, body: new Uint8Array() });

    expect(first.headers.date).toBe(NOW.toUTCString());
    expect(second.headers.date).toBe(NOW.toUTCString());
    expect(first.headers['x-amzn-requestid']).not.toBe(second.headers['x-amzn-requestid']);
  });

  it('answers a JSON body that does not parse with SerializationException, after authentication', async () => {
    const { emulator } = emulatorAt();
    const response = await emulator.handle(
      await signRequest({ ...json10('GetEnrollmentStatus'), body: '{"status":' }, { service: 'compute-optimizer', signingDate: NOW }),
    );

    expect(response.status).toBe(400);
    expect(bodyJson(response).__type).toBe('com.amazon.coral.service#SerializationException');
  });
});
