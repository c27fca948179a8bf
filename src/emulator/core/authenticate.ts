// Establishes who is calling, as AWS's front end does: a SigV4 signature by a known key, within 15 minutes of the
// emulator clock, with the session token that belongs to temporary keys. Each failure is the error AWS gives for it,
// named per protocol family (STS says SignatureDoesNotMatch where JSON services say InvalidSignatureException).
import { commonError, type ErrorFamily } from './common-errors.js';
import { type EmulatorRequest, headerValue } from './exchange.js';
import {
  AMZ_DATE_HEADER,
  type AuthorizationHeader,
  formatAmzDate,
  parseAmzDate,
  payloadHash,
  payloadHashMismatch,
  SECURITY_TOKEN_HEADER,
  signatureMatches,
} from './sigv4.js';
import { type Caller, type IdentityStore } from './types.js';

/** How far a request's signing time may be from the emulator clock, as on AWS. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000; // 15 minutes

const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';
const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export interface AuthenticationInput {
  readonly request: EmulatorRequest;
  readonly authorization: AuthorizationHeader;
  /** The signing name the request must be scoped to. */
  readonly signingName: string;
  readonly family: ErrorFamily;
  readonly identity: IdentityStore;
  readonly now: Date;
}

/** The verified caller; throws the AWS error for an unsigned, badly signed, unknown or expired request. */
export function authenticate({ request, authorization, signingName, family, identity, now }: AuthenticationInput): Caller {
  if (authorization.kind === 'absent') {
    throw commonError('missingAuthenticationToken', family, family === 'query' ? 'Request is missing Authentication Token' : 'Missing Authentication Token');
  }
  if (authorization.kind === 'malformed') throw commonError('incompleteSignature', family, authorization.message);
  const { scope } = authorization.authorization;

  if (scope.service !== signingName) {
    throw commonError('invalidSignature', family, `Credential should be scoped to correct service: '${signingName}'. `);
  }
  const amzDate = requestDate(request, family);
  const day = amzDate.text.slice(0, 8);
  if (scope.date !== day) {
    throw commonError(
      'invalidSignature',
      family,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${day}', from '${amzDate.text}'.`,
    );
  }

  const credentials = identity.lookup(scope.accessKeyId);
  if (!credentials) throw commonError('unrecognizedClient', family, INVALID_TOKEN_MESSAGE);

  const skewMs = amzDate.date.getTime() - now.getTime();
  if (skewMs < -MAX_CLOCK_SKEW_MS) {
    const earliest = formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS));
    throw commonError('invalidSignature', family, `Signature expired: ${amzDate.text} is now earlier than ${earliest} (${formatAmzDate(now)} - 15 min.)`);
  }
  if (skewMs > MAX_CLOCK_SKEW_MS) {
    const latest = formatAmzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS));
    throw commonError('invalidSignature', family, `Signature not yet current: ${amzDate.text} is still later than ${latest} (${formatAmzDate(now)} + 15 min.)`);
  }

  const hash = payloadHash(request);
  if (payloadHashMismatch(hash)) {
    throw commonError('invalidSignature', family, "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  if (!signatureMatches(request, authorization.authorization, amzDate.text, credentials.secretAccessKey, hash.signed)) {
    throw commonError('invalidSignature', family, SIGNATURE_MISMATCH_MESSAGE);
  }

  if (credentials.sessionToken !== undefined) {
    // Temporary keys are only valid together with their session token, and only until they expire.
    if (headerValue(request, SECURITY_TOKEN_HEADER) !== credentials.sessionToken) {
      throw commonError('unrecognizedClient', family, INVALID_TOKEN_MESSAGE);
    }
    if (credentials.expiration && credentials.expiration.getTime() <= now.getTime()) {
      throw commonError('expiredToken', family, EXPIRED_TOKEN_MESSAGE);
    }
  }

  return {
    accountId: credentials.accountId,
    arn: credentials.arn,
    userId: credentials.userId,
    accessKeyId: credentials.accessKeyId,
    region: scope.region,
  };
}

/** The signing time: X-Amz-Date in SigV4's basic format, or else the HTTP Date header. */
function requestDate(request: EmulatorRequest, family: ErrorFamily): { text: string; date: Date } {
  const amzDate = headerValue(request, AMZ_DATE_HEADER);
  if (amzDate !== undefined) {
    const date = parseAmzDate(amzDate);
    if (!date) throw commonError('incompleteSignature', family, `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    return { text: amzDate, date };
  }
  const httpDate = headerValue(request, 'date');
  const date = httpDate === undefined ? undefined : new Date(httpDate);
  if (!date || Number.isNaN(date.getTime())) {
    throw commonError('incompleteSignature', family, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  return { text: formatAmzDate(date), date };
}
