// The three statuses of an account, read through the request's StatusReader (ctx.reader): at once when the status
// cache in this process holds them fresh (a warm page of 1,000 accounts is 3,000 such answers), else batched, so
// that a cold page of accounts costs one batch per source, not one call per account. Here: arguments and mapping.
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { fleetwiseRegionOrThrow } from '../argument-rules.js';
import { mapAnswer } from '../errors.js';
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
    return mapAnswer(ctx.reader.fleetwiseRegistration(account.id, chosen), (found) =>
      found.value ? FleetwiseRegistration.from({ value: found.value, fetchedAt: found.fetchedAt }) : null,
    );
  }

  @FieldResolver(() => ComputeOptimizerEnrollment, { nullable: true, description: 'Compute Optimizer enrollment of the account.' })
  computeOptimizerEnrollment(
    @Root() account: Account,
    @Ctx() ctx: GraphQLContext,
  ): ComputeOptimizerEnrollment | Promise<ComputeOptimizerEnrollment> {
    return mapAnswer(ctx.reader.enrollment(account.id), (found) => ComputeOptimizerEnrollment.from(found));
  }

  @FieldResolver(() => CreateAccountRequest, {
    nullable: true,
    description: 'The Organizations request that created the account; null when it joined by invitation or AWS has no record.',
  })
  creationRequest(@Root() account: Account, @Ctx() ctx: GraphQLContext): CreateAccountRequest | null | Promise<CreateAccountRequest | null> {
    return mapAnswer(ctx.reader.creationRequestForAccount(account.record ?? { id: account.id }), (found) =>
      found.value ? CreateAccountRequest.from({ value: found.value, fetchedAt: found.fetchedAt }) : null,
    );
  }
}
