import { describe, expect, it } from 'vitest';
import { AMZ_DATE_HEADER, parseAmzDate, parseAuthorization, payloadHash, signatureMatches } from '../../../src/emulator/core/sigv4.js';
import { type EmulatorRequest } from '../../../src/emulator/core/exchange.js';
import { signRequest, TEST_CREDENTIALS } from './fixtures.js';

const SIGNING_DATE = new Date('2024-03-01T13:00:00Z');

/** Verifies a request the way the emulator does, with the secret the test believes in. */
function verifies(request: EmulatorRequest, secretAccessKey: string = TEST_CREDENTIALS.secretAccessKey): boolean {
  const parsed = parseAuthorization(request);
  if (parsed.kind !== 'parsed') throw new Error(`unexpected ${parsed.kind} Authorization`);
  return signatureMatches(request, parsed.authorization, String(request.headers[AMZ_DATE_HEADER]), secretAccessKey, payloadHash(request).signed);
}

describe('SigV4 verification', () => {
  it('accepts what @smithy/signature-v4 signs: a JSON POST to /', async () => {
    const request = await signRequest(
      { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'IoTAutobahnControlPlane.GetRegisterAccountStatus' }, body: '{}' },
      { service: 'iotfleetwise', signingDate: SIGNING_DATE },
    );
    expect(verifies(request)).toBe(true);
  });

  it('accepts paths that need escaping and query strings in any order', async () => {
    const request = await signRequest(
      { method: 'GET', path: '/service/A B/operation/x*y', query: { 'z-last': 'a b', Action: 'List', 'a-first': "it's" } },
      { service: 'sts', signingDate: SIGNING_DATE },
    );
    expect(verifies(request)).toBe(true);
  });

  it('accepts header values with runs of spaces, which signers collapse', async () => {
    const request = await signRequest(
      { headers: { 'x-amz-target': 'A.B', 'x-custom': 'several   spaced    words' }, body: '' },
      { service: 'iotfleetwise', signingDate: SIGNING_DATE },
    );
    expect(verifies(request)).toBe(true);
  });

  it('rejects a wrong secret, a changed signed header and a changed query', async () => {
    const request = await signRequest(
      { path: '/', query: { Action: 'GetCallerIdentity' }, headers: { 'x-amz-target': 'A.B' }, body: '{}' },
      { service: 'sts', signingDate: SIGNING_DATE },
    );
    expect(verifies(request, 'not-the-secret')).toBe(false);
    expect(verifies({ ...request, headers: { ...request.headers, 'x-amz-target': 'A.C' } })).toBe(false);
    expect(verifies({ ...request, path: '/?Action=AssumeRole' })).toBe(false);
  });

  it('rejects a signature that is not hex or has the wrong length', async () => {
    const request = await signRequest({ body: '{}' }, { service: 'sts', signingDate: SIGNING_DATE });
    const authorization = String(request.headers.authorization);
    expect(verifies({ ...request, headers: { ...request.headers, authorization: authorization.replace(/Signature=\w+/, 'Signature=zz') } })).toBe(false);
    expect(verifies({ ...request, headers: { ...request.headers, authorization: `${authorization}00` } })).toBe(false);
  });

  it('reads the credential scope and signed headers from the Authorization header', async () => {
    const request = await signRequest({ body: '' }, { service: 'organizations', region: 'us-east-1', signingDate: SIGNING_DATE });

    expect(parseAuthorization(request)).toEqual({
      kind: 'parsed',
      authorization: {
        scope: { accessKeyId: 'test', date: '20240301', region: 'us-east-1', service: 'organizations' },
        signedHeaders: expect.arrayContaining(['host', 'x-amz-date']),
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
  });

  it('calls a credential with a missing scope part malformed', () => {
    const request: EmulatorRequest = {
      method: 'POST',
      path: '/',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240301/us-east-1/aws4_request, SignedHeaders=host, Signature=00' },
      body: new Uint8Array(),
    };
    expect(parseAuthorization(request)).toMatchObject({ kind: 'malformed', message: expect.stringContaining('Credential should be scoped to a valid region') });
  });

  it('parses X-Amz-Date in basic format only', () => {
    expect(parseAmzDate('20240301T130000Z')).toEqual(SIGNING_DATE);
    expect(parseAmzDate('2024-03-01T13:00:00Z')).toBeUndefined();
  });
});
