// The organization-wide views that a creation changes — the account directory and the creation-request index — and
// the creation requests in progress, followed by id. A createAccount, or a request the index scan found IN_PROGRESS,
// is followed with DescribeCreateAccountStatus (one call per request per transitional TTL, and only while someone
// reads) instead of rescanning every ListCreateAccountStatus page; once it SUCCEEDED its account is added to both
// views at once — not when the directory's settled cache entry expires five minutes later — and the listeners of
// `onJoined` hear of it (whole-organization subscriptions add the account).
import type { CreateAccountStatusRecord, OrgAccount } from './records.js';
import type { Cached, StatusCache } from './status-cache.js';
import type { OperationReads } from './status-context.js';
import { ttlForAll, type TtlPolicy } from './ttl.js';

/** Every account of the organization, in ListAccounts order, with an index by id. */
export interface AccountDirectory {
  readonly accounts: readonly OrgAccount[];
  readonly byId: ReadonlyMap<string, OrgAccount>;
  /** When ListAccounts was read (its first page asked for): accounts added since keep the directory's expiry. */
  readonly readAt?: Date;
}

/** Every creation request on record, indexed by the account it created and by its own id. */
export interface CreationRequestIndex {
  readonly requests: readonly CreateAccountStatusRecord[];
  readonly byAccountId: ReadonlyMap<string, CreateAccountStatusRecord>;
  readonly byId: ReadonlyMap<string, CreateAccountStatusRecord>;
  /** When ListCreateAccountStatus was read: an account that joined later and is not in the index is not known to it. */
  readonly readAt?: Date;
}

/** Cache keys, one place: the pollers and mutations invalidate the same ones. */
export const cacheKeys = {
  organization: 'org:info',
  directory: 'org:accounts',
  creationIndex: 'org:creation-requests',
  /** Ids of the creation requests in progress that are followed by id. */
  creationsInProgress: 'org:creation-requests-in-progress',
  enrollmentScan: 'org:enrollments',
  enrollmentScanDenied: 'org:enrollments-denied',
  account: (id: string) => `account:${id}`,
  enrollment: (id: string) => `enrollment:${id}`,
  /** The parent of every account's enrollment entry, to forget them all at once. */
  enrollments: 'enrollment',
  fleetwise: (id: string, region: string) => `fleetwise:${id}:${region}`,
  /** The parent of an account's FleetWise entries, one per region, to forget them all at once. */
  fleetwiseOfAccount: (id: string) => `fleetwise:${id}`,
  creationRequest: (id: string) => `creation-request:${id}`,
} as const;

/** Whether an account joined after the creation index was read, and so cannot be in it. */
export function joinedAfter(index: Cached<CreationRequestIndex>, account: OrgAccount): boolean {
  const readAt = index.value.readAt ?? index.fetchedAt;
  return !index.value.byAccountId.has(account.id) && account.joinedTimestamp !== undefined && account.joinedTimestamp > readAt;
}

/** An index of creation requests; of several naming one account (a retried creation), the most recent describes it. */
export function indexOf(requests: readonly CreateAccountStatusRecord[], readAt: Date): CreationRequestIndex {
  const byAccountId = new Map<string, CreateAccountStatusRecord>();
  for (const request of [...requests].sort(byRequestedTime)) {
    if (request.accountId) byAccountId.set(request.accountId, request);
  }
  return { requests, byAccountId, byId: new Map(requests.map((request) => [request.id, request])), readAt };
}

function byRequestedTime(a: CreateAccountStatusRecord, b: CreateAccountStatusRecord): number {
  return (a.requestedTimestamp?.getTime() ?? 0) - (b.requestedTimestamp?.getTime() ?? 0);
}

export interface FollowedCreationsOptions {
  readonly cache: StatusCache;
  readonly ttl: TtlPolicy;
  /** Creation requests by id, through the cache (DescribeCreateAccountStatus, transitional TTL while in progress). */
  readonly describeRequests: (ids: readonly string[]) => Promise<(Cached<CreateAccountStatusRecord | null> | Error)[]>;
  /** An account by id, through the cache (DescribeAccount); null while it is not in the organization yet. */
  readonly describeAccount: (id: string) => Promise<Cached<OrgAccount | null>>;
}

export type AccountsJoinedListener = (accounts: readonly OrgAccount[]) => void;
/** Told of creation requests created here, now followed by id (whole-organization streams poll them). */
export type CreationsFollowedListener = (requestIds: readonly string[]) => void;

/** The requests followed: those this service created, and those the last index scan found in progress. */
interface Followed {
  readonly created: readonly string[];
  readonly scanned: readonly string[];
  /** When the scan found them (epoch ms). */
  readonly scannedAt?: number;
}

