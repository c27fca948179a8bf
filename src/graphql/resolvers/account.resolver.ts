// The three statuses of an account: answered at once when the status cache in this process holds them fresh (a warm
// page of 1,000 accounts is 3,000 such answers), else through the request's DataLoaders, so that a cold page of
// accounts costs one batch per source, not one call per account.
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { fleetwiseRegionOrThrow } from '../argument-rules.js';
import { rethrowAsFieldError } from '../errors.js';
import { Account } from '../types/account.type.js';
import { ComputeOptimizerEnrollment } from '../types/compute-optimizer-enrollment.type.js';
import { CreateAccountRequest } from '../types/create-account-request.type.js';
import { FleetwiseRegistration } from '../types/fleetwise-registration.type.js';

@Resolver(() => Account)
export class AccountResolver {
  @FieldResolver(() => FleetwiseRegistration, {
    nullable: true,
    description:
      'IoT FleetWise registration in a region (default: the first configured region). Null = never registered there; ' +
      'a region FleetWise is not offered in is a REGION_NOT_SUPPORTED error.',
  })
  fleetwiseRegistration(
    @Root() account: Account,
    @Arg('region', () => String, { nullable: true, description: 'AWS region, e.g. us-east-1.' }) region: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ): FleetwiseRegistration | null | Promise<FleetwiseRegistration | null> {
    const chosen = fleetwiseRegionOrThrow(ctx, region);
    const cached = ctx.services.status.cachedFleetwiseRegistration(account.id, chosen);
    if (cached) return cached.value ? FleetwiseRegistration.from({ value: cached.value, fetchedAt: cached.fetchedAt }) : null;
    return ctx.loaders.fleetwise
      .load({ accountId: account.id, region: chosen })
      .then((found) => (found.value ? FleetwiseRegistration.from({ value: found.value, fetchedAt: found.fetchedAt }) : null), rethrowAsFieldError);
  }

  @FieldResolver(() => ComputeOptimizerEnrollment, { nullable: true, description: 'Compute Optimizer enrollment of the account.' })
  computeOptimizerEnrollment(
    @Root() account: Account,
    @Ctx() ctx: GraphQLContext,
  ): ComputeOptimizerEnrollment | Promise<ComputeOptimizerEnrollment> {
    const cached = ctx.services.status.cachedEnrollment(account.id);
    if (cached) return ComputeOptimizerEnrollment.from(cached);
    return ctx.loaders.enrollment.load(account.id).then((found) => ComputeOptimizerEnrollment.from(found), rethrowAsFieldError);
  }

  @FieldResolver(() => CreateAccountRequest, {
    nullable: true,
    description: 'The Organizations request that created the account; null when it joined by invitation or AWS has no record.',
  })
  creationRequest(@Root() account: Account, @Ctx() ctx: GraphQLContext): CreateAccountRequest | null | Promise<CreateAccountRequest | null> {
    const record = account.record ?? { id: account.id };
    const cached = ctx.services.status.cachedCreationRequestForAccount(record);
    if (cached) return cached.value ? CreateAccountRequest.from({ value: cached.value, fetchedAt: cached.fetchedAt }) : null;
    return ctx.loaders.creationRequestForAccount
      .load(record)
      .then((found) => (found.value ? CreateAccountRequest.from({ value: found.value, fetchedAt: found.fetchedAt }) : null), rethrowAsFieldError);
  }
}
