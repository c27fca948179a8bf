// Which accounts a filtered stream follows, kept true while the organization changes under it: an account that
// MoveAccount brings under the filter's OU (or one of its descendants) enters, one moved out leaves, as do accounts
// whose state or tags stop matching, and accounts that join the organization are considered. The cost is the
// directory's own: once per settled poll interval the directory (ListAccounts pages, whose Paths say where every
// account sits) is read again — one read per process, shared by every filtered stream, and reused when a query read it
// since — and the OU tree only when an account sits in an OU the cached tree does not know. Where AWS gives no Paths,
// the ListChildren walk (a call per parent) is made again each round instead. Never a ListParents per account. Status criteria are applied to entering accounts only: an account already
// followed stays until it leaves the filter's scope (its status changes are what the stream reports).
import { selectAccounts, type AccountFilter } from './account-filter.js';
import { parentFromPaths } from './organization-shape.js';
import type { AccountDirectory } from './followed-creations.js';
import type { OrgAccount } from './records.js';
import type { Cached } from './status-cache.js';
import type { StatusService } from './status-service.js';

export interface MembershipChange {
  /** Accounts that now match the filter, to be watched from now on. */
  readonly entered: readonly string[];
  /** Accounts that no longer sit where the filter looks (or no longer match its directory criteria). */
  readonly left: readonly string[];
}

type DirectoryListener = (directory: Cached<AccountDirectory>) => Promise<void>;

/**
 * Reads the directory afresh every interval while anyone listens (started with the first listener, stopped with the
 * last): a cached directory no newer than the one this refresh last saw is looked past (not evicted: queries keep it
 * until the new read is stored); a newer one, read by anyone since, is used as it is.
 */
export class DirectoryRefresh {
  private readonly listeners = new Set<DirectoryListener>();
  private timer: NodeJS.Timeout | undefined;
  private lastSeen: Date | undefined;

  constructor(
    private readonly status: StatusService,
    private readonly intervalMs: number,
  ) {}

  /** `seen`: the directory the listener already has, so the next round reads a newer one. */
  listen(listener: DirectoryListener, seen?: Date): () => void {
    if (seen && (!this.lastSeen || seen > this.lastSeen)) this.lastSeen = seen;
    this.listeners.add(listener);
    if (this.timer === undefined) this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.refresh(), this.intervalMs);
    // A refresh never keeps the process alive; closing the streams stops it.
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    try {
      const reader = this.lastSeen ? this.status.refreshingDirectory(this.lastSeen) : this.status;
      const directory = await reader.directory();
      this.lastSeen = directory.fetchedAt;
      await Promise.all([...this.listeners].map((listener) => listener(directory).catch(() => undefined)));
    } catch {
      // AWS failed the directory read: the streams keep their accounts and the next round tries again.
    } finally {
      if (this.listeners.size > 0) this.schedule();
    }
  }
}

/** One refresh per StatusService (so per server instance), made when its first filtered stream opens. */
const refreshes = new WeakMap<StatusService, DirectoryRefresh>();

export function directoryRefreshOf(status: StatusService, intervalMs: number): DirectoryRefresh {
  let refresh = refreshes.get(status);
  if (!refresh) refreshes.set(status, (refresh = new DirectoryRefresh(status, intervalMs)));
  return refresh;
}

/** The criteria the directory answers (and tags): where an account sits, its state, name, tags. */
function scopeOf(filter: AccountFilter): AccountFilter {
  const { computeOptimizerEnrollment: _enrollment, fleetwiseRegistration: _registration, creationRequest: _creation, ...scope } = filter;
  return scope;
}

/**
 * Follows the accounts `filter` chooses. `chosen` are those the stream watches now (the filter's answer when it
 * opened); `onChange` hears each round's entries and departures. Returns the function that stops following.
 */
export async function followFilter(
  status: StatusService,
  refresh: DirectoryRefresh,
  filter: AccountFilter,
  chosen: ReadonlySet<string>,
  onChange: (change: MembershipChange) => void,
): Promise<() => void> {
  const scope = scopeOf(filter);
  const inScope = async (accounts: readonly OrgAccount[]) => {
    const selection = await selectAccounts(status, status.shape, accounts, scope);
    // An account whose tags could not be read this round neither enters nor leaves.
    return { ids: new Set(selection.accounts.map((account) => account.id)), undecided: new Set(selection.undecided.map((each) => each.accountId)) };
  };
  const followed = new Set(chosen);
  const opened = status.cachedDirectory() ?? (await status.directory());
  let scoped = (await inScope(opened.value.accounts)).ids;
  return refresh.listen(async (directory) => {
    const { accounts } = directory.value;
    await forgetTreeIfStale(status, accounts);
    // Without Paths (an older partition) where accounts sit comes from the ListChildren walk: walked again each round.
    if (accounts.some((account) => parentFromPaths(account) === undefined)) await status.shape.forgetWalkedPlacements();
    const now = await inScope(accounts);
    const arriving = accounts.filter((account) => now.ids.has(account.id) && !scoped.has(account.id));
    const left = new Set([...scoped].filter((id) => !now.ids.has(id) && !now.undecided.has(id)));
    // Status criteria, for the accounts arriving only (the calls of reading those statuses for them). One whose
    // status could not be read this round (throttled…) is judged again next round.
    const judged = await selectAccounts(status, status.shape, arriving, { ...filter, ...emptyScope });
    const retry = new Set(judged.undecided.map((each) => each.accountId));
    const entered = judged.accounts.map((account) => account.id);
    scoped = new Set([...[...scoped].filter((id) => !left.has(id)), ...arriving.map((account) => account.id).filter((id) => !retry.has(id))]);
    const departed = [...left].filter((id) => followed.delete(id));
    for (const id of entered) followed.add(id);
    if (entered.length > 0 || departed.length > 0) onChange({ entered, left: departed });
  }, opened.fetchedAt);
}

/** The directory criteria cleared, so selectAccounts applies a filter's status criteria alone. */
const emptyScope: AccountFilter = {
  organizationalUnitId: undefined,
  directOnly: undefined,
  tags: undefined,
  states: undefined,
  joinedMethods: undefined,
  nameOrId: undefined,
};

/** An account in an OU the cached tree does not know (created since): the tree is read again. */
async function forgetTreeIfStale(status: StatusService, accounts: readonly OrgAccount[]): Promise<void> {
  const tree = (await status.shape.tree()).value;
  const unknown = accounts.some((account) => {
    const parent = parentFromPaths(account);
    return parent !== undefined && parent !== tree.root.id && !tree.units.has(parent);
  });
  if (unknown) await status.shape.forgetTree();
}
