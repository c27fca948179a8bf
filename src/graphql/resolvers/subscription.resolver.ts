// Subscriptions: accountStatusChanged and createAccountRequestChanged. Each stream starts with the current state of
// every watched status, then sends one event per change. Streams share pollers through the StatusWatcher (one per
// watched status, however many subscribers) and hear about changes on the StatusPubSub.
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import {
  HistoryUnavailableError,
  replayAfter,
  ResumeGate,
  upstreamFailure,
  type StatusChangeMessage,
  type StatusEventFilter,
  type WatchTarget,
} from '../../status/index.js';
import type { GraphQLContext } from '../context.js';
import { StatusSource } from '../enums.js';
import { badUserInput, ErrorCode, orFieldError, toGraphQLError } from '../errors.js';
import { AccountIdScalar, CreateAccountRequestIdScalar } from '../scalars.js';
import { Account } from '../types/account.type.js';
import { AccountStatusChange } from '../types/account-status-change.type.js';
import { CreateAccountRequest } from '../types/create-account-request.type.js';
import { fleetwiseRegionOrThrow } from './account.resolver.js';
import { MAX_ACCOUNT_IDS } from './query.resolver.js';

/**
 * Events a slow subscriber may have waiting before the oldest are dropped. The first burst is one event per watched
 * status (3 sources × 10,000 accounts at most), so this holds a whole organization's current state.
 * @default 50_000 events
 */
const SUBSCRIBER_BUFFER = 50_000;

interface AccountStatusArgs {
  accountIds?: string[] | null;
  sources?: StatusSource[] | null;
  regions?: string[] | null;
  after?: string | null;
}

