// Small services and identities the emulator-core tests run on: each speaks one wire protocol the way the real
// service does, and records the inputs and callers its operations receive.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { type AwsCredentialIdentity, type SourceData } from '@smithy/types';
import { type EmulatorRequest } from '../../../src/emulator/core/exchange.js';
import { AwsServiceError, type Caller, type IdentityStore, type KnownCredentials, type OperationContext, type ServiceDefinition } from '../../../src/emulator/core/types.js';

export const MANAGEMENT_ACCOUNT_ID = '000000000000';
export const MEMBER_ACCOUNT_ID = '111111111111';
/** LocalStack's management-account credentials. */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** An identity store with `test`/`test` and temporary credentials added by the test. */
export class TestIdentity implements IdentityStore {
  readonly #credentials = new Map<string, KnownCredentials>();

  constructor() {
    this.add({
      ...TEST_CREDENTIALS,
      accountId: MANAGEMENT_ACCOUNT_ID,
      arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root`,
      userId: MANAGEMENT_ACCOUNT_ID,
    });
  }

  add(credentials: KnownCredentials): void {
    this.#credentials.set(credentials.accessKeyId, credentials);
  }

  /** Temporary credentials of a member-account role session, valid until `expiration`. */
  addSession(expiration: Date): KnownCredentials & { sessionToken: string } {
    const session = {
      accessKeyId: 'ASIATESTSESSION0001',
      secretAccessKey: 'session-secret',
      sessionToken: 'session-token-0001',
      expiration,
      accountId: MEMBER_ACCOUNT_ID,
      arn: `arn:aws:sts::${MEMBER_ACCOUNT_ID}:assumed-role/OrganizationAccountAccessRole/test`,
      userId: 'AROATESTROLE:test',
    };
    this.add(session);
    return session;
  }

  lookup(accessKeyId: string): KnownCredentials | undefined {
    return this.#credentials.get(accessKeyId);
  }
}

export interface RecordedCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly caller: Caller;
  readonly now: Date;
}

/** A fixed instant with milliseconds, so encoders must keep fractional seconds. */
export const LAST_UPDATED = new Date('2024-03-01T12:34:56.789Z');

/** Compute Optimizer as the JS SDK (awsJson1_0) and the AWS CLI (rpcv2Cbor) see it. */
export function computeOptimizerService(calls: RecordedCall[] = []): ServiceDefinition {
  return {
    signingName: 'compute-optimizer',
    protocols: ['awsJson1_0', 'rpcv2Cbor'],
    targetPrefix: 'ComputeOptimizerService',
    smithyServiceName: 'ComputeOptimizerService',
    errorNamespace: 'com.amazonaws.computeoptimizer',
    throttling: { code: 'ThrottlingException', status: 429 },
    operations: {
      GetEnrollmentStatus: recording(calls, 'GetEnrollmentStatus', () => ({
        status: 'Active',
        statusReason: undefined,
        memberAccountsEnrolled: true,
        lastUpdatedTimestamp: LAST_UPDATED,
        numberOfMemberAccountsOptedIn: 7,
      })),
      GetEnrollmentStatusesForOrganization: recording(calls, 'GetEnrollmentStatusesForOrganization', (input) => {
        if (input.maxResults !== undefined && (typeof input.maxResults !== 'number' || input.maxResults > 1000)) {
          throw new AwsServiceError('InvalidParameterValueException', 'maxResults must be between 0 and 1000.', 400);
        }
        return {
          accountEnrollmentStatuses: [
            { accountId: MEMBER_ACCOUNT_ID, status: 'Active', lastUpdatedTimestamp: LAST_UPDATED },
            { accountId: '222222222222', status: 'Inactive', statusReason: undefined, lastUpdatedTimestamp: LAST_UPDATED },
          ],
        };
      }),
      UpdateEnrollmentStatus: recording(calls, 'UpdateEnrollmentStatus', (_input, ctx) => {
        if (ctx.caller.accountId !== MANAGEMENT_ACCOUNT_ID) {
          throw new AwsServiceError('AccessDeniedException', 'Only the management account may do this.', 403);
        }
        return { status: 'Pending', statusReason: 'Enrolling' };
      }),
    },
  };
}

/** IoT FleetWise: awsJson1_0, offered in three regions only. */
export function fleetwiseService(calls: RecordedCall[] = []): ServiceDefinition {
  return {
    signingName: 'iotfleetwise',
    protocols: ['awsJson1_0'],
    targetPrefix: 'IoTAutobahnControlPlane',
    errorNamespace: 'com.amazonaws.iotfleetwise',
    regions: ['us-east-1', 'eu-central-1', 'ap-south-1'],
    throttling: { code: 'ThrottlingException', status: 429 },
    operations: {
      GetRegisterAccountStatus: recording(calls, 'GetRegisterAccountStatus', (_input, ctx) => {
        if (ctx.caller.accountId !== MANAGEMENT_ACCOUNT_ID) {
          throw new AwsServiceError('ResourceNotFoundException', 'Account is not registered.', 404, {
            resourceId: ctx.caller.accountId,
            resourceType: 'account',
          });
        }
        return {
          customerAccountId: ctx.caller.accountId,
          accountStatus: 'REGISTRATION_SUCCESS',
          iamRegistrationResponse: { roleArn: `arn:aws:iam::${ctx.caller.accountId}:role/FleetWise`, registrationStatus: 'REGISTRATION_SUCCESS' },
          creationTime: LAST_UPDATED,
          lastModificationTime: LAST_UPDATED,
        };
      }),
    },
  };
}

/** Organizations: awsJson1_1, throttles with a 400 TooManyRequestsException, fails with ServiceException. */
export function organizationsService(calls: RecordedCall[] = []): ServiceDefinition {
  return {
    signingName: 'organizations',
    protocols: ['awsJson1_1'],
    targetPrefix: 'AWSOrganizationsV20161128',
    errorNamespace: 'com.amazonaws.organizations',
    throttling: { code: 'TooManyRequestsException', status: 400 },
    serverError: { code: 'ServiceException', status: 500 },
    operations: {
      DescribeOrganization: recording(calls, 'DescribeOrganization', () => ({
        Organization: {
          Id: 'o-exampleorgid',
          Arn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT_ID}:organization/o-exampleorgid`,
          FeatureSet: 'ALL',
          MasterAccountId: MANAGEMENT_ACCOUNT_ID,
        },
      })),
      DescribeCreateAccountStatus: recording(calls, 'DescribeCreateAccountStatus', (input) => {
        throw new AwsServiceError('CreateAccountStatusNotFoundException', `No request ${String(input.CreateAccountRequestId)}.`, 400);
      }),
      ListAccounts: recording(calls, 'ListAccounts', () => {
        throw new Error('a bug in the service model');
      }),
    },
  };
}

