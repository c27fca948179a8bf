// Mutations that start changes in AWS. Inputs are validated before any call (class-validator rules on the input
// classes, run by validation.ts); AWS refusals come back as typed GraphQL errors.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GraphQLError } from 'graphql';
import {
  IdempotencyKeyPendingError,
  IdempotencyKeyReusedError,
  IdempotencyStoreUnavailableError,
  isUpstreamFailure,
} from '../../status/index.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput, ErrorCode, orFieldError } from '../errors.js';
import { CreateAccountInput } from '../inputs/create-account.input.js';
import { RegisterFleetwiseAccountInput, ROLE_ARN_PATTERN } from '../inputs/register-fleetwise-account.input.js';
import { EnrollmentTarget, UpdateComputeOptimizerEnrollmentInput } from '../inputs/update-compute-optimizer-enrollment.input.js';
import { ComputeOptimizerEnrollment } from '../types/compute-optimizer-enrollment.type.js';
import { CreateAccountRequest } from '../types/create-account-request.type.js';
import { FleetwiseRegistration } from '../types/fleetwise-registration.type.js';
import { accountIdsOrThrow, fleetwiseRegionOrThrow, MAX_ACCOUNT_IDS } from '../argument-rules.js';
import { AccountIdScalar } from '../scalars.js';

@Resolver()
export class MutationResolver {
  @Mutation(() => FleetwiseRegistration, {
    description:
      'Registers the account with IoT FleetWise in a region (RegisterAccount, in that account). Answers ' +
      'REGISTRATION_PENDING; follow it with accountStatusChanged.',
  })
  async registerFleetwiseAccount(
    @Arg('input', () => RegisterFleetwiseAccountInput, { description: 'The account, region and IAM role to register.' }) input: RegisterFleetwiseAccountInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<FleetwiseRegistration> {
    const region = fleetwiseRegionOrThrow(ctx, input.region, 'input.region');
    // RegisterAccount runs in the account and FleetWise assumes the role there: a role of another account is refused
    // by AWS only after the call, or worse, trusted by mistake.
    const roleAccount = roleAccountOf(input.iamRoleArn);
    if (roleAccount !== undefined && roleAccount !== input.accountId) {
      throw badUserInput(`input.iamRoleArn must be a role in account ${input.accountId}, the account being registered.`, 'input.iamRoleArn');
    }
    // An account outside the organization is NOT_FOUND before any call in it.
    await orFieldError(ctx.reader.requireMembers([input.accountId]));
    const registered = await orFieldError(
      ctx.services.status.registerFleetwise({
        accountId: input.accountId,
        region,
        iamRoleArn: input.iamRoleArn,
        ...(input.timestream
          ? { timestream: { databaseName: input.timestream.databaseName, tableName: input.timestream.tableName } }
          : {}),
      }, { caller: ctx.caller }),
    );
    return FleetwiseRegistration.from(registered);
  }

  @Mutation(() => ComputeOptimizerEnrollment, {
    description: 'Opts the account in to or out of Compute Optimizer (UpdateEnrollmentStatus, in that account).',
  })
  async updateComputeOptimizerEnrollment(
    @Arg('input', () => UpdateComputeOptimizerEnrollmentInput, { description: 'The account and the status to set.' }) input: UpdateComputeOptimizerEnrollmentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ComputeOptimizerEnrollment> {
    // Only the management account can enroll its members; learnt at start, so checking costs no AWS call.
    if (input.includeMemberAccounts && input.accountId !== (await orFieldError(ctx.reader.viewerAccountId()))) {
      throw badUserInput(
        'input.includeMemberAccounts applies to the management account only; this account is a member: leave it false.',
        'input.includeMemberAccounts',
      );
    }
    await orFieldError(ctx.reader.requireMembers([input.accountId]));
    const updated = await orFieldError(
      ctx.services.status.updateEnrollment({
        accountId: input.accountId,
        status: input.status === EnrollmentTarget.ACTIVE ? 'Active' : 'Inactive',
        includeMemberAccounts: input.includeMemberAccounts,
      }, { caller: ctx.caller }),
    );
    return ComputeOptimizerEnrollment.from(updated);
  }

  @Mutation(() => [AccountIdScalar], {
    description:
      'Forgets at once the AssumeRole refusals statusgraph remembers for these accounts (for the settled cache TTL), ' +
      'after their member role was deployed: their statuses are read from AWS again. Answers the accounts whose ' +
      'refusal was remembered. Operators only, like every mutation.',
  })
  async forgetAccessRefusals(
    @Arg('accountIds', () => [AccountIdScalar], { description: `Account ids (at most ${MAX_ACCOUNT_IDS}).` }) accountIds: string[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<string[]> {
    accountIdsOrThrow(accountIds, 'accountIds');
    return orFieldError(ctx.services.status.forgetAccessRefusals([...new Set(accountIds)]));
  }

  @Mutation(() => CreateAccountRequest, {
    description:
      'Creates a member account (CreateAccount). Idempotent per input.idempotencyKey for 24 hours: a retry returns the ' +
      'same request. Answers IN_PROGRESS; follow it with createAccountRequestChanged.',
  })
  async createAccount(
    @Arg('input', () => CreateAccountInput, { description: 'The new account, and your idempotency key.' }) input: CreateAccountInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateAccountRequest> {
    try {
      const created = await ctx.services.status.createAccount(
        {
          email: input.email,
          accountName: input.accountName,
          ...(input.roleName ? { roleName: input.roleName } : {}),
          ...(input.iamUserAccessToBilling ? { iamUserAccessToBilling: input.iamUserAccessToBilling } : {}),
          ...(input.tags ? { tags: input.tags.map((tag) => ({ key: tag.key, value: tag.value })) } : {}),
        },
        input.idempotencyKey,
        { caller: ctx.caller },
      );
      return CreateAccountRequest.from(created);
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError) throw badUserInput(error.message, 'input.idempotencyKey');
      // Both mean "we cannot tell whether this key already made an account": refusing is the only safe answer.
      if (error instanceof IdempotencyKeyPendingError || error instanceof IdempotencyStoreUnavailableError) {
        throw new GraphQLError(error.message, {
          extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, field: 'input.idempotencyKey' },
        });
      }
      // A timeout or a 5xx: AWS may have created the account. The key stays taken for 24 hours, so the truth is that
      // a retry with it answers the same, and a new key could create a second account.
      if (isUpstreamFailure(error) && error.retryable && !error.throttled) {
        throw new GraphQLError(
          'CreateAccount did not answer (timeout or AWS fault): the account may or may not have been created. This idempotencyKey now stands for that unknown outcome for 24 hours; check the organization\'s accounts and creation requests before creating it again with a new key.',
          { extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, field: 'input.idempotencyKey', outcome: 'UNKNOWN' }, originalError: error },
        );
      }
      return orFieldError(Promise.reject(error));
    }
  }
}

/** The account of an IAM role ARN (`arn:aws:iam::123456789012:role/…`), if it names one. */
function roleAccountOf(arn: string): string | undefined {
  return ROLE_ARN_PATTERN.exec(arn)?.[2] || undefined;
}
