import { describe, expect, it } from 'vitest';
import { createEmulator, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulator/emulator.js';
import { allTestServices, MEMBER_ACCOUNT_ID, type RecordedCall, signRequest, type SigningOptions, TestIdentity } from './fixtures.js';

const NOW = new Date('2024-03-01T13:00:00.000Z');
const MINUTE_MS = 60_000;

function setup() {
  const calls: RecordedCall[] = [];
  const identity = new TestIdentity();
  const emulator = createEmulator({ services: allTestServices(calls), identity, clock: () => NOW });
  return { emulator, identity, calls };
}

/** The same request in both error families: a JSON 1.0 service and STS (awsQuery). */
const families = {
  json: {
    request: {
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'ComputeOptimizerService.GetEnrollmentStatus' },
      body: '{}',
    },
    service: 'compute-optimizer',
  },
  query: {
    request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
    service: 'sts',
  },
} as const;
type Family = keyof typeof families;

async function signed(family: Family, options: Partial<SigningOptions> = {}): Promise<EmulatorRequest> {
  const { request, service } = families[family];
  return signRequest(request, { service, signingDate: NOW, ...options });
}

/** The error code and message, read the way the SDK reads each protocol. */
function errorOf(response: EmulatorResponse): { status: number; code: string; message: string } {
  const text = Buffer.from(response.body).toString('utf8');
  if (text.startsWith('<')) {
    return {
      status: response.status,
      code: /<Code>(.*?)<\/Code>/.exec(text)?.[1] ?? '',
      message: /<Message>(.*?)<\/Message>/.exec(text)?.[1] ?? '',
    };
  }
  const body = JSON.parse(text);
  return { status: response.status, code: String(body.__type).split('#').pop()!, message: body.message };
}

