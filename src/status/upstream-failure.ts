// How the domain tells its callers that AWS failed a read or a change: which call, AWS's code, and whether asking
// again may help — the facts a client may be told — without handing the aws/ layer's error class upward.
import { DEADLINE_EXCEEDED_CODE } from '../aws/call.js';
import { AwsCallError } from '../aws/errors.js';

/** The plain facts of a failed AWS call, as a change message carries them (JSON-safe). */
export interface UpstreamFailureFacts {
  readonly service: string;
  readonly operation: string;
  /** AWS's error code (`ThrottlingException`, `AccessDeniedException`…) or a transport code (`TimeoutError`…). */
  readonly code: string;
  readonly message: string;
  /** Worth asking again later: throttling, 5xx, timeouts and network failures. */
  readonly retryable: boolean;
  readonly throttled: boolean;
}

/** A failed AWS call, as an Error. */
export interface UpstreamFailure extends Error, Omit<UpstreamFailureFacts, 'message'> {
  /** Access was refused by IAM, an SCP, the organization, or the member role. */
  readonly accessDenied: boolean;
}

/** True when `error` is a failed AWS call (anything else a read throws is a bug). */
export function isUpstreamFailure(error: unknown): error is UpstreamFailure {
  return error instanceof AwsCallError;
}

/** The failure a change message reported, as an Error again. */
export function upstreamFailure(facts: UpstreamFailureFacts): UpstreamFailure {
  return new AwsCallError(facts);
}

/** A read its caller's deadline cut before AWS answered any attempt (StatusService.forCaller's awsDeadlineMs). */
export function isDeadlineExceeded(failure: UpstreamFailure): boolean {
  return failure.code === DEADLINE_EXCEEDED_CODE;
}
