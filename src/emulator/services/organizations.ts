// AWS Organizations as the emulator serves it (awsJson1_1): the organization, its accounts, and CreateAccount with
// its asynchronous status. Input is checked against the model's constraints before anything touches state.
import { AwsServiceError, type OperationContext, type ServiceDefinition } from '../core/types.js';
import {
  CREATE_ACCOUNT_STATES,
  type AccountRecord,
  type AccountState,
  type CreateAccountStatusView,
  type Organization,
} from './organization-state.js';
import { decodePageToken, encodePageToken, readPage } from './pagination.js';
import {
  checkInteger,
  checkString,
  parseInteger,
  serializationError,
  validationMessage,
  type ConstraintKind,
  type Violation,
} from './validation.js';

/** ListAccounts / ListCreateAccountStatus MaxResults bounds and default, in items per page. */
const PAGE_SIZE = { min: 1, max: 20, default: 20 } as const;
/** AWS allows this many CreateAccount requests in progress at once. */
export const MAX_CREATIONS_IN_PROGRESS = 5;
/** Tags a new account may carry. */
const MAX_TAGS_PER_ACCOUNT = 50;

// Constraints of the Organizations model (service-2.json shapes Email, AccountName, RoleName, TagKey, TagValue…).
const ACCOUNT_ID_PATTERN = /\d{12}/;
const CREATE_ACCOUNT_REQUEST_ID_PATTERN = /car-[a-z0-9]{8,32}/;
const EMAIL_PATTERN = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const ACCOUNT_NAME_PATTERN = /[\u0020-\u007E]+/;
const ROLE_NAME_PATTERN = /[\w+=,.@-]{1,64}/;
const TAG_TEXT_PATTERN = /[\p{L}\p{Z}\p{N}_.:/=+\-@]*/u;
/** IAM reserves this prefix for service-linked roles; CreateAccount rejects it with INVALID_ROLE_NAME. */
const RESERVED_ROLE_PREFIX = 'AWSServiceRoleFor';
/** Tag keys with this prefix are AWS's own system tags. */
const SYSTEM_TAG_PREFIX = 'aws:';

/** Which InvalidInputException Reason AWS gives for each broken constraint (a wrong type never gets this far). */
const INVALID_INPUT_REASONS: Record<Exclude<ConstraintKind, 'type'>, string> = {
  required: 'INPUT_REQUIRED',
  minLength: 'MIN_LENGTH_EXCEEDED',
  maxLength: 'MAX_LENGTH_EXCEEDED',
  pattern: 'INVALID_PATTERN',
  enum: 'INVALID_ENUM',
  minValue: 'MIN_VALUE_EXCEEDED',
  maxValue: 'MAX_VALUE_EXCEEDED',
};

/** The deprecated `Status` member, kept for older clients: it knows only three values. */
const LEGACY_ACCOUNT_STATUS: Record<AccountState, string> = {
  ACTIVE: 'ACTIVE',
  PENDING_ACTIVATION: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  PENDING_CLOSURE: 'PENDING_CLOSURE',
  CLOSED: 'SUSPENDED',
};

export function organizationsService(organization: Organization): ServiceDefinition {
  return {
    signingName: 'organizations',
    protocols: ['awsJson1_1'],
    targetPrefix: 'AWSOrganizationsV20161128',
    errorNamespace: 'com.amazonaws.organizations',
    throttling: { code: 'TooManyRequestsException', status: 429 },
    // Organizations names its internal failure ServiceException, not InternalServerException.
    serverError: { code: 'ServiceException', status: 500 },
    operations: {
      DescribeOrganization: (_input, ctx) => describeOrganization(organization, ctx),
      ListAccounts: (input, ctx) => listAccounts(organization, input, ctx),
      DescribeAccount: (input, ctx) => describeAccount(organization, input, ctx),
      CreateAccount: (input, ctx) => createAccount(organization, input, ctx),
      DescribeCreateAccountStatus: (input, ctx) => describeCreateAccountStatus(organization, input, ctx),
      ListCreateAccountStatus: (input, ctx) => listCreateAccountStatus(organization, input, ctx),
    },
  };
}

function describeOrganization(organization: Organization, ctx: OperationContext): Record<string, unknown> {
  requireMembership(organization, ctx);
  const management = organization.management;
  return {
    Organization: {
      Id: organization.id,
      Arn: organization.arn,
      FeatureSet: 'ALL',
      MasterAccountArn: organization.accountArn(management.id),
      MasterAccountId: management.id,
      MasterAccountEmail: management.email,
      AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
    },
  };
}

