// A stand-in identity provider for tests: a JWKS endpoint on loopback publishing one RSA key, and a signer for
// tokens with that key (or with a key it does not publish). jose makes the keys and signs, as a real IdP would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export const ISSUER = 'https://idp.statusgraph.test/';
export const AUDIENCE = 'statusgraph-api';

export interface LocalIdentityProvider {
  readonly jwksUrl: string;
  /** Signs a token with the published key; claims override the defaults (issuer, audience, an hour of validity). */
  sign(claims: JWTPayload, options?: { key?: 'published' | 'unpublished' }): Promise<string>;
  close(): Promise<void>;
}

/** An identity provider's JWKS endpoint on loopback, and a signer with its key (and one key it does not publish). */
export async function startIdentityProvider(): Promise<LocalIdentityProvider> {
  const published = await generateKeyPair('RS256');
  const unpublished = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'statusgraph-test', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    async sign(claims, options = {}) {
      const key: CryptoKey = options.key === 'unpublished' ? unpublished.privateKey : published.privateKey;
      return new SignJWT({ sub: 'user-42', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'statusgraph-test' })
        .setIssuer(typeof claims.iss === 'string' ? claims.iss : ISSUER)
        .setAudience(claims.aud ?? AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '1h')
        .sign(key);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

