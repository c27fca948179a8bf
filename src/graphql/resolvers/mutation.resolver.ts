// Mutations that start changes in AWS. Inputs are validated before any call (class-validator rules on the input
// classes, run by validation.ts); AWS refusals come back as typed GraphQL errors.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GraphQLError } from 'graphql';
import {
  IdempotencyKeyPendingError,
  IdempotencyKeyReusedError,
  IdempotencyStoreUnavailableError,
} from '../../status/index.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput, ErrorCode, orFieldError } from '../errors.js';
import { CreateAccountInput } from '../inputs/create-account.input.js';
import { RegisterFleetwiseAccountInput } from '../inputs/register-fleetwise-account.input.js';
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
    // An account outside the organization is NOT_FOUND before any call in it.
    await orFieldError(ctx.services.status.requireMembers([input.accountId]));
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
    await orFieldError(ctx.services.status.requireMembers([input.accountId]));
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
      return orFieldError(Promise.reject(error));
    }
  }
}
