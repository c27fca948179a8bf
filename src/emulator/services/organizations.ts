// AWS Organizations as the emulator serves it (awsJson1_1): the organization, its accounts, and CreateAccount with
// its asynchronous status. Input is checked against the model's constraints before anything touches state.
import { AwsServiceError, type OperationContext, type ServiceDefinition } from '../core/types.js';
import { CREATE_ACCOUNT_STATES, type CreateAccountStatusView, type Organization } from './organization-state.js';
import type { OrganizationTree } from './organization-tree.js';
import { organizationTreeOperations } from './organizations-structure.js';
import { organizationsTagOperations } from './organizations-tags.js';
import {
  ACCOUNT_ID_PATTERN,
  accountOutput,
  checkTags,
  invalidInput,
  nextToken,
  readMaxResults,
  readNextToken,
  rejectInvalid,
  requireManagementAccount,
  requireMembership,
  type AccountOutputOptions,
} from './organizations-input.js';
import { readPage } from './pagination.js';
import { checkString, serializationError } from './validation.js';

/** AWS allows this many CreateAccount requests in progress at once. */
export const MAX_CREATIONS_IN_PROGRESS = 5;

// Constraints of the Organizations model (service-2.json shapes Email, AccountName, RoleName, TagKey, TagValue…).
const CREATE_ACCOUNT_REQUEST_ID_PATTERN = /car-[a-z0-9]{8,32}/;
const EMAIL_PATTERN = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const ACCOUNT_NAME_PATTERN = /[\u0020-\u007E]+/;
const ROLE_NAME_PATTERN = /[\w+=,.@-]{1,64}/;
/** IAM reserves this prefix for service-linked roles; CreateAccount rejects it with INVALID_ROLE_NAME. */
const RESERVED_ROLE_PREFIX = 'AWSServiceRoleFor';


export function organizationsService(
  organization: Organization,
  tree: OrganizationTree,
  options: AccountOutputOptions,
): ServiceDefinition {
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
      ListAccounts: (input, ctx) => listAccounts(organization, tree, options, input, ctx),
      DescribeAccount: (input, ctx) => describeAccount(organization, tree, options, input, ctx),
      CreateAccount: (input, ctx) => createAccount(organization, tree, input, ctx),
      DescribeCreateAccountStatus: (input, ctx) => describeCreateAccountStatus(organization, input, ctx),
      ListCreateAccountStatus: (input, ctx) => listCreateAccountStatus(organization, input, ctx),
      ...organizationTreeOperations(organization, tree, options),
      ...organizationsTagOperations(organization, tree),
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

function listAccounts(
  organization: Organization,
  tree: OrganizationTree,
  options: AccountOutputOptions,
  input: Record<string, unknown>,
  ctx: OperationContext,
) {
  requireManagementAccount(organization, ctx);
  const pageSize = readMaxResults(input.MaxResults);
  const joined = organization.joinedAccountCount(ctx.now);
  const start = readNextToken(input.NextToken, 'ListAccounts', joined) ?? 0;
  const page = readPage(joined, start, pageSize, (index) =>
    accountOutput(organization, tree, organization.accountAt(index), options),
  );
  return { Accounts: page.items, NextToken: nextToken('ListAccounts', page.next) };
}

function describeAccount(
  organization: Organization,
  tree: OrganizationTree,
  options: AccountOutputOptions,
  input: Record<string, unknown>,
  ctx: OperationContext,
) {
  requireManagementAccount(organization, ctx);
  rejectInvalid([checkString(input.AccountId, 'accountId', { required: true, pattern: ACCOUNT_ID_PATTERN, patternText: '^\\d{12}$' })]);
  const account = organization.findAccount(input.AccountId as string, ctx.now);
  if (account === undefined) {
    throw new AwsServiceError('AccountNotFoundException', "You specified an account that doesn't exist.", 404);
  }
  return { Account: accountOutput(organization, tree, account, options) };
}

function createAccount(organization: Organization, tree: OrganizationTree, input: Record<string, unknown>, ctx: OperationContext) {
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
  const tags = checkTags(input.Tags);
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
  // The tags go on the account the request will create; it carries them from the moment it joins.
  if (request.outcome.state === 'SUCCEEDED' && tags.length > 0) tree.tag(request.outcome.accountId, tags);
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

function readStates(value: unknown): Set<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError("Value at 'states' must be a list of states.");
  rejectInvalid(
    value.map((state: unknown, index) => checkString(state, `states.${index + 1}.member`, { oneOf: CREATE_ACCOUNT_STATES })),
  );
  return new Set(value as string[]);
}