/** STS: awsQuery with XML answers. */
export function stsService(calls: RecordedCall[] = []): ServiceDefinition {
  return {
    signingName: 'sts',
    protocols: ['awsQuery'],
    errorNamespace: 'com.amazonaws.sts',
    queryVersion: '2011-06-15',
    throttling: { code: 'Throttling', status: 400 },
    operations: {
      GetCallerIdentity: recording(calls, 'GetCallerIdentity', (_input, ctx) => ({
        UserId: ctx.caller.userId,
        Account: ctx.caller.accountId,
        Arn: ctx.caller.arn,
      })),
      AssumeRole: recording(calls, 'AssumeRole', (input, ctx) => {
        if (!String(input.RoleArn).startsWith('arn:aws:iam::')) {
          throw new AwsServiceError('MalformedPolicyDocument', 'Role ARN & name <invalid>.', 400);
        }
        return {
          Credentials: {
            AccessKeyId: 'ASIAASSUMED',
            SecretAccessKey: 'secret',
            SessionToken: 'token',
            Expiration: new Date(ctx.now.getTime() + Number(input.DurationSeconds ?? 3600) * 1000),
          },
          AssumedRoleUser: { AssumedRoleId: `AROA:${String(input.RoleSessionName)}`, Arn: `arn:aws:sts::${MEMBER_ACCOUNT_ID}:assumed-role/R/${String(input.RoleSessionName)}` },
        };
      }),
    },
  };
}

export function allTestServices(calls: RecordedCall[] = []): ServiceDefinition[] {
  return [computeOptimizerService(calls), fleetwiseService(calls), organizationsService(calls), stsService(calls)];
}

function recording(
  calls: RecordedCall[],
  operation: string,
  handler: (input: Record<string, unknown>, ctx: OperationContext) => Record<string, unknown>,
) {
  return (input: Record<string, unknown>, ctx: OperationContext) => {
    calls.push({ operation, input, caller: ctx.caller, now: ctx.now });
    return handler(input, ctx);
  };
}

/** SHA-256 in the shape @smithy/signature-v4 asks for, on node:crypto. */
export class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export interface SigningOptions {
  readonly service: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default TEST_CREDENTIALS */
  readonly credentials?: AwsCredentialIdentity;
  /** @default now */
  readonly signingDate?: Date;
  /** What the client will send as Host. @default 'localhost:4566' */
  readonly host?: string;
}

export interface UnsignedRequest {
  readonly method?: string;
  /** @default '/' */
  readonly path?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

/** Signs a request with @smithy/signature-v4, as every AWS SDK and the AWS CLI do, in the emulator core's request shape. */
export async function signRequest(request: UnsignedRequest, options: SigningOptions): Promise<EmulatorRequest> {
  const host = options.host ?? 'localhost:4566';
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : (request.body ?? new Uint8Array());
  const signer = new SignatureV4({
    service: options.service,
    region: options.region ?? 'us-east-1',
    credentials: options.credentials ?? TEST_CREDENTIALS,
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method ?? 'POST',
      protocol: 'http:',
      hostname: host.split(':')[0],
      path: request.path ?? '/',
      query: request.query ?? {},
      headers: { host, ...request.headers },
      body,
    }),
    { signingDate: options.signingDate },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  const query = new URLSearchParams(request.query ?? {}).toString();
  return { method: signed.method, path: `${request.path ?? '/'}${query ? `?${query}` : ''}`, headers, body };
}

/** Sends a signed request to a running emulator with fetch, and returns the raw answer. */
export async function signedFetch(endpoint: string, request: UnsignedRequest, options: Omit<SigningOptions, 'host'>): Promise<Response> {
  const url = new URL(endpoint);
  const signed = await signRequest(request, { ...options, host: url.host });
  const headers = { ...signed.headers } as Record<string, string>;
  delete headers.host; // fetch sends the same Host itself and refuses to be told
  return fetch(`${endpoint}${signed.path}`, {
    method: signed.method,
    headers,
    body: signed.method === 'GET' ? undefined : signed.body,
  });
}