/**
 * Requests in progress found by a scan are followed by id only while there are this few: past it, reading them one
 * by one costs more calls than the index scan they replace (20 requests a page) — the emulator's 1,000-account
 * organization has hundreds. They are looked at once the scan is a transitional TTL old (the scan itself said how
 * they stood until then, so a cold query spends nothing on them). Requests created here are always followed.
 * @default 5 requests
 */
const FOLLOW_SCANNED_LIMIT = 5;

export class FollowedCreations {
  private readonly cache: StatusCache;
  private readonly ttl: TtlPolicy;
  private readonly options: FollowedCreationsOptions;
  private readonly joinedListeners = new Set<AccountsJoinedListener>();
  private readonly followedListeners = new Set<CreationsFollowedListener>();
  /** The accounts of the last directory read in this process (and their ids): a read that lists more is news. */
  private lastDirectory: { readonly accounts: readonly OrgAccount[]; readonly ids: ReadonlySet<string> } | undefined;
  /** One look at the followed requests at a time: concurrent readers share it. */
  private looking: Promise<void> | undefined;

  constructor(options: FollowedCreationsOptions) {
    this.cache = options.cache;
    this.ttl = options.ttl;
    this.options = options;
  }

  /** Told of accounts a followed creation added to the organization. */
  onJoined(listener: AccountsJoinedListener): () => void {
    this.joinedListeners.add(listener);
    return () => this.joinedListeners.delete(listener);
  }

  /**
   * A directory read (from ListAccounts or the cache): the accounts it lists that the last one did not joined since —
   * created outside statusgraph, or by a request no one followed to its end (the index scan that found it in
   * progress was replaced by one that found it done) — and the listeners of `onJoined` hear of them.
   */
  directoryRead(accounts: readonly OrgAccount[]): void {
    const last = this.lastDirectory;
    if (last?.accounts === accounts) return;
    this.lastDirectory = { accounts, ids: new Set(accounts.map((account) => account.id)) };
    const joined = last ? accounts.filter((account) => !last.ids.has(account.id)) : [];
    if (joined.length > 0) for (const listener of this.joinedListeners) listener(joined);
  }

  /** Told of the requests a createAccount here starts following. */
  onFollowed(listener: CreationsFollowedListener): () => void {
    this.followedListeners.add(listener);
    return () => this.followedListeners.delete(listener);
  }

  /** The ids of the requests followed now: those created here, and those in progress the last index scan found if few. */
  async followedIds(): Promise<string[]> {
    const followed = await this.followed();
    return [...new Set([...followed.created, ...(followed.scanned.length <= FOLLOW_SCANNED_LIMIT ? followed.scanned : [])])];
  }

  /** Whether requests are followed, when the cache in this process can tell at once (undefined: it cannot). */
  anyNow(): boolean | undefined {
    if (!this.cache.peekNow) return undefined;
    const followed = this.cache.peekNow<Followed>(cacheKeys.creationsInProgress)?.value;
    return followed !== undefined && this.lookedAt(followed).length > 0;
  }

  /** Starts following requests this service created (a createAccount's answer). */
  async follow(ids: readonly string[]): Promise<void> {
    const current = await this.followed();
    await this.store({ ...current, created: [...new Set([...current.created, ...ids])] });
    for (const listener of this.followedListeners) listener(ids);
  }

  /** The requests in progress as an index scan found them, replacing those it found before. */
  async followScanned(ids: readonly string[]): Promise<void> {
    const current = await this.followed();
    await this.store({ ...current, scanned: [...ids], scannedAt: Date.now() });
  }

  /**
   * Looks at the followed requests (cached for the transitional TTL, so at most one DescribeCreateAccountStatus per
   * request per TTL) and applies the finished ones to the views. An `operation` looks once: its first look — or, in a
   * cold query, the index scan that found the requests in progress — is how they stand for the rest of it, so a query
   * that outlasts their transitional TTL reads none of them twice.
   */
  look(operation?: OperationReads): Promise<void> {
    if (operation) {
      if (operation.followedLooked) return Promise.resolve();
      operation.followedLooked = true;
    }
    this.looking ??= this.lookOnce().finally(() => (this.looking = undefined));
    return this.looking;
  }