describe('authentication', () => {
  const rejections: [string, Family, (family: Family) => Promise<EmulatorRequest>, { status: number; code: string }][] = [
    ['an unsigned request', 'json', async (f) => ({ ...(await signed(f)), headers: withoutAuthorization(await signed(f)) }), { status: 403, code: 'MissingAuthenticationTokenException' }],
    ['an unsigned request', 'query', async (f) => ({ ...(await signed(f)), headers: withoutAuthorization(await signed(f)) }), { status: 403, code: 'MissingAuthenticationToken' }],
    ['an unknown access key', 'json', (f) => signed(f, { credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } }), { status: 403, code: 'UnrecognizedClientException' }],
    ['an unknown access key', 'query', (f) => signed(f, { credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } }), { status: 403, code: 'InvalidClientTokenId' }],
    ['a wrong secret', 'json', (f) => signed(f, { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }), { status: 403, code: 'InvalidSignatureException' }],
    ['a wrong secret', 'query', (f) => signed(f, { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }), { status: 403, code: 'SignatureDoesNotMatch' }],
    ['a body changed after signing', 'json', async (f) => ({ ...(await signed(f)), body: Buffer.from('{"x":1}') }), { status: 403, code: 'InvalidSignatureException' }],
    ['a malformed Authorization header', 'json', async (f) => withAuthorization(await signed(f), 'AWS4-HMAC-SHA256 Signature=abc'), { status: 400, code: 'IncompleteSignatureException' }],
    ['a malformed Authorization header', 'query', async (f) => withAuthorization(await signed(f), 'AWS4-HMAC-SHA256 Signature=abc'), { status: 400, code: 'IncompleteSignature' }],
  ];

  it.each(rejections)('rejects %s (%s family)', async (_name, family, makeRequest, expected) => {
    const { emulator, calls } = setup();
    const response = await emulator.handle(await makeRequest(family));

    expect(errorOf(response)).toMatchObject(expected);
    expect(calls).toEqual([]);
  });

  it('explains the missing and the malformed parts of an Authorization header', async () => {
    const { emulator } = setup();
    const missingParts = await emulator.handle(withAuthorization(await signed('json'), 'AWS4-HMAC-SHA256 Credential=test/20240301/us-east-1/compute-optimizer/aws4_request'));
    const otherAlgorithm = await emulator.handle(withAuthorization(await signed('json'), 'AWS3-HTTPS AWSAccessKeyId=test'));

    expect(errorOf(missingParts).message).toContain("Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.");
    expect(errorOf(otherAlgorithm).message).toBe("Unsupported AWS 'algorithm': 'AWS3-HTTPS'.");
  });

  it('rejects a signature scoped to another service, naming the service it should be scoped to', async () => {
    const { emulator } = setup();
    const response = await emulator.handle(await signRequest(families.json.request, { service: 'sts', signingDate: NOW }));

    expect(errorOf(response)).toEqual({ status: 403, code: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'compute-optimizer'. " });
  });

  it('accepts a signature made 14 minutes ago and rejects one made 16 minutes ago as expired', async () => {
    const { emulator } = setup();
    const recent = await emulator.handle(await signed('json', { signingDate: new Date(NOW.getTime() - 14 * MINUTE_MS) }));
    const stale = await emulator.handle(await signed('json', { signingDate: new Date(NOW.getTime() - 16 * MINUTE_MS) }));

    expect(recent.status).toBe(200);
    expect(errorOf(stale)).toEqual({
      status: 403,
      code: 'InvalidSignatureException',
      message: 'Signature expired: 20240301T124400Z is now earlier than 20240301T124500Z (20240301T130000Z - 15 min.)',
    });
  });

  it('rejects a signature made more than 15 minutes in the future as not yet current (STS: SignatureDoesNotMatch)', async () => {
    const { emulator } = setup();
    const response = await emulator.handle(await signed('query', { signingDate: new Date(NOW.getTime() + 16 * MINUTE_MS) }));

    expect(errorOf(response)).toEqual({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'Signature not yet current: 20240301T131600Z is still later than 20240301T131500Z (20240301T130000Z + 15 min.)',
    });
  });

  it('accepts temporary credentials with their session token, as the member account they belong to', async () => {
    const { emulator, identity } = setup();
    const session = identity.addSession(new Date(NOW.getTime() + 60 * MINUTE_MS));
    const response = await emulator.handle(await signed('query', { credentials: session }));

    expect(response.status).toBe(200);
    expect(Buffer.from(response.body).toString()).toContain(`<Account>${MEMBER_ACCOUNT_ID}</Account>`);
  });

  it.each([
    ['json', 'UnrecognizedClientException'],
    ['query', 'InvalidClientTokenId'],
  ] as const)('rejects temporary credentials without their session token (%s family: %s)', async (family, code) => {
    const { emulator, identity } = setup();
    const { sessionToken: _omitted, ...withoutToken } = identity.addSession(new Date(NOW.getTime() + 60 * MINUTE_MS));
    const response = await emulator.handle(await signed(family, { credentials: withoutToken }));

    expect(errorOf(response)).toMatchObject({ status: 403, code });
  });

  it('rejects temporary credentials with another session token', async () => {
    const { emulator, identity } = setup();
    const session = identity.addSession(new Date(NOW.getTime() + 60 * MINUTE_MS));
    const response = await emulator.handle(await signed('json', { credentials: { ...session, sessionToken: 'someone-elses-token' } }));

    expect(errorOf(response)).toMatchObject({ status: 403, code: 'UnrecognizedClientException' });
  });

  it.each([
    ['json', 'ExpiredTokenException'],
    ['query', 'ExpiredToken'],
  ] as const)('rejects expired temporary credentials (%s family: %s)', async (family, code) => {
    const { emulator, identity } = setup();
    const session = identity.addSession(new Date(NOW.getTime() - 1));
    const response = await emulator.handle(await signed(family, { credentials: session }));

    expect(errorOf(response)).toEqual({ status: 403, code, message: 'The security token included in the request is expired' });
  });

  it('counts rejected requests as calls to their operation', async () => {
    const { emulator } = setup();
    await emulator.handle(await signed('json', { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }));
    const counts = await emulator.handle({ method: 'GET', path: '/_emulator/calls', headers: {}, body: new Uint8Array() });

    expect(JSON.parse(Buffer.from(counts.body).toString())).toEqual({ 'compute-optimizer:GetEnrollmentStatus': 1 });
  });
});

function withoutAuthorization(request: EmulatorRequest): EmulatorRequest['headers'] {
  const { authorization: _removed, ...headers } = request.headers;
  return headers;
}

function withAuthorization(request: EmulatorRequest, authorization: string): EmulatorRequest {
  return { ...request, headers: { ...request.headers, authorization } };
}
