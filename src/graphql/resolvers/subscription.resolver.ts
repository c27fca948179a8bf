// Subscriptions: accountStatusChanged and createAccountRequestChanged. Each stream starts with the current state of
// every watched status, then sends one event per change. Streams share pollers through the StatusWatcher (one per
// watched status, however many subscribers) and hear about changes on the StatusPubSub.
import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import {
  directoryRefreshOf,
  followFilter,
  HistoryUnavailableError,
  openStatusStream,
  upstreamFailure,
  type StatusChangeMessage,
  type StatusEventFilter,
  type StatusStreamOptions,
  type StreamMessage,
  type WatchTarget,
} from '../../status/index.js';
import type { GraphQLContext } from '../context.js';
import { StatusSource } from '../enums.js';
import { badUserInput, ErrorCode, orFieldError, toGraphQLError } from '../errors.js';
import { AccountIdScalar, CreateAccountRequestIdScalar } from '../scalars.js';
import { Account } from '../types/account.type.js';
import { AccountStatusChange, type ObservedBy } from '../types/account-status-change.type.js';
import { CreateAccountRequest } from '../types/create-account-request.type.js';
import { accountIdsOrThrow, fleetwiseRegionOrThrow, MAX_ACCOUNT_IDS } from '../argument-rules.js';
import { AccountFilterInput, isEmptyFilter, toAccountFilter } from '../inputs/account-filter.input.js';
import { filteredAccounts } from './organization.resolver.js';

interface AccountStatusArgs {
  accountIds?: string[] | null;
  filter?: AccountFilterInput | null;
  sources?: StatusSource[] | null;
  regions?: string[] | null;
  after?: string | null;
}

const AFTER_DESCRIPTION =
  'Resume after this cursor (the `cursor` of the last event received): every matching event recorded since is ' +
  'replayed in order, then live ones follow, none twice. A cursor older than the history kept is CURSOR_EXPIRED.';

