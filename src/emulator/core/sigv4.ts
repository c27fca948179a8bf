// AWS Signature Version 4 verification: parse the Authorization header and recompute the signature from the
// headers the client signed. Signing libraries (@smithy/signature-v4) choose which headers to sign; a verifier must
// sign exactly the client's SignedHeaders list, which their API cannot express — hence node:crypto here.
// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type EmulatorRequest, headerValue, splitPath } from './exchange.js';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
const SCOPE_TERMINATOR = 'aws4_request';
export const AMZ_DATE_HEADER = 'x-amz-date';
export const SECURITY_TOKEN_HEADER = 'x-amz-security-token';
const CONTENT_SHA256_HEADER = 'x-amz-content-sha256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Signing keys are derived per (secret, day, region, service): remember this many, then start over. */
const SIGNING_KEY_CACHE_LIMIT = 1_000;

export interface CredentialScope {
  readonly accessKeyId: string;
  /** `YYYYMMDD` */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

export interface ParsedAuthorization {
  readonly scope: CredentialScope;
  /** Lower-case header names, in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** The Authorization header is absent, malformed, or well formed; malformed carries AWS's explanation. */
export type AuthorizationHeader =
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed'; readonly message: string }
  | { readonly kind: 'parsed'; readonly authorization: ParsedAuthorization };

export function parseAuthorization(request: EmulatorRequest): AuthorizationHeader {
  const header = headerValue(request, 'authorization');
  if (header === undefined || header === '') return { kind: 'absent' };
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    return { kind: 'malformed', message: `Unsupported AWS 'algorithm': '${algorithm}'.` };
  }
  const parameters = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) parameters.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !parameters.get(name));
  if (missing.length > 0) {
    const requirements = missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ');
    return { kind: 'malformed', message: `${requirements} Authorization=${header}` };
  }
  const credential = parameters.get('Credential')!.split('/');
  const [accessKeyId, date, region, service, terminator] = credential;
  if (credential.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== SCOPE_TERMINATOR) {
    return {
      kind: 'malformed',
      message: `Credential should be scoped to a valid region, and end with '${SCOPE_TERMINATOR}'. Credential=${parameters.get('Credential')}`,
    };
  }
  return {
    kind: 'parsed',
    authorization: {
      scope: { accessKeyId, date, region, service },
      signedHeaders: parameters.get('SignedHeaders')!.toLowerCase().split(';'),
      signature: parameters.get('Signature')!,
    },
  };
}

/** `20240102T030405Z` as a Date; undefined when the text is not in that form. */
export function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** The same instant written as SigV4 writes it: `20240102T030405Z`. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** The hex SHA-256 of the body, or the x-amz-content-sha256 value the client signed instead. */
export function payloadHash(request: EmulatorRequest): { readonly signed: string; readonly computed: string } {
  const computed = createHash('sha256').update(request.body).digest('hex');
  return { signed: headerValue(request, CONTENT_SHA256_HEADER) ?? computed, computed };
}

/** True when a declared x-amz-content-sha256 does not describe the body that arrived. */
export function payloadHashMismatch(hash: { readonly signed: string; readonly computed: string }): boolean {
  return hash.signed !== hash.computed && hash.signed !== UNSIGNED_PAYLOAD;
}

/**
 * Recomputes the signature for `amzDate` and compares it with the client's in constant time.
 * `signedPayloadHash` is the value the client put in the canonical request (see payloadHash).
 */
export function signatureMatches(
  request: EmulatorRequest,
  authorization: ParsedAuthorization,
  amzDate: string,
  secretAccessKey: string,
  signedPayloadHash: string,
): boolean {
  const { scope } = authorization;
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/${SCOPE_TERMINATOR}`;
  const stringToSign = `${SIGV4_ALGORITHM}\n${amzDate}\n${credentialScope}\n${sha256Hex(canonicalRequest(request, authorization, signedPayloadHash))}`;
  const expected = createHmac('sha256', signingKey(secretAccessKey, scope)).update(stringToSign).digest();
  const provided = Buffer.from(authorization.signature, 'hex');
  return provided.length === expected.length && timingSafeEqual(provided, expected);
}

/** The SigV4 canonical request, built from what arrived (the path as sent is escaped once more, as clients do). */
export function canonicalRequest(request: EmulatorRequest, authorization: ParsedAuthorization, signedPayloadHash: string): string {
  const { pathname, query } = splitPath(request.path);
  let headers = '';
  for (const name of authorization.signedHeaders) {
    headers += `${name}:${canonicalHeaderValue(headerValue(request, name) ?? '')}\n`;
  }
  return `${request.method}\n${canonicalPath(pathname)}\n${canonicalQuery(query)}\n${headers}\n${authorization.signedHeaders.join(';')}\n${signedPayloadHash}`;
}

function canonicalHeaderValue(value: string): string {
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** Non-S3 services normalise `.` / `..` segments and URI-encode the path a second time. */
function canonicalPath(pathname: string): string {
  const segments: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && pathname.endsWith('/') ? '/' : '';
  return escapeUri(`/${segments.join('/')}${trailingSlash}`).replace(/%2F/g, '/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs: string[] = [];
  for (const [key, value] of new URLSearchParams(query)) {
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push(`${escapeUri(key)}=${escapeUri(value)}`);
  }
  return pairs.sort().join('&');
}

/** RFC 3986 unreserved characters stay; everything else is percent-encoded (encodeURIComponent leaves !'()* alone). */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const signingKeys = new Map<string, Buffer>();

function signingKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  const cacheKey = `${secretAccessKey}\n${scope.date}\n${scope.region}\n${scope.service}`;
  const cached = signingKeys.get(cacheKey);
  if (cached) return cached;
  const dateKey = createHmac('sha256', `AWS4${secretAccessKey}`).update(scope.date).digest();
  const regionKey = createHmac('sha256', dateKey).update(scope.region).digest();
  const serviceKey = createHmac('sha256', regionKey).update(scope.service).digest();
  const key = createHmac('sha256', serviceKey).update(SCOPE_TERMINATOR).digest();
  if (signingKeys.size >= SIGNING_KEY_CACHE_LIMIT) signingKeys.clear();
  signingKeys.set(cacheKey, key);
  return key;
}
