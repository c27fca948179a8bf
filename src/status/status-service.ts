// The domain: where every account stands, read through the shared status cache with the fewest AWS calls.
// Each method is a batch function — it takes many keys and answers each with a value or an Error — so the
// per-request DataLoaders (create-loaders.ts) and the pollers both build on it.
import { AwsCallError } from '../aws/errors.js';
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
import type { ObservedBy, StatusHistory, StatusObservation } from './history-port.js';
import {
  cacheKeys,
  FollowedCreations,
  indexOf,
  joinedAfter,
  type AccountDirectory,
  type AccountsJoinedListener,
  type CreationRequestIndex,
} from './followed-creations.js';
import { AccessRefusals } from './access-refusals.js';
import { kindOf, watchKey, type WatchTarget } from './watchable-kinds.js';
import { InProcessIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { NotInOrganizationError } from './not-in-organization.js';
import { OrganizationShape } from './organization-shape.js';
import type { Cached, LoadOptions, StatusCache } from './status-cache.js';
import { isTransitional, ttlFor, ttlForAll, type TtlPolicy } from './ttl.js';

export { cacheKeys, type AccountDirectory, type CreationRequestIndex };

export interface FleetwiseKey {
  readonly accountId: string;
  readonly region: string;
}

/** One answer of a batch function: the value with its fetchedAt, or the error for that key alone. */
export type BatchResult<T> = Cached<T> | Error;

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

/** Who made a mutation, for its history event: an API key's name or a token subject's hash, never an email. */
export interface MutationOrigin {
  readonly caller?: string;
}

/** An observation before it is stamped with when and by what. */
type Found = Omit<StatusObservation, 'observedAt' | 'observedBy'>;

export { watchKey, type WatchTarget };

/** Sees one ListAccounts page's accounts as the directory is read; must not throw. */
export type DirectoryPageListener = (accounts: readonly OrgAccount[]) => void;

export type StatusChangeListener = (targets: readonly WatchTarget[]) => void;

/**
 * Up to this many accounts not yet known are looked up one DescribeAccount each; more than that and one
 * ListAccounts scan (20 a page) is cheaper for the organizations we serve, and answers every later lookup too.
 */
const DESCRIBE_ACCOUNT_LIMIT = 5;

/**
 * From this many member enrollments missing, one GetEnrollmentStatusesForOrganization scan (1,000 a page)
 * answers them all. A single member is asked directly, as the architecture's fallback rule says.
 */
const ENROLLMENT_SCAN_MIN = 2;

export class StatusService {
  readonly fleetwiseRegions: readonly string[];
  /** The OU tree, where each account sits in it, and account tags (organization-shape.ts). */
  readonly shape: OrganizationShape;
  private readonly aws: AwsServices;
  private readonly cache: StatusCache;
  private readonly ttl: TtlPolicy;
  private readonly idempotency: IdempotencyStore;
  private readonly history: StatusHistory | undefined;
  /** What reads through this service count as in history: queries, or polls through forPolling(). */
  private readonly observedBy: ObservedBy = 'query';
  /** The caller's signal, in a view made by forCaller(). */
  private readonly callerSignal: AbortSignal | undefined = undefined;
  private readonly followed: FollowedCreations;
  private readonly refusals: AccessRefusals;
  private readonly changeListeners = new Set<StatusChangeListener>();
  /** Who wants the directory's pages while this process reads it (directory()). */
  private readonly directoryPageListeners = new Set<DirectoryPageListener>();
  /** The pages of the directory read so far, while a read is under way (a holder: views made by forCaller share it). */
  private readonly directoryRead: { pages?: (readonly OrgAccount[])[] } = {};

  constructor(options: StatusServiceOptions) {
    this.aws = options.aws;
    this.cache = options.cache;
    this.ttl = options.ttl;
    this.fleetwiseRegions = options.fleetwiseRegions;
    this.idempotency = options.idempotency ?? new InProcessIdempotencyStore();
    this.history = options.history;
    this.shape = new OrganizationShape({ aws: this.aws, cache: this.cache, ttl: this.ttl });
    this.refusals = new AccessRefusals({ cache: this.cache, ttl: this.ttl, memberRoleName: options.memberRoleName ?? 'OrganizationAccountAccessRole' });
    this.followed = new FollowedCreations({
      cache: this.cache,
      ttl: this.ttl,
      describeRequests: (ids) => this.describeCreationRequests(ids),
      describeAccount: (id) => this.describeAccount(id),
    });
  }

  /** Told of accounts a creation added to the organization (followed-creations.ts), as soon as it SUCCEEDED. */
  onAccountsJoined(listener: AccountsJoinedListener): () => void {
    return this.followed.onJoined(listener);
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
  async forgetAccessRefusals(accountIds: readonly string[]): Promise<string[]> {
    const forgotten = await this.refusals.forget(accountIds);
    await Promise.all(
      accountIds.flatMap((id) => [
        this.cache.invalidate(cacheKeys.enrollment(id)),
        this.cache.invalidate(cacheKeys.fleetwiseOfAccount(id), { withChildren: true }),
      ]),
    );
    this.changed(accountIds.flatMap((accountId) => [
      { kind: 'enrollment' as const, accountId },
      ...this.fleetwiseRegions.map((region) => ({ kind: 'fleetwise' as const, accountId, region })),
    ]));
    return forgotten;
  }

  /** This service, its reads recorded in history as polls (the StatusWatcher reads through it). */
  forPolling(): StatusService {
    return Object.create(this, { observedBy: { value: 'poll' satisfies ObservedBy } }) as StatusService;
  }

  /**
   * The same service for one request (or subscription): `signal` aborts when its caller has gone — the query
   * deadline passed, the HTTP client hung up, the subscription ended — and then the AWS calls it alone waits for stop
   * retrying (in-flight-loads.ts, aws/call.ts). Loads other callers still wait for go on.
   */
  forCaller(signal: AbortSignal): StatusService {
    return Object.create(this, { callerSignal: { value: signal } }) as StatusService;
  }

  /** Tells history what a read from AWS found; a query never waits for it. */
  private observed(found: readonly Found[]): void {
    if (!this.history || found.length === 0) return;
    const observedAt = new Date();
    void this.history.record(found.map((each) => ({ ...each, observedAt, observedBy: this.observedBy })));
  }

  /** Records a mutation's own answer before anyone is told of the change (durable first). */
  private async recordMutation(found: Found, origin: MutationOrigin | undefined, idempotencyKey?: string): Promise<void> {
    await this.history?.record([
      {
        ...found,
        observedAt: new Date(),
        observedBy: 'mutation',
        ...(origin?.caller === undefined ? {} : { caller: origin.caller }),
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      },
    ]);
  }

  /** Told which statuses a mutation changed, so the pollers watching them look again now. */
  onStatusChanged(listener: StatusChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(targets: readonly WatchTarget[]): void {
    for (const listener of this.changeListeners) listener(targets);
  }

  // ---- mutations ------------------------------------------------------------------------------------------

  /** RegisterAccount in the account and region; the answer (normally REGISTRATION_PENDING) replaces the cached status. */
  async registerFleetwise(params: RegisterFleetwiseParams, origin?: MutationOrigin): Promise<Cached<FleetwiseRegistrationRecord>> {
    const record = await this.refusals.guard(params.accountId, () => this.aws.registerFleetwiseAccount(params));
    const target = { kind: 'fleetwise', accountId: params.accountId, region: params.region } as const;
    await this.recordMutation({ target, status: record.accountStatus }, origin);
    const cached = await this.cache.set(
      cacheKeys.fleetwise(params.accountId, params.region),
      record,
      ttlFor(this.ttl, record.accountStatus),
    );
    this.changed([{ kind: 'fleetwise', accountId: params.accountId, region: params.region }]);
    return cached;
  }

  /** UpdateEnrollmentStatus; forgets the cached enrollments it changes (every member's with includeMemberAccounts). */
  async updateEnrollment(params: UpdateEnrollmentParams, origin?: MutationOrigin): Promise<Cached<EnrollmentStatusRecord>> {
    const record = await this.refusals.guard(params.accountId, () => this.aws.updateEnrollmentStatus(params));
    await this.recordMutation({ target: { kind: 'enrollment', accountId: params.accountId }, status: record.status }, origin);
    const changed: WatchTarget[] = [{ kind: 'enrollment', accountId: params.accountId }];
    await this.cache.invalidate(cacheKeys.enrollment(params.accountId));
    // The org-wide scan lists this account too: kept, it would answer the old status for it once the account's own
    // entry is gone. The other members' entries it filled stay.
    await this.cache.invalidate(cacheKeys.enrollmentScan);
    if (params.includeMemberAccounts) {
      await this.cache.invalidate(cacheKeys.enrollmentScan);
      await this.cache.invalidate(cacheKeys.enrollments, { withChildren: true });
      const directory = await this.cache.peek<AccountDirectory>(cacheKeys.directory);
      for (const account of directory?.value.accounts ?? []) changed.push({ kind: 'enrollment', accountId: account.id });
    }
    this.changed(changed);
    return { value: record, fetchedAt: new Date() };
  }

  /**
   * CreateAccount at most once per idempotency key (24 h). A failure that proves nothing was created (a refusal or
   * throttling) frees the key for another try; an ambiguous one (timeout, 5xx) keeps it, so a retry cannot make a
   * second account.
   */
  createAccount(params: CreateAccountParams, idempotencyKey: string, origin?: MutationOrigin): Promise<Cached<CreateAccountStatusRecord>> {
    return this.idempotency.run(
      idempotencyKey,
      params,
      async () => {
        const record = await this.aws.createAccount(params);
        await this.recordMutation({ target: { kind: 'request', requestId: record.id }, status: record.state }, origin, idempotencyKey);
        const cached = await this.cache.set(cacheKeys.creationRequest(record.id), record, ttlFor(this.ttl, record.state));
        // Followed by id from now on: the index is not read again (every ListCreateAccountStatus page) for it.
        await this.followed.follow([record.id]);
        this.changed([{ kind: 'request', requestId: record.id }]);
        return cached;
      },
      (error) => error instanceof AwsCallError && (error.throttled || !error.retryable),
    );
  }

  /**
   * Forgets the cached statuses of these targets that are no newer than what a poller last saw, so its next read
   * asks AWS — but reuses anything a query fetched since.
   */
  async expireSeen(entries: readonly { readonly target: WatchTarget; readonly seenFetchedAt: Date }[]): Promise<void> {
    // The newest reading seen per cache key: an org-wide entry shared by many targets expires once.
    const seen = new Map<string, number>();
    const expireIfSeen = (key: string, at: Date) => seen.set(key, Math.max(seen.get(key) ?? 0, at.getTime()));
    for (const { target, seenFetchedAt } of entries) {
      for (const key of kindOf(target).cacheKeys(target)) expireIfSeen(key, seenFetchedAt);
    }
    await Promise.all(
      [...seen].map(async ([key, at]) => {
        const entry = await this.cache.peek(key);
        if (entry && entry.fetchedAt.getTime() <= at) await this.cache.invalidate(key);
      }),
    );
  }

  /**
   * A cache lookup that remembers settled refusals (AccessDenied, not found…) briefly, and never transient failures.
   * `fetch` gets the AWS services of the load, whose calls stop once every caller waiting for it has gone.
   */
  private load<T>(key: string, fetch: (aws: AwsServices) => Promise<T>, ttlMs: (value: T) => number): Promise<Cached<T>> {
    const signal = this.callerSignal;
    if (!signal) return this.cache.getOrLoad(key, () => fetch(this.aws), ttlMs, this.loadOptions);
    return this.cache.getOrLoad(key, (loadSignal) => fetch(this.aws.withSignal(loadSignal)), ttlMs, { ...this.loadOptions, signal });
  }

  private get loadOptions(): LoadOptions {
    return {
      // A member's refusal of its role lasts (access-refusals.ts); other settled refusals are asked again soon.
      failureTtlMs: (error) =>
        this.refusals.failureTtlMs(error) ?? (error instanceof AwsCallError && !error.retryable ? this.ttl.transitionalMs : undefined),
    };
  }

  /** The account whose credentials the server uses. */
  viewerAccountId(): Promise<string> {
    return this.aws.callerAccountId();
  }

  isFleetwiseRegion(region: string): boolean {
    return this.aws.isFleetwiseRegion(region);
  }

  organization(): Promise<Cached<OrganizationInfo | null>> {
    return this.load(cacheKeys.organization, (aws) => aws.describeOrganization(), () => this.ttl.settledMs);
  }

  /**
   * Every account of the organization. `onPage` sees the accounts page by page while this process reads the
   * directory from AWS — the pages read so far at once, then each as it arrives — so a caller can start the
   * accounts' own lookups during the sequential ListAccounts pages instead of after them. It sees nothing when the
   * directory comes from the cache (or another instance reads it): the caller then works from the answer.
   */
  async directory(options: { readonly onPage?: DirectoryPageListener } = {}): Promise<Cached<AccountDirectory>> {
    const { onPage } = options;
    if (onPage) {
      for (const page of this.directoryRead.pages ?? []) onPage(page);
      this.directoryPageListeners.add(onPage);
    }
    try {
      const read = await this.load(
        cacheKeys.directory,
        async (aws): Promise<AccountDirectory> => {
          const pagesRead: (readonly OrgAccount[])[] = [];
          this.directoryRead.pages = pagesRead;
          const readAt = new Date();
          try {
            const accounts = await aws.listAccounts({
              onPage: (page) => {
                pagesRead.push(page);
                for (const listener of this.directoryPageListeners) listener(page);
              },
            });
            return { accounts, byId: new Map(accounts.map((account) => [account.id, account])), readAt };
          } finally {
            this.directoryRead.pages = undefined;
          }
        },
        (directory) => ttlForAll(this.ttl, directory.accounts.map((account) => account.state)),
      );
      // Creations in progress are followed by id: one that SUCCEEDED since adds its account now (followed-creations.ts).
      if (this.followed.anyNow() === false) return read;
      await this.followed.look();
      return (await this.cache.peek<AccountDirectory>(cacheKeys.directory)) ?? read;
    } finally {
      if (onPage) this.directoryPageListeners.delete(onPage);
    }
  }

  /** Accounts by id; null for an id that is not in the organization. */
  async accounts(ids: readonly string[]): Promise<BatchResult<OrgAccount | null>[]> {
    const known = await this.cache.peek<AccountDirectory>(cacheKeys.directory);
    if (known) {
      // An account created after the directory was read is not in it yet: a few such ids are asked for one by one
      // (a creation request that just SUCCEEDED must lead to its account), many are answered from the directory.
      const absent = ids.filter((id) => !known.value.byId.has(id));
      const describeAbsent = absent.length > 0 && absent.length <= DESCRIBE_ACCOUNT_LIMIT;
      return settleEach(ids, async (id) => {
        const found = known.value.byId.get(id);
        if (found || !describeAbsent) return { value: found ?? null, fetchedAt: known.fetchedAt };
        return this.describeAccount(id);
      });
    }

    const cachedAccounts = await Promise.all(ids.map((id) => this.cache.peek(cacheKeys.account(id))));
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

  private describeAccount(id: string): Promise<Cached<OrgAccount | null>> {
    return this.load(cacheKeys.account(id), (aws) => aws.describeAccount(id), (account) => ttlFor(this.ttl, account?.state));
  }

  /** Compute Optimizer enrollment per account: the management account asks itself, members come from the org-wide scan. */
  async enrollments(ids: readonly string[]): Promise<BatchResult<EnrollmentStatusRecord>[]> {
    const results = new Map<string, BatchResult<EnrollmentStatusRecord>>();
    const missing: string[] = [];
    const distinct = [...new Set(ids)];
    const cachedEnrollments = await Promise.all(
      distinct.map((id) => this.cache.peek<EnrollmentStatusRecord>(cacheKeys.enrollment(id))),
    );
    distinct.forEach((id, index) => {
      const cached = cachedEnrollments[index];
      if (cached) results.set(id, cached);
      else missing.push(id);
    });

    if (missing.length > 0) {
      let callerId: string | undefined;
      try {
        callerId = await this.aws.callerAccountId();
      } catch (error) {
        for (const id of missing) results.set(id, asError(error));
      }
      if (callerId !== undefined) {
        const members = missing.filter((id) => id !== callerId);
        const direct = missing.filter((id) => id === callerId);
        if (members.length >= ENROLLMENT_SCAN_MIN && !(await this.cache.peek(cacheKeys.enrollmentScanDenied))) {
          const fromScan = await this.enrollmentsFromScan(members);
          for (const [id, result] of fromScan) {
            if (result === undefined) direct.push(id);
            else results.set(id, result);
          }
        } else {
          direct.push(...members);
        }
        const answers = await settleEach(direct, (id) =>
          this.load(
            cacheKeys.enrollment(id),
            async (aws) => {
              const record = await this.refusals.guard(id, () => aws.getEnrollmentStatus(id));
              this.observed([{ target: { kind: 'enrollment', accountId: id }, status: record.status }]);
              return record;
            },
            (record) => ttlFor(this.ttl, record.status),
          ),
        );
        direct.forEach((id, index) => results.set(id, answers[index]!));
      }
    }
    return ids.map((id) => results.get(id)!);
  }

  /**
   * Members' enrollments from the org-wide scan. A member the scan does not list maps to undefined (ask it directly);
   * a denied scan (not the management account, or trusted access off) is remembered so the next batch goes direct.
   */
  private async enrollmentsFromScan(
    members: readonly string[],
  ): Promise<Map<string, BatchResult<EnrollmentStatusRecord> | undefined>> {
    const answers = new Map<string, BatchResult<EnrollmentStatusRecord> | undefined>();
    try {
      const scan = await this.load(
        cacheKeys.enrollmentScan,
        async (aws) => {
          const records = await aws.listOrganizationEnrollmentStatuses();
          this.observed(records.map((record) => ({ target: { kind: 'enrollment', accountId: record.accountId }, status: record.status })));
          await Promise.all(
            records.map((record) => this.cache.set(cacheKeys.enrollment(record.accountId), record, ttlFor(this.ttl, record.status))),
          );
          return new Map(records.map((record) => [record.accountId, record]));
        },
        (byId) => ttlForAll(this.ttl, [...byId.values()].map((record) => record.status)),
      );
      for (const id of members) {
        const record = scan.value.get(id);
        answers.set(id, record ? { value: record, fetchedAt: scan.fetchedAt } : undefined);
      }
    } catch (error) {
      if (error instanceof AwsCallError && error.accessDenied) {
        await this.cache.set(cacheKeys.enrollmentScanDenied, true, this.ttl.settledMs);
        for (const id of members) answers.set(id, undefined);
      } else {
        for (const id of members) answers.set(id, asError(error));
      }
    }
    return answers;
  }

  /** FleetWise registration per (account, region); null = never registered there. */
  fleetwiseRegistrations(keys: readonly FleetwiseKey[]): Promise<BatchResult<FleetwiseRegistrationRecord | null>[]> {
    return settleEach(keys, ({ accountId, region }) =>
      this.load(
        cacheKeys.fleetwise(accountId, region),
        async (aws) => {
          const record = await this.refusals.guard(accountId, () => aws.getFleetwiseRegistration(accountId, region));
          this.observed([{ target: { kind: 'fleetwise', accountId, region }, status: record?.accountStatus ?? null }]);
          return record;
        },
        (record) => ttlFor(this.ttl, record?.accountStatus),
      ),
    );
  }

  // ---- answers at once from a cache in this process (undefined: ask the batch functions) ----------------------

  /** The organization, when the cache holds it fresh. */
  cachedOrganization(): Cached<OrganizationInfo | null> | undefined {
    return this.cache.peekNow?.(cacheKeys.organization);
  }

  /** Every account, when the cache holds the directory fresh. */
  cachedDirectory(): Cached<AccountDirectory> | undefined {
    // With creations followed, directory() looks at them first (one may have added an account).
    if (this.followed.anyNow() !== false) return undefined;
    return this.cache.peekNow?.(cacheKeys.directory);
  }

  /**
   * An account by id, when a fresh directory lists it or a fresh DescribeAccount answered for it (null: not in the
   * organization). An id a fresh directory does not list is left to accounts(), which decides whether to ask AWS.
   */
  cachedAccount(id: string): Cached<OrgAccount | null> | undefined {
    const directory = this.cache.peekNow?.<AccountDirectory>(cacheKeys.directory);
    const listed = directory?.value.byId.get(id);
    if (directory && listed) return { value: listed, fetchedAt: directory.fetchedAt };
    return directory ? undefined : this.cache.peekNow?.(cacheKeys.account(id));
  }

  /** An account's FleetWise registration in a region, when the cache holds it fresh. */
  cachedFleetwiseRegistration(accountId: string, region: string): Cached<FleetwiseRegistrationRecord | null> | undefined {
    return this.cache.peekNow?.(cacheKeys.fleetwise(accountId, region));
  }

  /** An account's Compute Optimizer enrollment, when the cache holds it fresh (from the org-wide scan or its own call). */
  cachedEnrollment(accountId: string): Cached<EnrollmentStatusRecord> | undefined {
    return this.cache.peekNow?.(cacheKeys.enrollment(accountId));
  }

  /**
   * The request that created an account, when that needs no AWS call: an invited account (null), or a fresh
   * creation index that can answer for it — the same rules as creationRequestsForAccounts.
   */
  cachedCreationRequestForAccount(account: OrgAccount): Cached<CreateAccountStatusRecord | null> | undefined {
    if (account.joinedMethod === 'INVITED') return { value: null, fetchedAt: new Date() };
    const index = this.cache.peekNow?.<CreationRequestIndex>(cacheKeys.creationIndex);
    if (!index) return undefined;
    // An account that joined after the index was read: the batch function reads the index again.
    if (joinedAfter(index, account)) return undefined;
    return { value: index.value.byAccountId.get(account.id) ?? null, fetchedAt: index.fetchedAt };
  }

  /** The request that created each account; null for invited accounts (no call) and accounts with no record. */
  async creationRequestsForAccounts(
    accounts: readonly OrgAccount[],
  ): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
    const now = new Date();
    if (accounts.every((account) => account.joinedMethod === 'INVITED')) {
      return accounts.map(() => ({ value: null, fetchedAt: now }));
    }
    // Pollers of creation statuses (a whole-organization subscription) come here: a followed creation that finished
    // then reaches them as an account that joined.
    await this.followed.look();
    try {
      let index = await this.creationIndex();
      // An account that joined after the index was read cannot be in it. The followed requests (in progress when the
      // index was read, or created here since) usually name it; else (created elsewhere) read the index again, once.
      if (accounts.some((account) => joinedAfter(index, account))) {
        await this.followed.look();
        index = await this.creationIndex();
      }
      if (accounts.some((account) => joinedAfter(index, account))) {
        await this.cache.invalidate(cacheKeys.creationIndex);
        index = await this.creationIndex();
      }
      const current = index;
      return accounts.map((account) =>
        account.joinedMethod === 'INVITED'
          ? { value: null, fetchedAt: now }
          : { value: current.value.byAccountId.get(account.id) ?? null, fetchedAt: current.fetchedAt },
      );
    } catch (error) {
      return accounts.map((account) =>
        account.joinedMethod === 'INVITED' ? { value: null, fetchedAt: now } : asError(error),
      );
    }
  }

  /** Creation requests by id; null when AWS has no such request. One that finished adds its account to the views. */
  async creationRequests(ids: readonly string[]): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
    const results = await this.describeCreationRequests(ids);
    const finished = results.flatMap((result) => (result instanceof Error || !result.value || isTransitional(result.value.state) ? [] : [result.value]));
    if (finished.length > 0) await this.followed.finished(finished);
    return results;
  }

  private async describeCreationRequests(ids: readonly string[]): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
    const index = await this.cache.peek<CreationRequestIndex>(cacheKeys.creationIndex);
    return settleEach(ids, async (id) => {
      const fromIndex = index?.value.byId.get(id);
      if (fromIndex && index && !isTransitional(fromIndex.state)) return { value: fromIndex, fetchedAt: index.fetchedAt };
      return this.load(
        cacheKeys.creationRequest(id),
        async (aws) => {
          const record = await aws.describeCreateAccountStatus(id);
          const accountId = record?.accountId;
          this.observed([{ target: { kind: 'request', requestId: id }, status: record?.state ?? null, ...(accountId ? { accountId } : {}) }]);
          return record;
        },
        (record) => ttlFor(this.ttl, record?.state),
      );
    });
  }

  creationIndex(): Promise<Cached<CreationRequestIndex>> {
    return this.load(
      cacheKeys.creationIndex,
      async (aws) => {
        const readAt = new Date();
        const requests = await aws.listCreateAccountStatuses();
        await this.followed.followScanned(requests.filter((request) => isTransitional(request.state)).map((request) => request.id));
        const index = indexOf(requests, readAt);
        this.observed([...index.byAccountId].map(([accountId, request]) => ({ target: { kind: 'creation', accountId }, status: request.state })));
        return index;
      },
      // The index answers "which request created this account": records that name an account are settled. Requests
      // still in progress are followed by id (creationRequests), so one of them does not make 5,000 accounts' index
      // expire every few seconds.
      () => this.ttl.settledMs,
    );
  }
}

/** Runs one lookup per key concurrently; a failure answers its own key only. */
async function settleEach<K, T>(keys: readonly K[], lookup: (key: K) => Promise<Cached<T>>): Promise<BatchResult<T>[]> {
  const settled = await Promise.allSettled(keys.map((key) => lookup(key)));
  return settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : asError(outcome.reason)));
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
