// AwsCallError: the one error type the aws/ layer throws upward, so SDK error classes never leak past aws/.
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';

export interface AwsCallErrorInit {
  readonly service: string;
  readonly operation: string;
  /** AWS error code (`ThrottlingException`, `AccessDeniedException`…), or a transport code (`TimeoutError`, `ECONNREFUSED`). */
  readonly code: string;
  readonly message: string;
  /** Worth asking again later: throttling, 5xx, timeouts and network failures. */
  readonly retryable: boolean;
  readonly throttled: boolean;
  readonly httpStatus?: number;
  /** The account and region the call was made for, when it was made for one. */
  readonly accountId?: string;
  readonly region?: string;
  /** AWS's id of the failed request (`x-amzn-RequestId`), for AWS support. */
  readonly requestId?: string;
}

export class AwsCallError extends Error {
  readonly service: string;
  readonly operation: string;
  readonly code: string;
  readonly retryable: boolean;
  readonly throttled: boolean;
  readonly httpStatus?: number;
  readonly accountId?: string;
  readonly region?: string;
  readonly requestId?: string;

  constructor(init: AwsCallErrorInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.name = 'AwsCallError';
    this.service = init.service;
    this.operation = init.operation;
    this.code = init.code;
    this.retryable = init.retryable;
    this.throttled = init.throttled;
    this.httpStatus = init.httpStatus;
    this.accountId = init.accountId;
    this.region = init.region;
    this.requestId = init.requestId;
  }

  /** AWS did not accept the credentials the call was signed with, even after they were renewed once. */
  get credentialsRefused(): boolean {
    return isCredentialRefusalCode(this.code);
  }

  /** Access was refused by IAM, an SCP, the organization, or the member role. */
  get accessDenied(): boolean {
    return /AccessDenied|UnauthorizedOperation|NotAuthorized|AWSOrganizationsNotInUse/.test(this.code);
  }
}

/**
 * Codes AWS answers when it does not accept the credentials a request was signed with: an expired or revoked session
 * (an endpoint restart, a rotated role), an unknown key. New credentials may cure them (credential-renewal.ts).
 */
const CREDENTIAL_REFUSAL_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException']);

export function isCredentialRefusalCode(code: string): boolean {
  return CREDENTIAL_REFUSAL_CODES.has(code);
}

export function isAwsCallError(value: unknown): value is AwsCallError {
  return value instanceof AwsCallError;
}

/** What a call was for: the labels an AwsCallError and an AwsCallEvent carry. */
export interface CallTarget {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly accountId?: string;
}

/** Node.js socket errors worth trying again: the peer refused, reset or went away (SDK list plus DNS hiccups). */
const TRANSPORT_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The members of SDK and Node.js errors the mapping reads; anything may be missing. */
interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/**
 * Turns anything an SDK call threw into an AwsCallError, so no SDK class crosses the aws/ boundary.
 * Throttling and transience are judged by the SDK's own classifiers (@smithy/core/retry): `$retryable`,
 * 429 and the throttling error names, 5xx, timeouts, and socket errors. An AwsCallError passes through unchanged
 * (it was raised for an inner call, such as the AssumeRole behind a member account's credentials).
 *
 * The SDK error is deliberately not kept as `cause`: it carries the raw HTTP exchange, whose request headers
 * include the session token of temporary credentials, and an error object ends up in logs.
 */
export function toAwsCallError(error: unknown, target: CallTarget): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const raw: ErrorLike = typeof error === 'object' && error !== null ? (error as ErrorLike) : {};
  const sdkError = (error instanceof Error ? error : new Error(String(error))) as SdkError;
  const throttled = isThrottlingError(sdkError);
  const httpStatus = raw.$metadata?.httpStatusCode;
  const requestId = raw.$metadata?.requestId;
  return new AwsCallError({
    ...target,
    code: errorCode(raw),
    message: typeof raw.message === 'string' && raw.message !== '' ? raw.message : String(error),
    retryable: throttled || isTransientError(sdkError),
    throttled,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(requestId === undefined ? {} : { requestId }),
  });
}

function errorCode(error: ErrorLike): string {
  const name = typeof error.name === 'string' ? error.name : undefined;
  // The node HTTP handler names its timeouts TimeoutError (with code ETIMEDOUT); the name says more.
  if (name === 'TimeoutError' || name === 'AbortError') return name;
  if (typeof error.code === 'string' && TRANSPORT_ERROR_CODES.has(error.code)) return error.code;
  // SDK service errors are named for the AWS error code; a plain Error says nothing, so call it unknown.
  if (name !== undefined && name !== '' && name !== 'Error') return name;
  return typeof error.code === 'string' && error.code !== '' ? error.code : 'UnknownError';
}
