// AWS Organizations, always from the management account with the base credentials. The list operations page
// 20 at a time (the API's maximum) and sequentially: each page needs the previous page's NextToken.
import {
  CreateAccountCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListCreateAccountStatusCommand,
  type Account,
  type CreateAccountStatus,
} from '@aws-sdk/client-organizations';
import { ORGANIZATIONS_REGION } from './clients.js';
import type { AwsContext } from './context.js';
import type { CallTarget } from './errors.js';
import { collectPages, defined, nullWhen, required } from './response.js';
import type { CreateAccountParams, CreateAccountStatusRecord, ListAccountsOptions, OrgAccount, OrganizationInfo } from './types.js';

const SERVICE = 'organizations';
/** ListAccounts and ListCreateAccountStatus accept MaxResults 1–20. */
export const ORGANIZATIONS_PAGE_SIZE = 20;

const NOT_IN_ORGANIZATION = 'AWSOrganizationsNotInUseException';
const ACCOUNT_NOT_FOUND = 'AccountNotFoundException';
const CREATE_ACCOUNT_STATUS_NOT_FOUND = 'CreateAccountStatusNotFoundException';

const targetOf = (operation: string): CallTarget => ({ service: SERVICE, operation, region: ORGANIZATIONS_REGION });

/** The caller's organization, or null when the caller's account is in none. */
export async function describeOrganization(ctx: AwsContext): Promise<OrganizationInfo | null> {
  const target = targetOf('DescribeOrganization');
  const output = await nullWhen(NOT_IN_ORGANIZATION, () =>
    ctx.callAws(target, (options) => ctx.clients.organizations().send(new DescribeOrganizationCommand({}), options), {
      answerCodes: [NOT_IN_ORGANIZATION],
    }),
  );
  if (output === null) return null;
  const organization = required(output.Organization, 'Organization', target);
  return defined({
    id: required(organization.Id, 'Organization.Id', target),
    arn: required(organization.Arn, 'Organization.Arn', target),
    featureSet: required(organization.FeatureSet, 'Organization.FeatureSet', target),
    managementAccountId: required(organization.MasterAccountId, 'Organization.MasterAccountId', target),
    managementAccountArn: required(organization.MasterAccountArn, 'Organization.MasterAccountArn', target),
    managementAccountEmail: organization.MasterAccountEmail,
  });
}

export async function listAccounts(ctx: AwsContext, { onPage }: ListAccountsOptions = {}): Promise<OrgAccount[]> {
  const target = targetOf('ListAccounts');
  return collectPages(async (token) => {
    const page = await ctx.callAws(target, (options) =>
      ctx.clients.organizations().send(new ListAccountsCommand({ MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken: token }), options),
    );
    const accounts = (page.Accounts ?? []).map((account) => toOrgAccount(account, target));
    onPage?.(accounts);
    return { items: accounts, nextToken: page.NextToken };
  });
}

/** One account of the organization, or null when it is not in the organization. */
export async function describeAccount(ctx: AwsContext, accountId: string): Promise<OrgAccount | null> {
  const target = { ...targetOf('DescribeAccount'), accountId };
  const output = await nullWhen(ACCOUNT_NOT_FOUND, () =>
    ctx.callAws(
      target,
      (options) => ctx.clients.organizations().send(new DescribeAccountCommand({ AccountId: accountId }), options),
      { answerCodes: [ACCOUNT_NOT_FOUND] },
    ),
  );
  return output === null ? null : toOrgAccount(required(output.Account, 'Account', target), target);
}

export async function listCreateAccountStatuses(ctx: AwsContext): Promise<CreateAccountStatusRecord[]> {
  const target = targetOf('ListCreateAccountStatus');
  const statuses = await collectPages(async (token) => {
    const page = await ctx.callAws(target, (options) =>
      ctx.clients
        .organizations()
        .send(new ListCreateAccountStatusCommand({ MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken: token }), options),
    );
    return { items: page.CreateAccountStatuses, nextToken: page.NextToken };
  });
  return statuses.map((status) => toCreateAccountStatus(status, target));
}

/** One creation request, or null when no request has that id. */
export async function describeCreateAccountStatus(
  ctx: AwsContext,
  requestId: string,
): Promise<CreateAccountStatusRecord | null> {
  const target = targetOf('DescribeCreateAccountStatus');
  const output = await nullWhen(CREATE_ACCOUNT_STATUS_NOT_FOUND, () =>
    ctx.callAws(
      target,
      (options) =>
        ctx.clients
          .organizations()
          .send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: requestId }), options),
      { answerCodes: [CREATE_ACCOUNT_STATUS_NOT_FOUND] },
    ),
  );
  if (output === null) return null;
  return toCreateAccountStatus(required(output.CreateAccountStatus, 'CreateAccountStatus', target), target);
}

/**
 * Starts an account creation. Sent exactly once, on a client whose SDK retries are off: CreateAccount has no
 * idempotency token, so a retry after a lost response could create a second account. Callers that need
 * idempotency must find the first request (ListCreateAccountStatus) before asking again.
 */
export async function createAccount(ctx: AwsContext, params: CreateAccountParams): Promise<CreateAccountStatusRecord> {
  const target = targetOf('CreateAccount');
  const output = await ctx.callAws(target, () =>
    ctx.clients.organizationsSingleAttempt().send(
      new CreateAccountCommand({
        Email: params.email,
        AccountName: params.accountName,
        RoleName: params.roleName,
        IamUserAccessToBilling: params.iamUserAccessToBilling,
        Tags: params.tags?.map(({ key, value }) => ({ Key: key, Value: value })),
      }),
    ),
  );
  return toCreateAccountStatus(required(output.CreateAccountStatus, 'CreateAccountStatus', target), target);
}

function toOrgAccount(account: Account, target: CallTarget): OrgAccount {
  return defined({
    id: required(account.Id, 'Account.Id', target),
    arn: account.Arn,
    email: account.Email,
    name: account.Name,
    state: account.State,
    status: account.Status,
    joinedMethod: account.JoinedMethod,
    joinedTimestamp: account.JoinedTimestamp,
    paths: account.Paths,
  });
}

function toCreateAccountStatus(status: CreateAccountStatus, target: CallTarget): CreateAccountStatusRecord {
  return defined({
    id: required(status.Id, 'CreateAccountStatus.Id', target),
    accountName: status.AccountName,
    state: required(status.State, 'CreateAccountStatus.State', target),
    requestedTimestamp: status.RequestedTimestamp,
    completedTimestamp: status.CompletedTimestamp,
    accountId: status.AccountId,
    govCloudAccountId: status.GovCloudAccountId,
    failureReason: status.FailureReason,
  });
}