function listAccounts(organization: Organization, input: Record<string, unknown>, ctx: OperationContext) {
  requireManagementAccount(organization, ctx);
  const pageSize = readMaxResults(input.MaxResults);
  const joined = organization.joinedAccountCount(ctx.now);
  const start = readNextToken(input.NextToken, 'ListAccounts', joined) ?? 0;
  const page = readPage(joined, start, pageSize, (index) => accountOutput(organization, organization.accountAt(index)));
  return { Accounts: page.items, NextToken: nextToken('ListAccounts', page.next) };
}

function describeAccount(organization: Organization, input: Record<string, unknown>, ctx: OperationContext) {
  requireManagementAccount(organization, ctx);
  rejectInvalid([checkString(input.AccountId, 'accountId', { required: true, pattern: ACCOUNT_ID_PATTERN, patternText: '^\\d{12}$' })]);
  const account = organization.findAccount(input.AccountId as string, ctx.now);
  if (account === undefined) {
    throw new AwsServiceError('AccountNotFoundException', "You specified an account that doesn't exist.", 404);
  }
  return { Account: accountOutput(organization, account) };
}

function createAccount(organization: Organization, input: Record<string, unknown>, ctx: OperationContext) {
  requireManagementAccount(organization, ctx);
  rejectInvalid([
    checkString(input.Email, 'email', { required: true, minLength: 6, maxLength: 64, pattern: EMAIL_PATTERN, sensitive: true }),
    checkString(input.AccountName, 'accountName', {
      required: true,
      minLength: 1,
      maxLength: 50,
      pattern: ACCOUNT_NAME_PATTERN,
      patternText: '[\\u0020-\\u007E]+',
      sensitive: true,
    }),
    checkString(input.RoleName, 'roleName', { maxLength: 64, pattern: ROLE_NAME_PATTERN }),
    checkString(input.IamUserAccessToBilling, 'iamUserAccessToBilling', { oneOf: ['ALLOW', 'DENY'] }),
  ]);
  const roleName = input.RoleName as string | undefined;
  if (roleName?.startsWith(RESERVED_ROLE_PREFIX)) {
    throw invalidInput('INVALID_ROLE_NAME', `The role name can't begin with the reserved prefix ${RESERVED_ROLE_PREFIX}.`);
  }
  checkTags(input.Tags);
  // ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED is the reason AWS documents for "you attempted to exceed the number of
  // accounts that can be in progress at a time" — the 5-in-progress limit — rather than ACCOUNT_NUMBER_LIMIT_EXCEEDED,
  // which is the organization's total account quota (that one surfaces as the request's ACCOUNT_LIMIT_EXCEEDED).
  if (organization.creationsInProgress(ctx.now) >= MAX_CREATIONS_IN_PROGRESS) {
    throw new AwsServiceError(
      'ConstraintViolationException',
      `You attempted to exceed the number of accounts that can be in progress at a time (${MAX_CREATIONS_IN_PROGRESS}).`,
      409,
      { Reason: 'ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED' },
    );
  }
  const request = organization.requestAccount(
    { email: input.Email as string, accountName: input.AccountName as string, ...(roleName !== undefined && { roleName }) },
    ctx.now,
  );
  return { CreateAccountStatus: createAccountStatusOutput(organization.statusOf(request, ctx.now)) };
}

function describeCreateAccountStatus(organization: Organization, input: Record<string, unknown>, ctx: OperationContext) {
  requireManagementAccount(organization, ctx);
  rejectInvalid([
    checkString(input.CreateAccountRequestId, 'createAccountRequestId', {
      required: true,
      pattern: CREATE_ACCOUNT_REQUEST_ID_PATTERN,
      patternText: '^car-[a-z0-9]{8,32}$',
    }),
  ]);
  const request = organization.findCreationRequest(input.CreateAccountRequestId as string);
  if (request === undefined) {
    throw new AwsServiceError(
      'CreateAccountStatusNotFoundException',
      "We can't find a create account request with the CreateAccountRequestId that you specified.",
      404,
    );
  }
  return { CreateAccountStatus: createAccountStatusOutput(organization.statusOf(request, ctx.now)) };
}

function listCreateAccountStatus(organization: Organization, input: Record<string, unknown>, ctx: OperationContext) {
  requireManagementAccount(organization, ctx);
  const states = readStates(input.States);
  const pageSize = readMaxResults(input.MaxResults);
  const total = organization.creationRequestCount;
  const start = readNextToken(input.NextToken, 'ListCreateAccountStatus', total) ?? 0;
  const page = readPage(total, start, pageSize, (index) => {
    const status = organization.statusOf(organization.creationRequestAt(index), ctx.now);
    return states === undefined || states.has(status.state) ? createAccountStatusOutput(status) : undefined;
  });
  return { CreateAccountStatuses: page.items, NextToken: nextToken('ListCreateAccountStatus', page.next) };
}

