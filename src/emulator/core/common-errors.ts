// The errors AWS's front door raises before any service code runs (authentication, routing, throttling,
// internal failures), named as each protocol family reports them.
import { AwsServiceError, type ServiceDefinition, type WireProtocol } from './types.js';

/** Namespace AWS puts in `__type` for errors raised by its shared request front end rather than by a service. */
export const COMMON_ERROR_NAMESPACE = 'com.amazon.coral.service';

/** An error of AWS's front end: JSON 1.0 and CBOR answers carry the shared namespace, not the service's. */
export class CommonAwsError extends AwsServiceError {}

/**
 * awsQuery services (STS) and the JSON/CBOR services name the same failures differently
 * (`SignatureDoesNotMatch` vs `InvalidSignatureException`).
 */
export type ErrorFamily = 'query' | 'json';

export function errorFamily(protocol: WireProtocol): ErrorFamily {
  return protocol === 'awsQuery' ? 'query' : 'json';
}

export type CommonErrorKind =
  | 'missingAuthenticationToken'
  | 'incompleteSignature'
  | 'unrecognizedClient'
  | 'invalidSignature'
  | 'expiredToken'
  | 'unknownOperation'
  | 'malformedInput';

/** HTTP statuses and codes from the AWS "Common Errors" pages; the JSON services use the `…Exception` names. */
const COMMON_ERRORS: Record<CommonErrorKind, { status: number; query: string; json: string }> = {
  missingAuthenticationToken: { status: 403, query: 'MissingAuthenticationToken', json: 'MissingAuthenticationTokenException' },
  incompleteSignature: { status: 400, query: 'IncompleteSignature', json: 'IncompleteSignatureException' },
  unrecognizedClient: { status: 403, query: 'InvalidClientTokenId', json: 'UnrecognizedClientException' },
  invalidSignature: { status: 403, query: 'SignatureDoesNotMatch', json: 'InvalidSignatureException' },
  expiredToken: { status: 403, query: 'ExpiredToken', json: 'ExpiredTokenException' },
  unknownOperation: { status: 400, query: 'InvalidAction', json: 'UnknownOperationException' },
  malformedInput: { status: 400, query: 'MalformedInput', json: 'SerializationException' },
};

export function commonError(kind: CommonErrorKind, family: ErrorFamily, message: string): CommonAwsError {
  const { status, query, json } = COMMON_ERRORS[kind];
  return new CommonAwsError(family === 'query' ? query : json, message, status);
}

/** A service's answer for "slow down", as declared by the service (each service names it differently). */
export function throttlingError(service: ServiceDefinition): AwsServiceError {
  return new AwsServiceError(service.throttling.code, 'Rate exceeded', service.throttling.status);
}

/** The 5xx a service answers when it fails internally: InternalFailure for awsQuery, InternalServerException otherwise. */
export function internalError(service: ServiceDefinition, protocol: WireProtocol): AwsServiceError {
  const declared = service.serverError;
  if (declared) return new AwsServiceError(declared.code, 'An internal error occurred. Try again.', declared.status);
  return protocol === 'awsQuery'
    ? new CommonAwsError('InternalFailure', 'An internal error occurred. Try again.', 500)
    : new AwsServiceError('InternalServerException', 'An internal error occurred. Try again.', 500);
}
