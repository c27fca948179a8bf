// The domain: where every account stands, read through the shared status cache with the fewest AWS calls.
// Each read is a batch function — it takes many keys and answers each with a value or an Error — so the
// per-request DataLoaders (create-loaders.ts) and the pollers both build on it. This file holds the directory,
// account, organization and FleetWise reads and the answers at once from the cache; enrollments, creation requests
// and the mutations live in enrollment-reads.ts, creation-reads.ts and status-mutations.ts, over status-context.ts.
import type {
  AwsServices,
  CreateAccountParams,
  CreateAccountStatusRecord,
  EnrollmentStatusRecord,
  FleetwiseRegistrationRecord,
  OrgAccount,
  OrganizationInfo,
  RegisterFleetwiseParams,
  UpdateEnrollmentParams,
} from '../aws/types.js';
import type { ObservedBy, StatusHistory } from './history-port.js';
import { cacheKeys, FollowedCreations, type AccountDirectory, type AccountsJoinedListener, type CreationRequestIndex, type CreationsFollowedListener } from './followed-creations.js';
import { AccessRefusals } from './access-refusals.js';
import {
  cachedCreationRequestForAccount,
  describeCreationRequests,
  readCreationIndex,
  readCreationRequests,
  readCreationRequestsForAccounts,
} from './creation-reads.js';
import { readEnrollments } from './enrollment-reads.js';
import { kindOf, watchKey, type WatchTarget } from './watchable-kinds.js';
import { InProcessIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { NotInOrganizationError } from './not-in-organization.js';
import { OrganizationShape } from './organization-shape.js';
import { refreshingCache } from './refreshing-cache.js';
import type { Cached, StatusCache } from './status-cache.js';
import { asError, load, settleEach, type BatchResult, type StatusCaller } from './status-context.js';
import * as mutations from './status-mutations.js';
import type { MutationContext, MutationOrigin } from './status-mutations.js';
import { ttlFor, ttlForAll, type TtlPolicy } from './ttl.js';

export { cacheKeys, type AccountDirectory, type CreationRequestIndex, type BatchResult, type MutationOrigin };

export interface FleetwiseKey {
  readonly accountId: string;
  readonly region: string;
}

export interface StatusServiceOptions {
  readonly aws: AwsServices;
  readonly cache: StatusCache;
  readonly ttl: TtlPolicy;
  /** Regions asked for when a query names none. */
  readonly fleetwiseRegions: readonly string[];
  /** Where createAccount remembers its idempotency keys. @default in-process, 24 hours */
  readonly idempotency?: IdempotencyStore;
  /** The role assumed in member accounts, named in the message of a refusal. @default 'OrganizationAccountAccessRole' */
  readonly memberRoleName?: string;
  /** Where what the service reads from AWS, and what mutations answer, is recorded. @default none */
  readonly history?: StatusHistory;
}

export { watchKey, type WatchTarget };

/** Sees one ListAccounts page's accounts as the directory is read; must not throw. */
export type DirectoryPageListener = (accounts: readonly OrgAccount[]) => void;

export type StatusChangeListener = (targets: readonly WatchTarget[]) => void;

/**
 * Up to this many accounts not yet known are looked up one DescribeAccount each; more than that and one
 * ListAccounts scan (20 a page) is cheaper for the organizations we serve, and answers every later lookup too.
 */
const DESCRIBE_ACCOUNT_LIMIT = 5;

export class StatusService {
  readonly fleetwiseRegions: readonly string[];
  /** The OU tree, where each account sits in it, and account tags (organization-shape.ts). */
  readonly shape: OrganizationShape;
  /** What this service's parts share; forPolling() swaps it for one whose reads count as polls. */
  private readonly context: MutationContext;
  private readonly changeListeners = new Set<StatusChangeListener>();
  /** Who wants the directory's pages while this process reads it (directory()). */
  private readonly directoryPageListeners = new Set<DirectoryPageListener>();
  /** The pages of the directory read so far, while a read is under way (a holder: views made by forCaller share it). */
  private readonly directoryRead: { pages?: (readonly OrgAccount[])[] } = {};

  constructor(options: StatusServiceOptions) {
    const { aws, cache, ttl } = options;
    this.fleetwiseRegions = options.fleetwiseRegions;
    this.shape = new OrganizationShape({ aws, cache, ttl });
    const followed = new FollowedCreations({
      cache,
      ttl,
      describeRequests: (ids) => describeCreationRequests(this.context, ids),
      describeAccount: (id) => this.describeAccount(id),
    });
    this.context = {
      aws,
      cache,
      ttl,
      refusals: new AccessRefusals({ cache, ttl, memberRoleName: options.memberRoleName ?? 'OrganizationAccountAccessRole' }),
      followed,
      history: options.history,
      observedBy: 'query',
      idempotency: options.idempotency ?? new InProcessIdempotencyStore(),
      fleetwiseRegions: options.fleetwiseRegions,
      changed: (targets) => {
        for (const listener of this.changeListeners) listener(targets);
      },
    };
  }

  /** Told of accounts a creation added to the organization (followed-creations.ts), as soon as it SUCCEEDED. */
  onAccountsJoined(listener: AccountsJoinedListener): () => void {
    return this.context.followed.onJoined(listener);
  }

  /** Told of creation requests a createAccount here follows by id, so whole-organization streams can poll them. */
  onCreationsFollowed(listener: CreationsFollowedListener): () => void {
    return this.context.followed.onFollowed(listener);
  }

  /** The creation requests followed now (in progress), for a whole-organization stream that opens. */
  creationsFollowed(): Promise<string[]> {
    return this.context.followed.followedIds();
  }

  /**
   * Refuses ids that are not in the organization (NotInOrganizationError), from the cached directory or one lookup
   * each: mutations and subscriptions call this before any call in those accounts.
   */
  async requireMembers(accountIds: readonly string[]): Promise<void> {
    const found = await this.accounts(accountIds);
    const failed = found.find((result): result is Error => result instanceof Error);
    if (failed) throw failed;
    const missing = accountIds.filter((_id, index) => (found[index] as Cached<OrgAccount | null>).value === null);
    if (missing.length > 0) throw new NotInOrganizationError(missing);
  }

  /**
   * Forgets the remembered role refusals of these accounts, and every status of theirs remembered as refused, so the
   * next read asks AWS again (an operator deployed the role). Answers the accounts whose refusal was remembered.
   */
  forgetAccessRefusals(accountIds: readonly string[]): Promise<string[]> {
    return mutations.forgetAccessRefusals(this.context, accountIds);
  }

  /** This service, its reads recorded in history as polls (the StatusWatcher reads through it). */
  forPolling(): StatusService {
    return this.withContext({ ...this.context, observedBy: 'poll' satisfies ObservedBy, publishedBefore: new Map() });
  }

  /** A poller took a lease over: the value last published (undefined: forget it), told history with the first read. */
  handedOver(key: string, previous: string | null | undefined): void {
    const before = this.context.publishedBefore;
    if (previous === undefined) before?.delete(key);
    else before?.set(key, previous);
  }

  /**
   * This service for one operation (StatusCaller): once its caller has gone, AWS calls only it waits for stop retrying;
   * its deadline bounds each AWS call its reads start (then the throttling it was retrying, or DeadlineExceeded).
   */
  forCaller(caller: StatusCaller): StatusService {
    return Object.assign(this.withContext({ ...this.context, caller, operation: { followedLooked: false } }), { shape: this.shape.forCaller(caller) });
  }

  /** This service over another context. Assigned: an Object.create descriptor takes V8's slow path (seen in profiles). */
  private withContext(context: MutationContext): StatusService {
    return Object.assign(Object.create(this) as StatusService, { context });
  }

  /** Told which statuses a mutation changed, so the pollers watching them look again now. */
  onStatusChanged(listener: StatusChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // ---- mutations (status-mutations.ts) ---------------------------------------------------------------------

  /** RegisterAccount in the account and region; the answer (normally REGISTRATION_PENDING) replaces the cached status. */
  registerFleetwise(params: RegisterFleetwiseParams, origin?: MutationOrigin): Promise<Cached<FleetwiseRegistrationRecord>> {
    return mutations.registerFleetwise(this.context, params, origin);
  }

  /** UpdateEnrollmentStatus; forgets the cached enrollments it changes (every member's with includeMemberAccounts). */
  updateEnrollment(params: UpdateEnrollmentParams, origin?: MutationOrigin): Promise<Cached<EnrollmentStatusRecord>> {
    return mutations.updateEnrollment(this.context, params, origin);
  }

  /** CreateAccount at most once per idempotency key (24 h); see status-mutations.ts for which failures free the key. */
  createAccount(params: CreateAccountParams, idempotencyKey: string, origin?: MutationOrigin): Promise<Cached<CreateAccountStatusRecord>> {
    return mutations.createAccount(this.context, params, idempotencyKey, origin);
  }

  /**
   * This service for one poll round: its reads of these targets look past the cached entries no newer than what the
   * poller last saw and ask AWS — but reuse anything a query fetched since — and never evict them, so queries keep
   * their answers from the cache while the round reads (refreshing-cache.ts).
   */
  refreshing(entries: readonly { readonly target: WatchTarget; readonly seenFetchedAt: Date }[]): StatusService {
    // The newest reading seen per cache key: an org-wide entry shared by many targets is looked past once.
    const seen = new Map<string, number>();
    for (const { target, seenFetchedAt } of entries) {
      for (const key of kindOf(target).cacheKeys(target)) seen.set(key, Math.max(seen.get(key) ?? 0, seenFetchedAt.getTime()));
    }
    return this.refreshingKeys(seen);
  }

  /** This service for one read of the directory that looks past a cached directory no newer than `seenFetchedAt`. */
  refreshingDirectory(seenFetchedAt: Date): StatusService {
    return this.refreshingKeys(new Map([[cacheKeys.directory, seenFetchedAt.getTime()]]));
  }

  private refreshingKeys(seen: ReadonlyMap<string, number>): StatusService {
    if (seen.size === 0) return this;
    return this.withContext({ ...this.context, cache: refreshingCache(this.context.cache, seen) });
  }

  // ---- reads (batch functions) --------------------------------------------------------------------------------

  /** The account whose credentials the server uses. */
  viewerAccountId(): Promise<string> {
    return this.context.aws.callerAccountId();
  }

  isFleetwiseRegion(region: string): boolean {
    return this.context.aws.isFleetwiseRegion(region);
  }

  organization(): Promise<Cached<OrganizationInfo | null>> {
    return load(this.context, cacheKeys.organization, (aws) => aws.describeOrganization(), () => this.context.ttl.settledMs);
  }

  /**
   * Every account of the organization. `onPage` sees the accounts page by page while this process reads the
   * directory from AWS — the pages read so far at once, then each as it arrives — so a caller can start the
   * accounts' own lookups during the sequential ListAccounts pages instead of after them. It sees nothing when the
   * directory comes from the cache (or another instance reads it): the caller then works from the answer.
   */
  async directory(options: { readonly onPage?: DirectoryPageListener } = {}): Promise<Cached<AccountDirectory>> {
    const { onPage } = options;
    const { cache, followed } = this.context;
    if (onPage) {
      for (const page of this.directoryRead.pages ?? []) onPage(page);
      this.directoryPageListeners.add(onPage);
    }
    try {
      const read = await load(
        this.context,
        cacheKeys.directory,
        (aws) => this.listAccounts(aws),
        (directory) => ttlForAll(this.context.ttl, directory.accounts.map((account) => account.state)),
      );
      // Read by another instance perhaps (a shared cache): its locked accounts are not asked here either.
      this.context.refusals.learnStates(read.value.accounts);
      // Accounts created elsewhere show first here: whole-organization streams take them on.
      followed.directoryRead(read.value.accounts);
      // Creations in progress are followed by id: one that SUCCEEDED since adds its account now (followed-creations.ts).
      if (followed.anyNow() === false) return read;
      await followed.look(this.context.operation);
      return (await cache.peek<AccountDirectory>(cacheKeys.directory)) ?? read;
    } finally {
      if (onPage) this.directoryPageListeners.delete(onPage);
    }
  }

  /** ListAccounts, every page, each shown to the directory's page listeners as it arrives. */
  private async listAccounts(aws: AwsServices): Promise<AccountDirectory> {
    const pagesRead: (readonly OrgAccount[])[] = [];
    this.directoryRead.pages = pagesRead;
    const readAt = new Date();
    try {
      const accounts = await aws.listAccounts({
        onPage: (page) => {
          this.context.refusals.learnStates(page);
          pagesRead.push(page);
          for (const listener of this.directoryPageListeners) listener(page);
        },
      });
      return { accounts, byId: new Map(accounts.map((account) => [account.id, account])), readAt };
    } finally {
      this.directoryRead.pages = undefined;
    }
  }

  /** Accounts by id; null for an id that is not in the organization. */
  async accounts(ids: readonly string[]): Promise<BatchResult<OrgAccount | null>[]> {
    const { cache } = this.context;
    const known = await cache.peek<AccountDirectory>(cacheKeys.directory);
    if (known) {
      // An account created after the directory was read is not in it yet: a few such ids are asked for one by one
      // (a creation request that just SUCCEEDED must lead to its account), many are answered from the directory.
      const absent = ids.filter((id) => !known.value.byId.has(id));
      const describeAbsent = absent.length > 0 && absent.length <= DESCRIBE_ACCOUNT_LIMIT;
      return settleEach(ids, async (id) => {
        const found = known.value.byId.get(id);
        if (found) this.context.refusals.learnStates([found]);
        if (found || !describeAbsent) return { value: found ?? null, fetchedAt: known.fetchedAt };
        return this.describeAccount(id);
      });
    }

    // A directory read under way answers the accounts of the pages it has read, at no call (a cold whole-organization
    // stream watches each page's accounts as it arrives).
    const read = new Map((this.directoryRead.pages ?? []).flat().map((account) => [account.id, account]));
    if (read.size > 0 && ids.every((id) => read.has(id))) return ids.map((id) => ({ value: read.get(id)!, fetchedAt: new Date() }));
    const cachedAccounts = await Promise.all(ids.map((id) => cache.peek(cacheKeys.account(id))));
    const unknown = ids.filter((_id, index) => !cachedAccounts[index]);
    if (unknown.length > DESCRIBE_ACCOUNT_LIMIT) {
      try {
        const directory = await this.directory();
        return ids.map((id) => ({ value: directory.value.byId.get(id) ?? null, fetchedAt: directory.fetchedAt }));
      } catch (error) {
        return ids.map(() => asError(error));
      }
    }
    return settleEach(ids, (id) => this.describeAccount(id));
  }

  private async describeAccount(id: string): Promise<Cached<OrgAccount | null>> {
    const { context } = this;
    const account = await load(context, cacheKeys.account(id), (aws) => aws.describeAccount(id), (found) => ttlFor(context.ttl, found?.state));
    if (account.value) context.refusals.learnStates([account.value]);
    return account;
  }

  /** Compute Optimizer enrollment per account (enrollment-reads.ts). */
  enrollments(ids: readonly string[]): Promise<BatchResult<EnrollmentStatusRecord>[]> {
    return readEnrollments(this.context, ids);
  }

  /** FleetWise registration per (account, region); null = never registered there. */
  fleetwiseRegistrations(keys: readonly FleetwiseKey[]): Promise<BatchResult<FleetwiseRegistrationRecord | null>[]> {
    const { context } = this;
    return settleEach(keys, ({ accountId, region }) =>
      load(
        context,
        cacheKeys.fleetwise(accountId, region),
        (aws) => context.refusals.guard(accountId, () => aws.getFleetwiseRegistration(accountId, region)),
        (record) => ttlFor(context.ttl, record?.accountStatus),
        (record) => [{ target: { kind: 'fleetwise', accountId, region }, status: record?.accountStatus ?? null }],
      ),
    );
  }

  /** The request that created each account; null for invited accounts (no call) and accounts with no record. */
  creationRequestsForAccounts(accounts: readonly OrgAccount[]): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
    return readCreationRequestsForAccounts(this.context, accounts);
  }

  /** Creation requests by id; null when AWS has no such request. One that finished adds its account to the views. */
  creationRequests(ids: readonly string[]): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
    return readCreationRequests(this.context, ids);
  }

  creationIndex(): Promise<Cached<CreationRequestIndex>> {
    return readCreationIndex(this.context);
  }

  // ---- answers at once from a cache in this process (undefined: ask the batch functions) ----------------------

  /** The organization, when the cache holds it fresh. */
  cachedOrganization(): Cached<OrganizationInfo | null> | undefined {
    return this.context.cache.peekNow?.(cacheKeys.organization);
  }

  /** Every account, when the cache holds the directory fresh. */
  cachedDirectory(): Cached<AccountDirectory> | undefined {
    // With creations followed, directory() looks at them first (one may have added an account).
    if (this.context.followed.anyNow() !== false) return undefined;
    return this.context.cache.peekNow?.(cacheKeys.directory);
  }

  /**
   * An account by id, when a fresh directory lists it or a fresh DescribeAccount answered for it (null: not in the
   * organization). An id a fresh directory does not list is left to accounts(), which decides whether to ask AWS.
   */
  cachedAccount(id: string): Cached<OrgAccount | null> | undefined {
    const { cache } = this.context;
    const directory = cache.peekNow?.<AccountDirectory>(cacheKeys.directory);
    const listed = directory?.value.byId.get(id);
    if (directory && listed) return { value: listed, fetchedAt: directory.fetchedAt };
    return directory ? undefined : cache.peekNow?.(cacheKeys.account(id));
  }

  /** An account's FleetWise registration in a region, when the cache holds it fresh. */
  cachedFleetwiseRegistration(accountId: string, region: string): Cached<FleetwiseRegistrationRecord | null> | undefined {
    return this.context.cache.peekNow?.(cacheKeys.fleetwise(accountId, region));
  }

  /** An account's Compute Optimizer enrollment, when the cache holds it fresh (from the org-wide scan or its own call). */
  cachedEnrollment(accountId: string): Cached<EnrollmentStatusRecord> | undefined {
    return this.context.cache.peekNow?.(cacheKeys.enrollment(accountId));
  }

  /** The request that created an account, when that needs no AWS call (creation-reads.ts). */
  cachedCreationRequestForAccount(account: OrgAccount): Cached<CreateAccountStatusRecord | null> | undefined {
    return cachedCreationRequestForAccount(this.context, account);
  }
}
