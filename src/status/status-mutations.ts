// The mutations: each makes its AWS call, records its own answer in history before anyone is told (durable first),
// updates or forgets exactly the cache entries it changed, and tells the pollers watching them to look again now.
import { AwsCallError } from '../aws/errors.js';
import type {
  CreateAccountParams,
  CreateAccountStatusRecord,
  EnrollmentStatusRecord,
  FleetwiseRegistrationRecord,
  RegisterFleetwiseParams,
  UpdateEnrollmentParams,
} from '../aws/types.js';
import { readCreationRequests } from './creation-reads.js';
import { cacheKeys, type AccountDirectory } from './followed-creations.js';
import type { IdempotencyStore } from './idempotency.js';
import type { Cached } from './status-cache.js';
import type { Found, StatusContext } from './status-context.js';
import { isTransitional, ttlFor } from './ttl.js';
import type { WatchTarget } from './watchable-kinds.js';

/** Who made a mutation, for its history event: an API key's name or a token subject's hash, never an email. */
export interface MutationOrigin {
  readonly caller?: string;
}

export interface MutationContext extends StatusContext {
  readonly idempotency: IdempotencyStore;
  readonly fleetwiseRegions: readonly string[];
  /** Tells the pollers watching these statuses that a mutation changed them. */
  changed(targets: readonly WatchTarget[]): void;
}

/** Records a mutation's own answer before anyone is told of the change (durable first). */
async function recordMutation(context: StatusContext, found: Found, origin: MutationOrigin | undefined, idempotencyKey?: string): Promise<void> {
  await context.history?.record([
    {
      ...found,
      observedAt: new Date(),
      observedBy: 'mutation',
      ...(origin?.caller === undefined ? {} : { caller: origin.caller }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    },
  ]);
}

/** RegisterAccount in the account and region; the answer (normally REGISTRATION_PENDING) replaces the cached status. */
export async function registerFleetwise(
  context: MutationContext,
  params: RegisterFleetwiseParams,
  origin?: MutationOrigin,
): Promise<Cached<FleetwiseRegistrationRecord>> {
  const key = cacheKeys.fleetwise(params.accountId, params.region);
  // From before the call until the answer is cached, a read of the status under way is older than the answer.
  const cached = await context.cache.writing([key], async () => {
    const record = await context.refusals.guard(params.accountId, () => context.aws.registerFleetwiseAccount(params));
    const target = { kind: 'fleetwise', accountId: params.accountId, region: params.region } as const;
    await recordMutation(context, { target, status: record.accountStatus }, origin);
    return context.cache.set(key, record, ttlFor(context.ttl, record.accountStatus));
  });
  context.changed([{ kind: 'fleetwise', accountId: params.accountId, region: params.region }]);
  return cached;
}

/** UpdateEnrollmentStatus; forgets the cached enrollments it changes (every member's with includeMemberAccounts). */
export async function updateEnrollment(
  context: MutationContext,
  params: UpdateEnrollmentParams,
  origin?: MutationOrigin,
): Promise<Cached<EnrollmentStatusRecord>> {
  const { cache } = context;
  const accountIds = [params.accountId];
  if (params.includeMemberAccounts) {
    const directory = await cache.peek<AccountDirectory>(cacheKeys.directory);
    for (const account of directory?.value.accounts ?? []) accountIds.push(account.id);
  }
  const changed: WatchTarget[] = accountIds.map((accountId) => ({ kind: 'enrollment', accountId }));
  // From before the call until the entries are forgotten, a read of them under way is older than the change: it is
  // read again after it (write-log.ts).
  const keys = accountIds.map((accountId) => cacheKeys.enrollment(accountId));
  const record = await cache.writing(keys, async () => {
    const answer = await context.refusals.guard(params.accountId, () => context.aws.updateEnrollmentStatus(params));
    await recordMutation(context, { target: { kind: 'enrollment', accountId: params.accountId }, status: answer.status }, origin);
    await cache.invalidate(cacheKeys.enrollment(params.accountId));
    // The org-wide scan lists this account too: kept, it would answer the old status for it once the account's own
    // entry is gone. The other members' entries it filled stay.
    await cache.invalidate(cacheKeys.enrollmentScan);
    if (params.includeMemberAccounts) await cache.invalidate(cacheKeys.enrollments, { withChildren: true });
    return answer;
  });
  context.changed(changed);
  return { value: record, fetchedAt: new Date() };
}

/**
 * CreateAccount at most once per idempotency key (24 h). A failure that proves nothing was created (a refusal or
 * throttling) frees the key for another try; an ambiguous one (timeout, 5xx) keeps it, so a retry cannot make a
 * second account. A retry answers the request as it stands now, not as the first attempt found it.
 */
export async function createAccount(
  context: MutationContext,
  params: CreateAccountParams,
  idempotencyKey: string,
  origin?: MutationOrigin,
): Promise<Cached<CreateAccountStatusRecord>> {
  let attempted = false;
  const outcome = await context.idempotency.run(
    idempotencyKey,
    params,
    async () => {
      attempted = true;
      const record = await context.aws.createAccount(params);
      await recordMutation(context, { target: { kind: 'request', requestId: record.id }, status: record.state }, origin, idempotencyKey);
      const cached = await context.cache.set(cacheKeys.creationRequest(record.id), record, ttlFor(context.ttl, record.state));
      // Followed by id from now on: the index is not read again (every ListCreateAccountStatus page) for it.
      await context.followed.follow([record.id]);
      context.changed([{ kind: 'request', requestId: record.id }]);
      return cached;
    },
    (error) => error instanceof AwsCallError && (error.throttled || !error.retryable),
  );
  if (attempted || !isTransitional(outcome.value.state)) return outcome;
  // A retry (here or on another instance): the stored answer is the first attempt's, IN_PROGRESS for up to 24 hours;
  // the request's current state comes through the cache (no call while it is fresh, or the poller keeps it so).
  const [current] = await readCreationRequests(context, [outcome.value.id]);
  return current instanceof Error || !current?.value ? outcome : { value: current.value, fetchedAt: current.fetchedAt };
}

/**
 * Forgets the remembered role refusals of these accounts, and every status of theirs remembered as refused, so the
 * next read asks AWS again (an operator deployed the role). Answers the accounts whose refusal was remembered.
 */
export async function forgetAccessRefusals(context: MutationContext, accountIds: readonly string[]): Promise<string[]> {
  // A read under way may bring back the refusal being forgotten: it is read again after this.
  const keys = accountIds.flatMap((id) => [cacheKeys.enrollment(id), ...context.fleetwiseRegions.map((region) => cacheKeys.fleetwise(id, region))]);
  const forgotten = await context.cache.writing(keys, async () => {
    const forgottenIds = await context.refusals.forget(accountIds);
    await Promise.all(
      accountIds.flatMap((id) => [
        context.cache.invalidate(cacheKeys.enrollment(id)),
        context.cache.invalidate(cacheKeys.fleetwiseOfAccount(id), { withChildren: true }),
      ]),
    );
    return forgottenIds;
  });
  context.changed(accountIds.flatMap((accountId) => [
    { kind: 'enrollment' as const, accountId },
    ...context.fleetwiseRegions.map((region) => ({ kind: 'fleetwise' as const, accountId, region })),
  ]));
  return forgotten;
}
