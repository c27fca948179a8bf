// The organization's accounts, a Relay connection over the ListAccounts directory, and the status summary.
import { Arg, Ctx, FieldResolver, Int, Resolver } from 'type-graphql';
import type { AccountStatuses, Cached, OrgAccount } from '../../status/index.js';
import { GraphQLError } from 'graphql';
import { UnknownOrganizationalUnitError, type AccountFilter, type AccountSelection } from '../../status/index.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput, ErrorCode, mapAnswer, orFieldError, toGraphQLError } from '../errors.js';
import { AccountFilterInput, isEmptyFilter, toAccountFilter } from '../inputs/account-filter.input.js';
import { fleetwiseRegionOrThrow } from '../argument-rules.js';
import {
  AccountState,
  CreateAccountState,
  EnrollmentStatus,
  RegistrationStatus,
  StatusSource,
  toEnum,
} from '../enums.js';
import { Account } from '../types/account.type.js';
import {
  AccountConnection,
  Organization,
  SourceSummary,
  StatusCount,
  StatusSummary,
  UndecidedAccount,
} from '../types/organization.type.js';

/** Largest page `first` may ask for. @default 1_000 */
export const MAX_PAGE_SIZE = 1_000;
const CURSOR_PREFIX = 'account:';

@Resolver(() => Organization)
export class OrganizationResolver {
  @FieldResolver(() => AccountConnection, { description: 'The organization\'s accounts, a page at a time, ordered by account id.' })
  accounts(
    @Arg('first', () => Int, { defaultValue: 100, description: `Page size, 0–${MAX_PAGE_SIZE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the account to continue after (pageInfo.endCursor).' })
    after: string | undefined,
    @Arg('states', () => [AccountState], { nullable: true, description: 'Only accounts in these states.' })
    states: AccountState[] | undefined,
    @Arg('filter', () => AccountFilterInput, { nullable: true, description: 'Only the accounts this filter chooses.' })
    filter: AccountFilterInput | undefined,
    @Ctx() ctx: GraphQLContext,
  ): AccountConnection | Promise<AccountConnection> {
    checkPageSize(first);
    const afterId = after == null ? undefined : decodeCursor(after);
    const chosen = toAccountFilter(filter);
    if (!isEmptyFilter(chosen)) return filteredAccounts(ctx, chosen).then((selection) => connectionOf(selection, first, afterId, states));
    return mapAnswer(ctx.reader.directory(), (directory) => connectionOf({ accounts: directory.value.accounts, undecided: [] }, first, afterId, states));
  }

  @FieldResolver(() => StatusSummary, {
    description:
      'Counts per status value, per source, over every account: reads every status of the organization (through the cache).',
  })
  async statusSummary(
    @Arg('filter', () => AccountFilterInput, { nullable: true, description: 'Count only the accounts this filter chooses.' })
    filter: AccountFilterInput | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<StatusSummary> {
    const chosen = toAccountFilter(filter);
    if (!isEmptyFilter(chosen)) return summaryOfAccounts(ctx, await filteredAccounts(ctx, chosen));
    const { accounts, statuses } = await orFieldError(ctx.reader.organizationStatuses());
    return buildSummary(ctx, accounts, statuses);
  }
}

/** The summary of the accounts a filter chose: their statuses read through the cache and the request's loaders. */
export async function summaryOfAccounts(ctx: GraphQLContext, selection: AccountSelection, scopeId?: string): Promise<StatusSummary> {
  const { accounts, undecided } = selection;
  const summary = buildSummary(ctx, accounts, await ctx.reader.statusesOf(accounts), scopeId);
  return Object.assign(summary, { undecided: undecided.map((record) => UndecidedAccount.from(record)) });
}

/**
 * Counts every source's values over the accounts. The summary keeps the statuses it read, so byOrganizationalUnit can
 * count any subset of its accounts without another lookup.
 */
function buildSummary(
  ctx: GraphQLContext,
  accounts: readonly OrgAccount[],
  statuses: readonly AccountStatuses[],
  scopeId?: string,
): StatusSummary {
  const sources: SourceSummary[] = [
    ...ctx.reader.fleetwiseRegions.map((region, index) =>
      summarize(StatusSource.FLEETWISE_REGISTRATION, statuses.map((each) => each.fleetwise[index]!), (record) =>
        record ? toEnum(RegistrationStatus, record.accountStatus) : undefined, region),
    ),
    summarize(StatusSource.COMPUTE_OPTIMIZER_ENROLLMENT, statuses.map((each) => each.enrollment), (record) =>
      toEnum(EnrollmentStatus, record.status)),
    summarize(StatusSource.CREATION_REQUEST, statuses.map((each) => each.creation), (record) =>
      (record ? toEnum(CreateAccountState, record.state) : undefined)),
  ];
  const statusesById = new Map(accounts.map((account, index) => [account.id, statuses[index]!]));
  return Object.assign(new StatusSummary(), {
    totalAccounts: accounts.length,
    accountStates: countValues(accounts.map((account: OrgAccount) => toEnum(AccountState, account.state) ?? 'NONE')),
    sources,
    undecided: [],
    scope: {
      accounts,
      ...(scopeId !== undefined && { parentId: scopeId }),
      summarize: (subset: readonly OrgAccount[], subsetScopeId?: string) =>
        buildSummary(ctx, subset, subset.map((account) => statusesById.get(account.id)!), subsetScopeId),
    },
  });
}

/**
 * The directory's accounts the filter chooses, and those it could not judge; an unknown OU is NOT_FOUND, an AWS
 * failure of the directory or the tree the field's error.
 */
export async function filteredAccounts(ctx: GraphQLContext, filter: AccountFilter): Promise<AccountSelection> {
  if (filter.fleetwiseRegion !== undefined) fleetwiseRegionOrThrow(ctx, filter.fleetwiseRegion, 'filter.fleetwiseRegion');
  try {
    const directory = await ctx.reader.directory();
    return await ctx.reader.select(directory.value.accounts, filter);
  } catch (error) {
    if (error instanceof UnknownOrganizationalUnitError) {
      throw new GraphQLError(error.message, { extensions: { code: ErrorCode.NOT_FOUND, field: 'filter.organizationalUnitId' } });
    }
    throw toGraphQLError(error);
  }
}

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
  }
}

/** One page of the chosen accounts, ordered by account id, after `afterId`, of the accounts in `states` (all when absent). */
export function connectionOf(
  { accounts, undecided }: { readonly accounts: readonly OrgAccount[]; readonly undecided: AccountSelection['undecided'] },
  first: number,
  afterId: string | undefined,
  states: readonly AccountState[] | undefined,
): AccountConnection {
  const wanted = states && new Set(states);
  const matching = [...accounts]
    .filter((account) => !wanted || wanted.has(toEnum(AccountState, account.state) ?? AccountState.UNKNOWN))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start = afterId === undefined ? 0 : matching.findIndex((account) => account.id > afterId);
  const from = start === -1 ? matching.length : start;
  const page = matching.slice(from, from + first);
  const edges = page.map((record) => ({ cursor: encodeCursor(record.id), node: Account.from(record) }));
  return Object.assign(new AccountConnection(), {
    edges,
    nodes: edges.map((edge) => edge.node),
    totalCount: matching.length,
    undecided: undecided.map((record) => UndecidedAccount.from(record)),
    pageInfo: {
      hasNextPage: from + page.length < matching.length,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor,
      endCursor: edges.at(-1)?.cursor,
    },
  });
}

/** Counts one source's values; undefined counts as NONE and a failed lookup as ERROR. */
function summarize<T>(
  source: StatusSource,
  results: readonly (Cached<T> | Error)[],
  valueOf: (value: T) => string | undefined,
  region?: string,
): SourceSummary {
  const values = results.map((result) => (result instanceof Error ? 'ERROR' : (valueOf(result.value) ?? 'NONE')));
  return Object.assign(new SourceSummary(), { source, region, counts: countValues(values) });
}

function countValues(values: readonly string[]): StatusCount[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([value, count]) => Object.assign(new StatusCount(), { value, count }));
}

function encodeCursor(accountId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${accountId}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d{12}$/.test(id)) throw badUserInput('after is not a cursor this API returned.', 'after');
  return id;
}
