// The contract between the emulator's protocol core and its service models: a service declares its wire
// protocols and operation handlers; the core decodes requests, verifies identity and encodes answers.

/** The wire protocols the emulator speaks (see aws-facts.md). */
export type WireProtocol = 'awsJson1_0' | 'awsJson1_1' | 'awsQuery' | 'rpcv2Cbor';

/** Who is calling, as established from the SigV4 Authorization header. */
export interface Caller {
  /** 12-digit account the credentials belong to. */
  readonly accountId: string;
  /** ARN of the principal: `arn:aws:iam::<id>:root` or `arn:aws:sts::<id>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  /** Unique id reported by GetCallerIdentity. */
  readonly userId: string;
  readonly accessKeyId: string;
  /** Region from the credential scope of the signature. */
  readonly region: string;
}

export interface OperationContext {
  readonly caller: Caller;
  /** The emulator clock; services never read Date.now() directly so tests can reason about time. */
  readonly now: Date;
}

/**
 * An operation handler receives the decoded input (plain object; timestamps as Date, blobs as Uint8Array)
 * and returns the output members. Dates in the output are encoded per protocol by the core
 * (epoch seconds in JSON, tag 1 in CBOR, ISO-8601 in XML). Throw AwsServiceError for modelled errors.
 */
export type OperationHandler = (
  input: Record<string, unknown>,
  ctx: OperationContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface ServiceDefinition {
  /** SigV4 signing name, also the key prefix of call counts: `iotfleetwise`, `compute-optimizer`, `organizations`, `sts`. */
  readonly signingName: string;
  readonly protocols: readonly WireProtocol[];
  /** X-Amz-Target prefix for JSON protocols (`IoTAutobahnControlPlane`), or the service name in the CBOR path. */
  readonly targetPrefix?: string;
  /** Smithy service shape name for rpcv2Cbor routing: `/service/<name>/operation/<Op>`. */
  readonly smithyServiceName?: string;
  /** Namespace for `__type` in awsJson1_0 / CBOR errors, e.g. `com.amazonaws.iotfleetwise`. */
  readonly errorNamespace: string;
  /** awsQuery API version, e.g. `2011-06-15`. */
  readonly queryVersion?: string;
  /** Regions the service is offered in; a request signed for another region gets the endpoint error. Undefined = all. */
  readonly regions?: readonly string[];
  /** Name of this service's throttling error and its HTTP status, used by fault injection. */
  readonly throttling: { readonly code: string; readonly status: number };
  /**
   * This service's internal-failure error, used by fault injection (errorRate) and for unexpected handler failures.
   * Default: `InternalServerException` 500 (JSON/CBOR), `InternalFailure` 500 (awsQuery). Organizations: `ServiceException` 500.
   */
  readonly serverError?: { readonly code: string; readonly status: number };
  readonly operations: Readonly<Record<string, OperationHandler>>;
}

/** A modelled AWS error: the core encodes it in the protocol's error format. */
export class AwsServiceError extends Error {
  constructor(
    /** Error shape name, e.g. `ResourceNotFoundException`. */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error shape (resourceId, reason, retryAfterSeconds…). */
    readonly fields: Readonly<Record<string, unknown>> = {},
    /** awsQuery `<Type>`: Sender for client faults, Receiver for server faults. */
    readonly fault: 'client' | 'server' = status >= 500 ? 'server' : 'client',
  ) {
    super(message);
    this.name = code;
  }
}

/** Credentials the identity store knows, and the account/principal they stand for. */
export interface KnownCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
}

/** Looks up the secret for an access key id; the core uses it to verify signatures. */
export interface IdentityStore {
  lookup(accessKeyId: string): KnownCredentials | undefined;
}
