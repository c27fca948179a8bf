// AwsCallError: the one error type the aws/ layer throws upward, so SDK error classes never leak past aws/.

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
  }

  /** Access was refused by IAM, an SCP, the organization, or the member role. */
  get accessDenied(): boolean {
    return /AccessDenied|UnauthorizedOperation|NotAuthorized|AWSOrganizationsNotInUse/.test(this.code);
  }
}

export function isAwsCallError(value: unknown): value is AwsCallError {
  return value instanceof AwsCallError;
}
