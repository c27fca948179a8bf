// Status history as queries: Account.history and Organization.statusChanges, connections over the changes statusgraph
// recorded (status/history-port.ts), newest first. History whose database is away answers HISTORY_UNAVAILABLE; the
// rest of the response stands.
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { HistoryUnavailableError, type HistorySource, type StatusEventFilter, type StatusHistory } from '../../status/index.js';
import type { GraphQLContext } from '../context.js';
import { StatusSource } from '../enums.js';
import { badUserInput, orFieldError, toGraphQLError } from '../errors.js';
import { DateTimeScalar } from '../scalars.js';
import { Account } from '../types/account.type.js';
import { Organization } from '../types/organization.type.js';
import { StatusChangeConnection } from '../types/status-history.type.js';
import { fleetwiseRegionOrThrow } from '../argument-rules.js';

/** Largest page of history. @default 500 */
export const MAX_HISTORY_PAGE = 500;
const FIRST_DESCRIPTION = `Page size, 1–${MAX_HISTORY_PAGE}.`;
const AFTER_DESCRIPTION = 'Cursor of the change to continue after (pageInfo.endCursor): the next, older page.';

@Resolver(() => Account)
export class AccountHistoryResolver {
  @FieldResolver(() => StatusChangeConnection, {
    nullable: true,
    description:
      'Null with an error (HISTORY_UNAVAILABLE) while history cannot be read; the rest of the answer stands. ' +
      'The changes statusgraph recorded for this account, newest first: each observed by a poll, a query or a ' +
      'mutation (with its caller), the first reading of a status without a previous value. Kept for ' +
      'STATUSGRAPH_HISTORY_RETENTION_DAYS.',
  })
  history(
    @Root() account: Account,
    @Arg('sources', () => [StatusSource], { nullable: true, description: 'Only these sources; none = all three.' }) sources: StatusSource[] | undefined,
    @Arg('regions', () => [String], { nullable: true, description: 'FleetWise changes only in these regions; none = all.' }) regions: string[] | undefined,
    @Arg('first', () => Int, { defaultValue: 50, description: FIRST_DESCRIPTION }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<StatusChangeConnection> {
    const filter: StatusEventFilter = {
      accountIds: [account.id],
      accountStatusesOnly: true,
      ...sourcesAndRegions(ctx, sources, regions),
    };
    return historyPage(ctx, filter, first, after);
  }
}

@Resolver(() => Organization)
export class OrganizationHistoryResolver {
  @FieldResolver(() => StatusChangeConnection, {
    nullable: true,
    description:
      'Null with an error (HISTORY_UNAVAILABLE) while history cannot be read. ' +
      'Every account\'s recorded status changes, newest first, optionally between `since` (inclusive) and `until` ' +
      '(exclusive). Kept for STATUSGRAPH_HISTORY_RETENTION_DAYS.',
  })
  statusChanges(
    @Arg('since', () => DateTimeScalar, { nullable: true, description: 'Only changes observed at or after this time.' }) since: Date | undefined,
    @Arg('until', () => DateTimeScalar, { nullable: true, description: 'Only changes observed before this time.' }) until: Date | undefined,
    @Arg('sources', () => [StatusSource], { nullable: true, description: 'Only these sources; none = all three.' }) sources: StatusSource[] | undefined,
    @Arg('first', () => Int, { defaultValue: 50, description: FIRST_DESCRIPTION }) first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<StatusChangeConnection> {
    if (since && until && since >= until) throw badUserInput('since must be before until.', 'since');
    const filter: StatusEventFilter = {
      accountStatusesOnly: true,
      ...sourcesAndRegions(ctx, sources, undefined),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    };
    return historyPage(ctx, filter, first, after);
  }
}

function sourcesAndRegions(ctx: GraphQLContext, sources: StatusSource[] | undefined, regions: string[] | undefined): StatusEventFilter {
  return {
    ...(sources?.length ? { sources: sources as HistorySource[] } : {}),
    ...(regions?.length ? { regions: regions.map((region) => fleetwiseRegionOrThrow(ctx, region, 'regions')) } : {}),
  };
}

async function historyPage(ctx: GraphQLContext, filter: StatusEventFilter, first: number, after: string | undefined): Promise<StatusChangeConnection> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_HISTORY_PAGE) throw badUserInput(`first must be between 1 and ${MAX_HISTORY_PAGE}.`, 'first');
  const history: StatusHistory | undefined = ctx.services.history;
  if (!history) throw toGraphQLError(new HistoryUnavailableError());
  const page = await orFieldError(history.page(filter, { first, ...(after == null ? {} : { before: after }) }));
  return StatusChangeConnection.from(page, after != null);
}
