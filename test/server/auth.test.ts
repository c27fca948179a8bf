// The authenticator against real credentials: API keys hashed as configured, and JWTs signed with keys that a local
// JWKS endpoint publishes over HTTP, as an identity provider does.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { createAuthenticator, mayRun, type AuthResult } from '../../src/server/auth.js';
import { AUDIENCE, ISSUER, startIdentityProvider, type LocalIdentityProvider } from './identity-provider.js';

const READER_TOKEN = 'reader-token-0123456789abcdef0123456789';
const OPERATOR_TOKEN = 'operator-token-fedcba9876543210fedcba98';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let idp: LocalIdentityProvider;
let auth: Config['auth'];
beforeAll(async () => {
  idp = await startIdentityProvider();
  auth = {
    mode: 'required',
    apiKeys: [
      { name: 'dashboard', role: 'reader', sha256: sha256(READER_TOKEN) },
      { name: 'ops', role: 'operator', sha256: sha256(OPERATOR_TOKEN) },
    ],
    jwt: { jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: AUDIENCE, roleClaim: 'statusgraph_role' },
  };
});
afterAll(() => idp.close());

function principalOf(result: AuthResult) {
  return result.ok ? result.principal : undefined;
}

describe('API keys', () => {
  it('identify the key holder and role from the token whose SHA-256 is configured', async () => {
    const authenticator = createAuthenticator(auth);
    expect(principalOf(await authenticator.authenticate(`Bearer ${READER_TOKEN}`))).toEqual({ name: 'dashboard', role: 'reader', method: 'api-key' });
    expect(principalOf(await authenticator.authenticate(`bearer ${OPERATOR_TOKEN}`))).toEqual({ name: 'ops', role: 'operator', method: 'api-key' });
  });

  it('refuse a missing, malformed or unknown credential with 401 and a Bearer challenge', async () => {
    const refused: string[] = [];
    const authenticator = createAuthenticator(auth, { onRejected: (reason) => refused.push(reason) });
    expect(await authenticator.authenticate(undefined)).toMatchObject({ ok: false, status: 401, challenge: 'Bearer realm="statusgraph"' });
    expect(await authenticator.authenticate(`Basic ${READER_TOKEN}`)).toMatchObject({ ok: false, status: 401, challenge: expect.stringContaining('invalid_request') });
    expect(await authenticator.authenticate(`Bearer ${READER_TOKEN}x`)).toMatchObject({ ok: false, status: 401, code: 'UNAUTHENTICATED', challenge: expect.stringContaining('invalid_token') });
    expect(await authenticator.authenticate({ not: 'a string' })).toMatchObject({ ok: false, status: 401 });
    expect(refused).toEqual(['malformed', 'unknown-token', 'malformed']);
  });

  it('are the only way in when no JWKS is configured', async () => {
    const authenticator = createAuthenticator({ mode: 'required', apiKeys: auth.apiKeys });
    const token = await idp.sign({ statusgraph_role: 'operator' });
    expect(await authenticator.authenticate(`Bearer ${token}`)).toMatchObject({ ok: false, status: 401 });
  });
});

describe('JWTs', () => {
  it('are accepted when signed by a key of the JWKS for our issuer and audience, with the role from the claim', async () => {
    const authenticator = createAuthenticator(auth);
    const reader = principalOf(await authenticator.authenticate(`Bearer ${await idp.sign({ statusgraph_role: 'reader' })}`));
    expect(reader).toMatchObject({ role: 'reader', method: 'jwt' });
    expect(reader?.name).toMatch(/^jwt:[0-9a-f]{16}$/);
    expect(reader?.name).not.toContain('user-42');
    const operator = principalOf(await authenticator.authenticate(`Bearer ${await idp.sign({ statusgraph_role: ['reader', 'operator'] })}`));
    expect(operator?.role).toBe('operator');
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example/' }, {}],
    ['another audience', { aud: 'someone-else' }, {}],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 3600 }, {}],
    ['a key the JWKS does not publish', {}, { key: 'unpublished' as const }],
  ])('are refused with 401 when they come from %s', async (_what, claims, options) => {
    const authenticator = createAuthenticator(auth);
    const token = await idp.sign({ statusgraph_role: 'operator', ...claims }, options);
    expect(await authenticator.authenticate(`Bearer ${token}`)).toMatchObject({ ok: false, status: 401, code: 'UNAUTHENTICATED' });
  });

  it('are refused with 403 when valid but carrying no statusgraph role', async () => {
    const authenticator = createAuthenticator(auth);
    const token = await idp.sign({ statusgraph_role: 'admin' });
    expect(await authenticator.authenticate(`Bearer ${token}`)).toMatchObject({
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
      challenge: expect.stringContaining('insufficient_scope'),
    });
  });
});

describe('roles', () => {
  it('let readers query and subscribe, and only operators mutate', () => {
    expect(mayRun('reader', 'query')).toBe(true);
    expect(mayRun('reader', 'subscription')).toBe(true);
    expect(mayRun('reader', 'mutation')).toBe(false);
    expect(mayRun('operator', 'mutation')).toBe(true);
  });

  it('make everyone an operator when authentication is off', async () => {
    const authenticator = createAuthenticator({ mode: 'none', apiKeys: [] });
    expect(authenticator.required).toBe(false);
    expect(principalOf(await authenticator.authenticate(undefined))).toEqual({ name: 'anonymous', role: 'operator', method: 'anonymous' });
  });
});
