// AWS STS as the emulator serves it (awsQuery): who am I, and AssumeRole into a member account's role. Only the
// management account may assume a member's role, as OrganizationAccountAccessRole trusts only it on AWS.
import { AwsServiceError, type OperationContext, type ServiceDefinition } from '../core/types.js';
import type { IdentityRegistry } from './identity.js';
import type { Organization } from './organization-state.js';
import { checkInteger, checkString, parseInteger, validationMessage, violations } from './validation.js';

/** AssumeRole DurationSeconds bounds and default, in seconds (the member roles allow the 12-hour maximum). */
const SESSION_DURATION_SECONDS = { min: 900, max: 43_200, default: 3_600 } as const;
const ROLE_ARN_LENGTH = { min: 20, max: 2048 } as const;
const ROLE_SESSION_NAME_PATTERN = /[\w+=,.@-]*/;
/**
 * States in which AWS lets no one into an account (the Organizations guide's account states): a suspended account is
 * locked by AWS, and one closing or closed is on its way out. Nothing in them can be read or changed through a role.
 */
const LOCKED_ACCOUNT_STATES = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);
/** `arn:aws:iam::<account>:role/<optional path/><name>` */
const ROLE_ARN_PARTS = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;

export function stsService(organization: Organization, identity: IdentityRegistry): ServiceDefinition {
  return {
    signingName: 'sts',
    protocols: ['awsQuery'],
    queryVersion: '2011-06-15',
    errorNamespace: 'com.amazonaws.sts',
    throttling: { code: 'Throttling', status: 400 },
    operations: {
      GetCallerIdentity: (_input, ctx) => ({
        UserId: ctx.caller.userId,
        Account: ctx.caller.accountId,
        Arn: ctx.caller.arn,
      }),
      AssumeRole: (input, ctx) => assumeRole(organization, identity, input, ctx),
    },
  };
}

function assumeRole(
  organization: Organization,
  identity: IdentityRegistry,
  input: Record<string, unknown>,
  ctx: OperationContext,
): Record<string, unknown> {
  const found = violations(
    checkString(input.RoleArn, 'roleArn', { required: true, minLength: ROLE_ARN_LENGTH.min, maxLength: ROLE_ARN_LENGTH.max }),
    checkString(input.RoleSessionName, 'roleSessionName', {
      required: true,
      minLength: 2,
      maxLength: 64,
      pattern: ROLE_SESSION_NAME_PATTERN,
    }),
    checkInteger(input.DurationSeconds, 'durationSeconds', {
      min: SESSION_DURATION_SECONDS.min,
      max: SESSION_DURATION_SECONDS.max,
    }),
  );
  if (found.length > 0) throw validationError(validationMessage(found));
  const roleArn = input.RoleArn as string;
  const sessionName = input.RoleSessionName as string;
  const parts = ROLE_ARN_PARTS.exec(roleArn);
  if (parts === null) throw validationError(`${roleArn} is invalid`);
  const [, accountId, roleName] = parts as unknown as [string, string, string];

  const target = organization.findAccount(accountId, ctx.now);
  const mayAssume =
    organization.isManagementAccount(ctx.caller.accountId) &&
    target !== undefined &&
    !organization.isManagementAccount(target.id) &&
    !LOCKED_ACCOUNT_STATES.has(target.state) &&
    target.memberRoleName === roleName;
  if (!mayAssume) {
    throw new AwsServiceError(
      'AccessDenied',
      `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  }

  const session = identity.issueSession({
    accountId,
    roleName,
    sessionName,
    durationSeconds: parseInteger(input.DurationSeconds) ?? SESSION_DURATION_SECONDS.default,
    now: ctx.now,
  });
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration,
    },
    AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
  };
}

function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', message, 400);
}
