// Who is calling, and what they may do. Bearer tokens are API keys (STATUSGRAPH_API_KEYS: only the SHA-256 of each
// token is configured, compared in constant time) or OIDC/JWT access tokens verified with jose against the identity
// provider's JWKS, issuer and audience. Roles: reader (queries, subscriptions) and operator (mutations too).
// The same authenticator serves HTTP (the Authorization header) and graphql-ws (the connection_init payload).
// Tokens, token hashes and JWT subjects are never logged: a principal is known by its key name or a hash.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { ApiKeyConfig, Config, Role } from '../config/index.js';
import { ErrorCode } from '../graphql/errors.js';

/** Leeway for `exp` and `nbf` between our clock and the identity provider's. @default 30 // seconds */
const JWT_CLOCK_TOLERANCE_SECONDS = 30;
/** The realm named in WWW-Authenticate challenges. */
const REALM = 'statusgraph';
/** RFC 6750 §2.1: `Bearer` and a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
/** Three base64url segments: a JWS in compact form. */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

export type { Role };
export type OperationType = 'query' | 'mutation' | 'subscription';

export interface Principal {
  /** For logs and rate limits: the API key's name, `jwt:<hash of sub>`, or `anonymous`. Never a secret or an email. */
  readonly name: string;
  readonly role: Role;
  readonly method: 'api-key' | 'jwt' | 'anonymous';
}

/** Everyone, when STATUSGRAPH_AUTH=none: the demo on loopback lets its user do everything. */
export const ANONYMOUS_OPERATOR: Principal = Object.freeze({ name: 'anonymous', role: 'operator', method: 'anonymous' });

/** Why a caller was turned away; `status` and `challenge` are what HTTP answers with. */
export interface AuthFailure {
  readonly status: 401 | 403;
  readonly code: typeof ErrorCode.UNAUTHENTICATED | typeof ErrorCode.FORBIDDEN;
  readonly message: string;
  /** The WWW-Authenticate header value (RFC 6750 §3). */
  readonly challenge: string;
}

export type AuthResult = { readonly ok: true; readonly principal: Principal } | ({ readonly ok: false } & AuthFailure);

export interface Authenticator {
  /** False when STATUSGRAPH_AUTH=none: every caller is ANONYMOUS_OPERATOR. */
  readonly required: boolean;
  /** Judges an `Authorization` value (`Bearer <token>`); never throws. */
  authenticate(authorization: unknown): Promise<AuthResult>;
}

export interface AuthenticatorOptions {
  /** Resolves JWT signing keys; defaults to a remote JWKS set at config.jwt.jwksUrl (cached and refreshed by jose). */
  readonly jwks?: JWTVerifyGetKey;
  /** Told why a presented credential was refused (a code, never the credential). */
  readonly onRejected?: (reason: string) => void;
}

export function createAuthenticator(config: Config['auth'], options: AuthenticatorOptions = {}): Authenticator {
  if (config.mode === 'none') {
    return { required: false, authenticate: async () => ({ ok: true, principal: ANONYMOUS_OPERATOR }) };
  }
  const keys = config.apiKeys.map((key) => ({ key, digest: Buffer.from(key.sha256, 'hex') }));
  const jwt = config.jwt;
  const jwks = jwt ? (options.jwks ?? createRemoteJWKSet(new URL(jwt.jwksUrl))) : undefined;
  const rejected = (reason: string, failure: AuthFailure): AuthResult => {
    options.onRejected?.(reason);
    return { ok: false, ...failure };
  };

  return {
    required: true,
    async authenticate(authorization) {
      if (authorization === undefined || authorization === null || authorization === '') {
        return { ok: false, ...MISSING_CREDENTIALS };
      }
      const token = typeof authorization === 'string' ? BEARER.exec(authorization.trim())?.[1] : undefined;
      if (token === undefined) return rejected('malformed', MALFORMED_CREDENTIALS);

      const apiKey = matchApiKey(keys, token);
      if (apiKey) return { ok: true, principal: { name: apiKey.name, role: apiKey.role, method: 'api-key' } };

      if (!jwt || !jwks || !COMPACT_JWS.test(token)) return rejected('unknown-token', INVALID_TOKEN);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: jwt.issuer,
          audience: jwt.audience,
          clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
        }));
      } catch (error) {
        return rejected(error instanceof joseErrors.JOSEError ? error.code : 'jwt-verification-failed', INVALID_TOKEN);
      }
      const role = roleFrom(payload[jwt.roleClaim]);
      if (!role) return rejected('no-role', NO_ROLE(jwt.roleClaim));
      return { ok: true, principal: { name: `jwt:${sha256Hex(String(payload.sub ?? '')).slice(0, 16)}`, role, method: 'jwt' } };
    },
  };
}

/** Whether a role may run an operation of a type: readers read and watch, operators also change. */
export function mayRun(role: Role, operation: OperationType): boolean {
  return operation !== 'mutation' || role === 'operator';
}

/**
 * The key whose hash equals the token's. Every key is compared, whatever matched before, and each comparison is
 * constant-time over equal-length digests, so the time taken says nothing about which bytes or which key matched.
 */
function matchApiKey(keys: readonly { key: ApiKeyConfig; digest: Buffer }[], token: string): ApiKeyConfig | undefined {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  let match: ApiKeyConfig | undefined;
  for (const { key, digest } of keys) {
    if (timingSafeEqual(presented, digest) && match === undefined) match = key;
  }
  return match;
}

/** `operator` wins over `reader` when a claim lists several roles; anything else is no role. */
function roleFrom(claim: unknown): Role | undefined {
  const values = Array.isArray(claim) ? claim : [claim];
  if (values.includes('operator')) return 'operator';
  if (values.includes('reader')) return 'reader';
  return undefined;
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

const MISSING_CREDENTIALS: AuthFailure = {
  status: 401,
  code: ErrorCode.UNAUTHENTICATED,
  message: 'Authentication required: send Authorization: Bearer <API key or access token>.',
  challenge: `Bearer realm="${REALM}"`,
};

const MALFORMED_CREDENTIALS: AuthFailure = {
  status: 401,
  code: ErrorCode.UNAUTHENTICATED,
  message: 'The Authorization header must be "Bearer <token>".',
  challenge: `Bearer realm="${REALM}", error="invalid_request"`,
};

const INVALID_TOKEN: AuthFailure = {
  status: 401,
  code: ErrorCode.UNAUTHENTICATED,
  message: 'The bearer token is not valid: unknown, expired, or issued for someone else.',
  challenge: `Bearer realm="${REALM}", error="invalid_token"`,
};

const NO_ROLE = (claim: string): AuthFailure => ({
  status: 403,
  code: ErrorCode.FORBIDDEN,
  message: `The token is valid but grants no statusgraph role: its "${claim}" claim must be reader or operator.`,
  challenge: `Bearer realm="${REALM}", error="insufficient_scope"`,
});