  /** Requests seen finished anywhere (a createAccountRequest query, a poller): followed ones update the views. */
  async finished(records: readonly CreateAccountStatusRecord[]): Promise<void> {
    const followed = await this.followed();
    const ids = new Set([...followed.created, ...followed.scanned]);
    const done = records.filter((record) => record.state !== 'IN_PROGRESS' && ids.has(record.id));
    if (done.length === 0) return;
    await this.addToIndex(done);
    const joined: OrgAccount[] = [];
    for (const record of done) {
      if (record.state !== 'SUCCEEDED' || !record.accountId) continue;
      const account = await this.options.describeAccount(record.accountId).catch(() => undefined);
      if (account?.value) joined.push(account.value);
    }
    await this.addToDirectory(joined);
    // A SUCCEEDED request whose account DescribeAccount does not show yet stays followed.
    const over = new Set(done.filter((record) => record.state !== 'SUCCEEDED' || joined.some((account) => account.id === record.accountId)).map((record) => record.id));
    await this.unfollow(over);
    // Every account a followed creation made is told, whether or not the cached directory had it already: a directory
    // read again since (ListAccounts after its entry expired) lists it, and no one else tells the streams. A stream
    // that already watches an account ignores it.
    if (joined.length > 0) for (const listener of this.joinedListeners) listener(joined);
    this.toldJoined(joined);
  }

  /**
   * Accounts told as joined are no news to the next directory read that lists them — the cached directory they were
   * added to, read by a stream resumed later, which would take one for an account joining now and send its state again.
   */
  private toldJoined(accounts: readonly OrgAccount[]): void {
    const last = this.lastDirectory;
    if (!last || accounts.length === 0) return;
    this.lastDirectory = { accounts: last.accounts, ids: new Set([...last.ids, ...accounts.map((account) => account.id)]) };
  }

  private async lookOnce(): Promise<void> {
    const ids = this.lookedAt(await this.followed());
    if (ids.length === 0) return;
    const results = await this.options.describeRequests(ids);
    const records = results.flatMap((result) => (result instanceof Error || !result.value ? [] : [result.value]));
    // A request AWS no longer knows is not worth following.
    await this.unfollow(new Set(ids.filter((_id, index) => { const result = results[index]; return result !== undefined && !(result instanceof Error) && !result.value; })));
    await this.finished(records);
  }

  /** The followed requests worth a DescribeCreateAccountStatus each now. */
  private lookedAt(followed: Followed): string[] {
    const scanAged = Date.now() - (followed.scannedAt ?? 0) >= this.ttl.transitionalMs;
    return [...followed.created, ...(scanAged && followed.scanned.length <= FOLLOW_SCANNED_LIMIT ? followed.scanned : [])];
  }

  private async followed(): Promise<Followed> {
    return (await this.cache.peek<Followed>(cacheKeys.creationsInProgress))?.value ?? { created: [], scanned: [] };
  }

  private async unfollow(ids: ReadonlySet<string>): Promise<void> {
    if (ids.size === 0) return;
    const current = await this.followed();
    await this.store({ ...current, created: current.created.filter((id) => !ids.has(id)), scanned: current.scanned.filter((id) => !ids.has(id)) });
  }

  private async store(followed: Followed): Promise<void> {
    if (followed.created.length === 0 && followed.scanned.length === 0) await this.cache.invalidate(cacheKeys.creationsInProgress);
    else await this.cache.set(cacheKeys.creationsInProgress, followed, this.ttl.settledMs);
  }

  /** Adds finished requests to a cached index, keeping when it was read (and so when it expires). */
  private async addToIndex(records: readonly CreateAccountStatusRecord[]): Promise<void> {
    const index = await this.cache.peek<CreationRequestIndex>(cacheKeys.creationIndex);
    if (!index) return;
    const readAt = index.value.readAt ?? index.fetchedAt;
    const requests = [...index.value.requests.filter((request) => !records.some((record) => record.id === request.id)), ...records];
    await this.cache.set(cacheKeys.creationIndex, indexOf(requests, readAt), this.remaining(readAt, this.ttl.settledMs));
  }

  /** Adds accounts to a cached directory, keeping when it was read (a directory read since may list them already). */
  private async addToDirectory(accounts: readonly OrgAccount[]): Promise<void> {
    const directory = await this.cache.peek<AccountDirectory>(cacheKeys.directory);
    const added = accounts.filter((account) => !directory?.value.byId.has(account.id));
    if (!directory || added.length === 0) return;
    const readAt = directory.value.readAt ?? directory.fetchedAt;
    const all = [...directory.value.accounts, ...added];
    const ttl = ttlForAll(this.ttl, all.map((account) => account.state));
    await this.cache.set<AccountDirectory>(
      cacheKeys.directory,
      { accounts: all, byId: new Map(all.map((account) => [account.id, account])), readAt },
      this.remaining(readAt, ttl),
    );
  }

  private remaining(readAt: Date, ttlMs: number): number {
    return Math.max(1, readAt.getTime() + ttlMs - Date.now());
  }
}
