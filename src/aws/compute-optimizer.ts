// AWS Compute Optimizer enrollment. Enrollment is per account, so these are regional calls in the configured
// region, made in the account itself (a member through its member role) — except the organization-wide scan,
// which the management account answers for every member in pages of up to 1000.
import {
  GetEnrollmentStatusCommand,
  GetEnrollmentStatusesForOrganizationCommand,
  UpdateEnrollmentStatusCommand,
} from '@aws-sdk/client-compute-optimizer';
import type { AwsContext } from './context.js';
import { collectPages, defined, required } from './response.js';
import type { EnrollmentStatusRecord, UpdateEnrollmentParams } from './types.js';

const SERVICE = 'compute-optimizer';
/** GetEnrollmentStatusesForOrganization accepts maxResults 0–1000: one page answers 1,000 members. */
export const ORGANIZATION_ENROLLMENT_PAGE_SIZE = 1_000;

/** GetEnrollmentStatus in the account itself. */
export async function getEnrollmentStatus(ctx: AwsContext, accountId: string): Promise<EnrollmentStatusRecord> {
  const target = { service: SERVICE, operation: 'GetEnrollmentStatus', region: ctx.region, accountId };
  const access = await ctx.accountAccess(accountId);
  const output = await ctx.callAws(target, (options) =>
    ctx.clients.computeOptimizer(access).send(new GetEnrollmentStatusCommand({}), options),
  );
  return defined({
    accountId,
    status: required(output.status, 'status', target),
    statusReason: output.statusReason,
    memberAccountsEnrolled: output.memberAccountsEnrolled,
    numberOfMemberAccountsOptedIn: output.numberOfMemberAccountsOptedIn,
    lastUpdatedTimestamp: output.lastUpdatedTimestamp,
  });
}

/** Every member account's enrollment, from the management account (denied anywhere else). */
export async function listOrganizationEnrollmentStatuses(ctx: AwsContext): Promise<EnrollmentStatusRecord[]> {
  const target = { service: SERVICE, operation: 'GetEnrollmentStatusesForOrganization', region: ctx.region };
  const management = await ctx.accountAccess(await ctx.callerAccountId());
  const entries = await collectPages(async (token) => {
    const page = await ctx.callAws(target, (options) =>
      ctx.clients
        .computeOptimizer(management)
        .send(new GetEnrollmentStatusesForOrganizationCommand({ maxResults: ORGANIZATION_ENROLLMENT_PAGE_SIZE, nextToken: token }), options),
    );
    return { items: page.accountEnrollmentStatuses, nextToken: page.nextToken };
  });
  return entries.map((entry) =>
    defined({
      accountId: required(entry.accountId, 'accountEnrollmentStatuses.accountId', target),
      status: required(entry.status, 'accountEnrollmentStatuses.status', target),
      statusReason: entry.statusReason,
      lastUpdatedTimestamp: entry.lastUpdatedTimestamp,
    }),
  );
}

/** UpdateEnrollmentStatus in the account itself. */
export async function updateEnrollmentStatus(
  ctx: AwsContext,
  params: UpdateEnrollmentParams,
): Promise<EnrollmentStatusRecord> {
  const { accountId } = params;
  const target = { service: SERVICE, operation: 'UpdateEnrollmentStatus', region: ctx.region, accountId };
  const access = await ctx.accountAccess(accountId);
  const output = await ctx.callAws(target, () =>
    ctx.clients
      .computeOptimizer(access)
      .send(new UpdateEnrollmentStatusCommand({ status: params.status, includeMemberAccounts: params.includeMemberAccounts })),
  );
  return defined({
    accountId,
    status: required(output.status, 'status', target),
    statusReason: output.statusReason,
  });
}
