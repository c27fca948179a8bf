// The per-request reader: what an operation's GraphQL context holds to read statuses (made per request, and per event
// of a subscription). Each answer comes at once from a fresh entry of the status cache in this process — the warm
// path stays synchronous: no promise, no DataLoader batch — or else through the request's DataLoaders, which batch
// the operation's lookups into the StatusService's batch functions. A resolver asks it and maps what it answers;
// the peek-then-load rule lives here, once. What goes to AWS goes through the caller's view of the service
// (StatusService.forCaller, made on the first such read: a warm request makes none), so the batch's AWS calls carry
// the caller's deadline and stop when the caller goes.
import { selectAccounts, type AccountFilter, type AccountSelection } from './account-filter.js';
import { createLoaders, type BatchObserver, type Loaders } from './create-loaders.js';
import type { AccountTag, OrganizationTree, Placements } from './organization-shape.js';
import type { CreateAccountStatusRecord, EnrollmentStatusRecord, FleetwiseRegistrationRecord, OrganizationInfo, OrgAccount } from './records.js';
import { readOrganizationStatuses, readStatusesOf, type AccountStatuses } from './organization-statuses.js';
import type { Cached } from './status-cache.js';
import type { StatusCaller } from './status-context.js';
import type { AccountDirectory, StatusService } from './status-service.js';

/** An answer now (a fresh cache entry) or once the batch has read it; a failure rejects the promise. */
export type Answer<T> = Cached<T> | Promise<Cached<T>>;

export class StatusReader {
  /** Made on first miss: an operation answered from the cache (a warm page) makes no DataLoader. */
  private currentLoaders: Loaders | undefined = undefined;
  /** Made on first use, like the loaders. */
  private callerService: StatusService | undefined = undefined;
  /**
   * The directory this operation saw first. Every later look in the operation answers the same accounts: a poller
   * that adds a created account meanwhile must not make `accounts.totalCount` and `statusSummary` of one response
   * disagree.
   */
  private seenDirectory: Answer<AccountDirectory> | undefined = undefined;

  /**
   * @param shared the server's StatusService: the cache peeks need no caller
   * @param caller the operation's caller, whose view of `shared` every read that may call AWS goes through; none (a
   *   test, a poller's read) reads through `shared` itself
   */
  constructor(
    private readonly shared: StatusService,
    private readonly onBatch?: BatchObserver,
    private readonly caller?: StatusCaller,
  ) {}

  /**
   * The StatusService as this operation's caller sees it (StatusService.forCaller): what a resolver calls for what the
   * reader does not answer itself (mutations, the organization's shape), so its AWS calls carry the caller's deadline
   * and stop when the caller goes.
   */
  get service(): StatusService {
    return (this.callerService ??= this.caller ? this.shared.forCaller(this.caller) : this.shared);
  }

  /** The regions asked for when a query names none (the first is the default region). */
  get fleetwiseRegions(): readonly string[] {
    return this.shared.fleetwiseRegions;
  }

  /** Whether IoT FleetWise is offered in the region (no call). */
  isFleetwiseRegion(region: string): boolean {
    return this.shared.isFleetwiseRegion(region);
  }

  /** The request's DataLoaders, for the reads that batch by themselves (the org-wide summary). */
  get loaders(): Loaders {
    return (this.currentLoaders ??= createLoaders(this.service, this.onBatch));
  }

  /** The account's FleetWise registration in the region; null = never registered there. */
  fleetwiseRegistration(accountId: string, region: string): Answer<FleetwiseRegistrationRecord | null> {
    return this.shared.cachedFleetwiseRegistration(accountId, region) ?? this.loaders.fleetwise.load({ accountId, region });
  }

  /** The account's Compute Optimizer enrollment. */
  enrollment(accountId: string): Answer<EnrollmentStatusRecord> {
    return this.shared.cachedEnrollment(accountId) ?? this.loaders.enrollment.load(accountId);
  }

  /** The request that created the account; null when it joined by invitation or AWS has no record. */
  creationRequestForAccount(account: OrgAccount): Answer<CreateAccountStatusRecord | null> {
    return this.shared.cachedCreationRequestForAccount(account) ?? this.loaders.creationRequestForAccount.load(account);
  }

  /** An account of the organization; null when the id is not in it. */
  account(id: string): Answer<OrgAccount | null> {
    return this.shared.cachedAccount(id) ?? this.loaders.account.load(id);
  }

  /** The organization; null when the caller is in none. */
  organization(): Answer<OrganizationInfo | null> {
    return this.shared.cachedOrganization() ?? this.service.organization();
  }

  /** Every account of the organization. */
  directory(): Answer<AccountDirectory> {
    return (this.seenDirectory ??= this.shared.cachedDirectory() ?? this.service.directory());
  }

  /**
   * Every account and its three statuses, for the org-wide summary: from a cached directory, the statuses of its
   * accounts; else the directory read page by page, each page's statuses started as it arrives
   * (organization-statuses.ts). A status's failure is its account's value; the directory's rejects.
   */
  async organizationStatuses(): Promise<{ accounts: readonly OrgAccount[]; statuses: AccountStatuses[] }> {
    const seen = (this.seenDirectory ??= this.shared.cachedDirectory());
    if (seen && !(seen instanceof Promise)) {
      return { accounts: seen.value.accounts, statuses: await readStatusesOf(this.shared, this.loaders, seen.value.accounts) };
    }
    // Being read: the summary still takes its pages as they arrive, and answers the accounts the operation saw.
    return readOrganizationStatuses(this.service, this.loaders, seen ?? ((read) => (this.seenDirectory = read)));
  }

  /** Each account's three statuses, from the cache or through the loaders; a status that failed is its Error. */
  statusesOf(accounts: readonly OrgAccount[]): Promise<AccountStatuses[]> {
    return readStatusesOf(this.shared, this.loaders, accounts);
  }

  /** The accounts of `accounts` a filter keeps (its tags, OU and statuses read for this caller), and those it could not judge. */
  select(accounts: readonly OrgAccount[], filter: AccountFilter): Promise<AccountSelection> {
    return selectAccounts(this.service, this.service.shape, accounts, filter);
  }

  /** Rejects with NotInOrganizationError when an id is not a member of the organization (the directory read for this caller). */
  requireMembers(accountIds: readonly string[]): Promise<void> {
    return this.service.requireMembers(accountIds);
  }

  /** The account whose credentials the server uses (learnt at start: no call per operation). */
  viewerAccountId(): Promise<string> {
    return this.shared.viewerAccountId();
  }

  /** The organization's tree of OUs: one walk, cached settled. */
  tree(): Answer<OrganizationTree> {
    return this.shared.shape.cachedTree() ?? this.service.shape.tree();
  }

  /** Each account's parent: from the accounts' Paths at no call, else from the one cached walk of the tree. */
  placements(accounts: readonly OrgAccount[]): Promise<Placements> {
    return this.service.shape.placements(accounts);
  }

  /** The account's tags (one ListTagsForResource, cached); a failed read rejects with its error. */
  tags(accountId: string): Answer<readonly AccountTag[]> {
    return this.shared.shape.cachedTags(accountId) ?? this.service.shape.tags([accountId]).then(([found]) => (found instanceof Error ? Promise.reject(found) : found!));
  }

  /** A creation request by its id; null when AWS has no such request. A failed read rejects with its error. */
  async creationRequest(id: string): Promise<Cached<CreateAccountStatusRecord | null>> {
    const [found] = await this.service.creationRequests([id]);
    if (found instanceof Error) throw found;
    return found!;
  }
}
