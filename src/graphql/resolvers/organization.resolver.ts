// The organization's accounts, a Relay connection over the ListAccounts directory, and the status summary.
import { Arg, Ctx, FieldResolver, Int, Resolver } from 'type-graphql';
import type { Cached, OrgAccount } from '../../status/index.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput, orFieldError } from '../errors.js';
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
} from '../types/organization.type.js';

/** Largest page `first` may ask for. @default 1_000 */
export const MAX_PAGE_SIZE = 1_000;
const CURSOR_PREFIX = 'account:';

@Resolver(() => Organization)
export class OrganizationResolver {
  @FieldResolver(() => AccountConnection, { description: 'The organization\'s accounts, a page at a time, ordered by account id.' })
  async accounts(
    @Arg('first', () => Int, { defaultValue: 100, description: `Page size, 0–${MAX_PAGE_SIZE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the account to continue after (pageInfo.endCursor).' })
    after: string | undefined,
    @Arg('states', () => [AccountState], { nullable: true, description: 'Only accounts in these states.' })
    states: AccountState[] | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AccountConnection> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
    }
    const afterId = after == null ? undefined : decodeCursor(after);
    const directory = await orFieldError(ctx.services.status.directory());
    const wanted = states && new Set(states);
    const matching = [...directory.value.accounts]
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
      pageInfo: {
        hasNextPage: from + page.length < matching.length,
        hasPreviousPage: from > 0,
        startCursor: edges[0]?.cursor,
        endCursor: edges.at(-1)?.cursor,
      },
    });
  }

  @FieldResolver(() => StatusSummary, {
    description:
      'Counts per status value, per source, over every account: reads every status of the organization (through the cache).',
  })
  async statusSummary(@Ctx() ctx: GraphQLContext): Promise<StatusSummary> {
    const { status } = ctx.services;
    const accounts = (await orFieldError(status.directory())).value.accounts;
    const ids = accounts.map((account) => account.id);
    const [enrollments, creations, ...fleetwise] = await Promise.all([
      ctx.loaders.enrollment.loadMany(ids),
      ctx.loaders.creationRequestForAccount.loadMany(accounts),
      ...status.fleetwiseRegions.map((region) =>
        ctx.loaders.fleetwise.loadMany(ids.map((accountId) => ({ accountId, region }))),
      ),
    ]);
    const sources: SourceSummary[] = [
      ...status.fleetwiseRegions.map((region, index) =>
        summarize(StatusSource.FLEETWISE_REGISTRATION, fleetwise[index]!, (record) =>
          record ? toEnum(RegistrationStatus, record.accountStatus) : undefined, region),
      ),
      summarize(StatusSource.COMPUTE_OPTIMIZER_ENROLLMENT, enrollments, (record) => toEnum(EnrollmentStatus, record.status)),
      summarize(StatusSource.CREATION_REQUEST, creations, (record) => (record ? toEnum(CreateAccountState, record.state) : undefined)),
    ];
    return Object.assign(new StatusSummary(), {
      totalAccounts: accounts.length,
      accountStates: countValues(accounts.map((account: OrgAccount) => toEnum(AccountState, account.state) ?? 'NONE')),
      sources,
    });
  }
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

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d{12}$/.test(id)) throw badUserInput('after is not a cursor this API returned.', 'after');
  return id;
}