/** Organizations operations answer only accounts that belong to the organization. */
function requireMembership(organization: Organization, ctx: OperationContext): void {
  if (!organization.includes(ctx.caller.accountId, ctx.now)) {
    throw new AwsServiceError(
      'AWSOrganizationsNotInUseException',
      "Your account is not a member of an organization.",
      404,
    );
  }
}

/** Account directory and account creation belong to the management account; members are denied. */
function requireManagementAccount(organization: Organization, ctx: OperationContext): void {
  requireMembership(organization, ctx);
  if (!organization.isManagementAccount(ctx.caller.accountId)) {
    throw new AwsServiceError('AccessDeniedException', "You don't have permissions to access this resource.", 403);
  }
}

function accountOutput(organization: Organization, account: AccountRecord): Record<string, unknown> {
  return {
    Id: account.id,
    Arn: organization.accountArn(account.id),
    Email: account.email,
    Name: account.name,
    Status: LEGACY_ACCOUNT_STATUS[account.state],
    State: account.state,
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: account.joinedAt,
  };
}

function createAccountStatusOutput(status: CreateAccountStatusView): Record<string, unknown> {
  return {
    Id: status.id,
    AccountName: status.accountName,
    State: status.state,
    RequestedTimestamp: status.requestedAt,
    CompletedTimestamp: status.completedAt,
    AccountId: status.accountId,
    FailureReason: status.failureReason,
  };
}

function checkTags(tags: unknown): void {
  if (tags === undefined || tags === null) return;
  if (!Array.isArray(tags)) throw serializationError("Value at 'tags' must be a list of tags.");
  if (tags.length > MAX_TAGS_PER_ACCOUNT) {
    throw new AwsServiceError(
      'ConstraintViolationException',
      `You have exceeded the number of tags allowed on this resource (${MAX_TAGS_PER_ACCOUNT}).`,
      409,
      { Reason: 'MAX_TAG_LIMIT_EXCEEDED' },
    );
  }
  const keys = new Set<string>();
  tags.forEach((tag: unknown, index) => {
    const path = `tags.${index + 1}.member`;
    const { Key: key, Value: value } = (typeof tag === 'object' && tag !== null ? tag : {}) as Record<string, unknown>;
    rejectInvalid([
      checkString(key, `${path}.key`, { required: true, minLength: 1, maxLength: 128, pattern: TAG_TEXT_PATTERN }),
      checkString(value, `${path}.value`, { required: true, minLength: 0, maxLength: 256, pattern: TAG_TEXT_PATTERN }),
    ]);
    const tagKey = key as string;
    if (tagKey.toLowerCase().startsWith(SYSTEM_TAG_PREFIX)) {
      throw invalidInput('INVALID_SYSTEM_TAGS_PARAMETER', `The tag key ${tagKey} is reserved for AWS use.`);
    }
    if (keys.has(tagKey)) throw invalidInput('DUPLICATE_TAG_KEY', `The tag key ${tagKey} appears more than once.`);
    keys.add(tagKey);
  });
}

function readStates(value: unknown): Set<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError("Value at 'states' must be a list of states.");
  rejectInvalid(
    value.map((state: unknown, index) => checkString(state, `states.${index + 1}.member`, { oneOf: CREATE_ACCOUNT_STATES })),
  );
  return new Set(value as string[]);
}

function readMaxResults(value: unknown): number {
  rejectInvalid([checkInteger(value, 'maxResults', { min: PAGE_SIZE.min, max: PAGE_SIZE.max })]);
  return parseInteger(value) ?? PAGE_SIZE.default;
}

function readNextToken(value: unknown, operation: string, limit: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const position = typeof value === 'string' ? decodePageToken(operation, value) : undefined;
  if (position === undefined || position > limit) {
    throw invalidInput('INVALID_NEXT_TOKEN', 'The provided pagination token is not valid.');
  }
  return position;
}

function nextToken(operation: string, position: number | undefined): string | undefined {
  return position === undefined ? undefined : encodePageToken(operation, position);
}

/** The first violation names the Reason; the message lists them all, as AWS's validation does. */
function rejectInvalid(checks: readonly (Violation | undefined)[]): void {
  const found = checks.filter((check): check is Violation => check !== undefined);
  const first = found[0];
  if (first === undefined) return;
  if (first.kind === 'type') throw serializationError(first.message);
  throw invalidInput(INVALID_INPUT_REASONS[first.kind], validationMessage(found));
}

function invalidInput(reason: string, message: string): AwsServiceError {
  return new AwsServiceError('InvalidInputException', message, 400, { Reason: reason });
}