@Resolver(() => AccountStatusChange)
export class SubscriptionResolver {
  @Subscription(() => AccountStatusChange, {
    description:
      'Status changes of accounts: first the current state of every watched status, then one event per change. ' +
      'No accountIds = every account of the organization; no sources = all three; FleetWise in `regions` (default: ' +
      'the configured ones). A status that cannot be read arrives as an event with `error`; the stream goes on.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) =>
      accountStatusStream(context, args as AccountStatusArgs),
  })
  accountStatusChanged(
    @Root() message: StreamMessage,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountIds', () => [AccountIdScalar], { nullable: true, description: `Accounts to watch (at most ${MAX_ACCOUNT_IDS}); none = all.` })
    _accountIds?: string[],
    @Arg('sources', () => [StatusSource], { nullable: true, description: 'Sources to watch; none = all three.' })
    _sources?: StatusSource[],
    @Arg('regions', () => [String], { nullable: true, description: 'FleetWise regions to watch; none = the configured ones.' })
    _regions?: string[],
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION })
    _after?: string,
    @Arg('filter', () => AccountFilterInput, {
      nullable: true,
      description:
        'Watch only the accounts this filter chooses. Without accountIds the stream follows them: an account that MoveAccount ' +
        'brings under the filter\'s OU (or that comes to match) starts with an event marked membership ENTERED, one that leaves ' +
        'ends with LEFT, checked once per settled poll interval from the account directory. With accountIds: those of them it ' +
        'chooses when the stream opens.',
    })
    _filter?: AccountFilterInput,
  ): AccountStatusChange {
    return accountStatusEvent(message, ctx);
  }

  @Subscription(() => CreateAccountRequest, {
    description:
      'Follows one account-creation request: its current state first, then each change; completes once it SUCCEEDED or FAILED.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) =>
      creationRequestStream(context, String(args.id), (args.after as string | null | undefined) ?? undefined),
  })
  async createAccountRequestChanged(
    @Root() message: StatusChangeMessage,
    @Arg('id', () => CreateAccountRequestIdScalar, { description: 'The request id ("car-…").' }) id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after?: string,
  ): Promise<CreateAccountRequest> {
    ctx.renewLoaders();
    const event = eventOf(message);
    if (event.failure) throw toGraphQLError(upstreamFailure(event.failure));
    const found = await orFieldError(ctx.loaders.creationRequest.load(id));
    if (!found.value) throw new GraphQLError(`No creation request ${id}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
    // A recorded event (replayed or live) is the state it recorded when it was observed, not today's.
    const state = event.current ?? found.value.state;
    const fetchedAt = event.observedBy && event.changedAt ? new Date(event.changedAt) : found.fetchedAt;
    return Object.assign(CreateAccountRequest.from({ value: { ...found.value, state }, fetchedAt }), {
      cursor: event.cursor ?? null,
      observedBy: event.observedBy ? (event.observedBy.toUpperCase() as ObservedBy) : null,
      caller: event.caller ?? null,
      idempotencyKey: event.idempotencyKey ?? null,
    });
  }

  @FieldResolver(() => Account, { description: 'The account, read when the event is sent.' })
  async account(@Root() change: AccountStatusChange, @Ctx() ctx: GraphQLContext): Promise<Account> {
    const found = await ctx.loaders.account.load(change.accountId).catch(() => undefined);
    return Account.from(found?.value ?? { id: change.accountId });
  }
}

/**
 * The event a subscription resolver is called with. Over HTTP POST, Apollo executes a subscription document like a
 * query: the resolver then runs once with no event, and the client gets told where subscriptions are served.
 */
/**
 * One event of accountStatusChanged as the client gets it. build-schema.ts makes it the field's resolver, called
 * without type-graphql's wrapper: that would convert and validate the stream's arguments (an AccountFilterInput among
 * them) again for every event, when the stream checked them once as it opened.
 */
export function accountStatusEvent(message: StreamMessage | undefined, ctx: GraphQLContext): AccountStatusChange {
  ctx.renewLoaders();
  const event = eventOf(message);
  // One change goes to every subscriber of its status as the same message: it is turned into an event once (an error
  // event's StatusError makes a GraphQLError), not once per subscriber. Events are read, never changed, by resolvers.
  let change = eventsOfMessages.get(event);
  if (!change) eventsOfMessages.set(event, (change = AccountStatusChange.from(event)));
  return change;
}

/** The event each message became, for as long as the message lives. */
const eventsOfMessages = new WeakMap<StreamMessage, AccountStatusChange>();

function eventOf<T extends StatusChangeMessage>(message: T | undefined): T {
  if (message === undefined) throw badUserInput('Subscriptions are served over graphql-ws (a WebSocket to this URL), not HTTP.');
  return message;
}

async function accountStatusStream(ctx: GraphQLContext, args: AccountStatusArgs): Promise<AsyncIterable<StreamMessage>> {
  // Where the stream starts in history: as the subscriber asks, before the reads below (a cold directory takes long).
  const opened = openedAt(ctx, args.after ?? undefined);
  if (args.accountIds) accountIdsOrThrow(args.accountIds, 'accountIds');
  const sources = new Set(args.sources?.length ? args.sources : Object.values(StatusSource));
  const regions = (args.regions?.length ? args.regions : ctx.reader.fleetwiseRegions).map((region) =>
    fleetwiseRegionOrThrow(ctx, region, 'regions'),
  );
  // An id outside the organization is NOT_FOUND here, as in mutations: it is never polled.
  if (args.accountIds) await orFieldError(ctx.reader.requireMembers([...new Set(args.accountIds)]));
  const chosen = toAccountFilter(args.filter);
  const filtered = isEmptyFilter(chosen) ? undefined : new Set((await filteredAccounts(ctx, chosen)).accounts.map((account) => account.id));
  const listed = args.accountIds ?? (filtered ? [...filtered] : undefined);
  // The whole organization is watched page by page as the directory is read (a cold one takes tens of seconds).
  const accountIds = (listed ?? []).filter((id) => !filtered || filtered.has(id));
  // A filtered stream follows its filter (accounts enter and leave it) rather than every account that joins.
  const following = filtered !== undefined && !args.accountIds;
  if (following) args = { ...args, accountIds };

  const targetsOf = (ids: readonly string[]): WatchTarget[] => {
    const targets: WatchTarget[] = [];
    for (const accountId of new Set(ids)) {
      if (sources.has(StatusSource.FLEETWISE_REGISTRATION)) {
        for (const region of regions) targets.push({ kind: 'fleetwise', accountId, region });
      }
      if (sources.has(StatusSource.COMPUTE_OPTIMIZER_ENROLLMENT)) targets.push({ kind: 'enrollment', accountId });
      if (sources.has(StatusSource.CREATION_REQUEST)) targets.push({ kind: 'creation', accountId });
    }
    return targets;
  };
  const filter: StatusEventFilter = {
    ...(args.accountIds ? { accountIds: [...new Set(accountIds)] } : {}),
    sources: [...sources],
    regions,
    accountStatusesOnly: true,
  };
  // The whole organization includes the accounts that join it while the stream is open.
  // The stream's own reads (the directory page by page, a filter's membership) outlive any one read: the caller's service.
  const { watcher, status } = ctx.services;
  return openStatusStream(watcher, ctx.services.pubsub, targetsOf(accountIds), {
    ...(args.accountIds ? {} : { targetsOfJoined: targetsOf }),
    ...(!listed && { pages: (page: (accountIds: readonly string[]) => void) => directoryPages(status, page) }),
    ...(following && {
      membership: {
        follow: (onChange) => followFilter(status, directoryRefreshOf(status, watcher.settledIntervalMs), chosen, filtered, onChange),
        targetsOf,
      },
    }),
    ...(await historyOptions(ctx, args.after ?? undefined, filter, await opened)),
  });
}

/**
 * Every account id of the directory, told page by page as this process reads it (or all at once from the cache);
 * a failed read is the stream's typed error.
 */
async function directoryPages(status: GraphQLContext['services']['status'], page: (accountIds: readonly string[]) => void): Promise<void> {
  const told = new Set<string>();
  const tell = (accounts: readonly { readonly id: string }[]) => {
    const fresh = accounts.map((account) => account.id).filter((id) => !told.has(id));
    for (const id of fresh) told.add(id);
    if (fresh.length > 0) page(fresh);
  };
  tell((await orFieldError(status.directory({ onPage: tell }))).value.accounts);
}

/**
 * The newest history cursor as a stream without `after` is asked for ('0': history is empty); undefined without
 * history, or when it is away.
 */
function openedAt(ctx: GraphQLContext, after: string | undefined): Promise<string | undefined> {
  const { history } = ctx.services;
  if (after !== undefined || !history) return Promise.resolve(undefined);
  return history.latestCursor().then(
    (cursor) => cursor ?? '0',
    () => undefined,
  );
}

/**
 * What history adds to a stream: resumed after a cursor, the replay (a bad or expired cursor, or history away, is the
 * subscription's own error, before it opens); otherwise the cursor it was opened at, which the current-state events
 * carry, and the catch-up from it (status-stream.ts).
 */
async function historyOptions(
  ctx: GraphQLContext,
  after: string | undefined,
  filter: StatusEventFilter,
  opened: string | undefined,
): Promise<Partial<StatusStreamOptions>> {
  const { history } = ctx.services;
  if (after === undefined) {
    if (!history || opened === undefined) return {};
    return { startCursor: opened, catchUp: { history, after: opened, filter } };
  }
  if (!history) throw toGraphQLError(new HistoryUnavailableError());
  await orFieldError(history.replay(filter, after, 1));
  return { resume: { history, after, filter } };
}

async function creationRequestStream(ctx: GraphQLContext, id: string, after: string | undefined): Promise<AsyncIterable<StatusChangeMessage>> {
  const opened = openedAt(ctx, after);
  const found = await orFieldError(ctx.reader.creationRequest(id));
  if (!found.value) throw new GraphQLError(`No creation request ${id}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
  return openStatusStream(ctx.services.watcher, ctx.services.pubsub, [{ kind: 'request', requestId: id }], {
    isFinal: (message) => message.current === 'SUCCEEDED' || message.current === 'FAILED',
    ...(await historyOptions(ctx, after, { requestId: id }, await opened)),
  });
}