/** Where a resumed stream starts: after this cursor, the events matching this filter. */
interface Resume {
  readonly after: string;
  readonly filter: StatusEventFilter;
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
    @Root() message: StatusChangeMessage,
    @Ctx() ctx: GraphQLContext,
    @Arg('accountIds', () => [AccountIdScalar], { nullable: true, description: `Accounts to watch (at most ${MAX_ACCOUNT_IDS}); none = all.` })
    _accountIds?: string[],
    @Arg('sources', () => [StatusSource], { nullable: true, description: 'Sources to watch; none = all three.' })
    _sources?: StatusSource[],
    @Arg('regions', () => [String], { nullable: true, description: 'FleetWise regions to watch; none = the configured ones.' })
    _regions?: string[],
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION })
    _after?: string,
  ): AccountStatusChange {
    ctx.renewLoaders();
    return AccountStatusChange.from(eventOf(message));
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
    // A replayed event is the state it recorded, not today's.
    const state = message.current ?? found.value.state;
    return Object.assign(CreateAccountRequest.from({ value: { ...found.value, state }, fetchedAt: found.fetchedAt }), {
      cursor: message.cursor ?? null,
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
function eventOf(message: StatusChangeMessage | undefined): StatusChangeMessage {
  if (message === undefined) throw badUserInput('Subscriptions are served over graphql-ws (a WebSocket to this URL), not HTTP.');
  return message;
}

async function accountStatusStream(ctx: GraphQLContext, args: AccountStatusArgs): Promise<AsyncIterable<StatusChangeMessage>> {
  const { status } = ctx.services;
  if (args.accountIds && args.accountIds.length > MAX_ACCOUNT_IDS) {
    throw badUserInput(`accountIds may name at most ${MAX_ACCOUNT_IDS} accounts.`, 'accountIds');
  }
  const sources = new Set(args.sources?.length ? args.sources : Object.values(StatusSource));
  const regions = (args.regions?.length ? args.regions : status.fleetwiseRegions).map((region) =>
    fleetwiseRegionOrThrow(ctx, region, 'regions'),
  );
  const accountIds =
    args.accountIds ?? (await orFieldError(status.directory())).value.accounts.map((account) => account.id);

  const targets: WatchTarget[] = [];
  for (const accountId of new Set(accountIds)) {
    if (sources.has(StatusSource.FLEETWISE_REGISTRATION)) {
      for (const region of regions) targets.push({ kind: 'fleetwise', accountId, region });
    }
    if (sources.has(StatusSource.COMPUTE_OPTIMIZER_ENROLLMENT)) targets.push({ kind: 'enrollment', accountId });
    if (sources.has(StatusSource.CREATION_REQUEST)) targets.push({ kind: 'creation', accountId });
  }
  const resume = args.after
    ? {
        after: args.after,
        filter: { ...(args.accountIds ? { accountIds: [...new Set(accountIds)] } : {}), sources: [...sources], regions, accountStatusesOnly: true },
      }
    : undefined;
  return watchStream(ctx, targets, () => false, resume);
}

async function creationRequestStream(ctx: GraphQLContext, id: string, after: string | undefined): Promise<AsyncIterable<StatusChangeMessage>> {
  const [found] = await ctx.services.status.creationRequests([id]);
  if (found instanceof Error) throw toGraphQLError(found);
  if (!found?.value) throw new GraphQLError(`No creation request ${id}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
  return watchStream(
    ctx,
    [{ kind: 'request', requestId: id }],
    (message) => message.current === 'SUCCEEDED' || message.current === 'FAILED',
    after === undefined ? undefined : { after, filter: { requestId: id } },
  );
}

/**
 * A stream over watched statuses: listens on each status's topic first, then reads the current state, so no change
 * falls between the two; a reading equal to the last one sent to this subscriber is not sent again. Resumed (`after`),
 * it replays history after the cursor instead of the current state, holding live messages until it has caught up.
 */
async function watchStream(
  ctx: GraphQLContext,
  targets: readonly WatchTarget[],
  isFinal: (message: StatusChangeMessage) => boolean,
  resume?: Resume,
): Promise<AsyncIterable<StatusChangeMessage>> {
  const { watcher, pubsub, history } = ctx.services;
  if (resume && !history) throw toGraphQLError(new HistoryUnavailableError());
  // A bad or expired cursor, or history away, is the subscription's error, before the stream opens.
  if (resume && history) await orFieldError(history.replay(resume.filter, resume.after, 1));
  // Current-state events carry the newest cursor at the start: resuming from it misses nothing that came after.
  const startCursor = resume || !history ? undefined : await history.latestCursor().catch(() => undefined);
  return new Repeater<StatusChangeMessage>(async (push, stop) => {
    const lastSent = new Map<string, string>();
    const send = (message: StatusChangeMessage) => {
      push(message).catch(() => undefined);
      if (isFinal(message)) stop();
    };
    const deliverOnce = (message: StatusChangeMessage) => {
      const reading = message.failure ? `failure:${message.failure.code}` : `status:${message.current}`;
      if (lastSent.get(message.key) === reading) return;
      lastSent.set(message.key, reading);
      send(message);
    };
    const gate = resume ? new ResumeGate(resume.after, send) : undefined;
    const deliver = gate ? (message: StatusChangeMessage) => gate.live(message) : deliverOnce;
    const unsubscribes = await Promise.all(
      targets.map((target) => pubsub.subscribe(watcher.topicOf(target), (message) => deliver(message as StatusChangeMessage))),
    );
    const watches = targets.map((target) => watcher.watch(target));
    if (gate && resume && history) {
      // Replayed only now that the topics are heard: what is recorded meanwhile is in the replay or arrives live.
      void replayInto(gate, replayAfter(history, resume.filter, resume.after)).catch((error: unknown) => stop(toGraphQLError(error)));
    } else {
      for (const watch of watches) {
        void watch.current().then((message) => deliverOnce(startCursor && !message.cursor && !message.failure ? { ...message, cursor: startCursor } : message));
      }
    }
    await stop;
    for (const watch of watches) watch.release();
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
  }, new SlidingBuffer(SUBSCRIBER_BUFFER));
}

/** Sends the replayed events, then lets the live ones through. */
async function replayInto(gate: ResumeGate, replay: AsyncGenerator<StatusChangeMessage>): Promise<void> {
  for await (const message of replay) gate.replayed(message);
  gate.caughtUp();
}
