// The organization's shape, read as cheaply as AWS allows: the OU tree by one ListRoots + ListOrganizationalUnitsForParent
// walk (pages per parent, every parent of a level at once), cached with the settled TTL; each account's place in it from
// the Paths its ListAccounts page already carried (0 calls), or — where AWS returns no Paths — from one ListChildren walk
// of the tree, never a ListParents per account; and an account's tags, one ListTagsForResource each, only when asked for,
// cached settled. Tag and OU lookups go through the same status cache (in-flight sharing, TTLs) as the statuses, and
// for an operation (forCaller) carry its caller's deadline and stop when it goes, as the status reads do.
import { AwsCallError } from '../aws/errors.js';
import type { AwsServices } from '../aws/types.js';
import type { OrgAccount } from './records.js';
import type { Cached, StatusCache } from './status-cache.js';
import { callerLoad, type StatusCaller } from './status-context.js';
import type { TtlPolicy } from './ttl.js';

export interface OrganizationalUnitNode {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  /** The root's id or another OU's. */
  readonly parentId: string;
  /** OU ids from the top level down to this OU itself. */
  readonly chain: readonly string[];
}

export interface OrganizationTree {
  readonly root: { readonly id: string; readonly arn: string; readonly name: string };
  readonly units: ReadonlyMap<string, OrganizationalUnitNode>;
  /** OU ids under each parent (the root included), in AWS's order. */
  readonly children: ReadonlyMap<string, readonly string[]>;
}

export interface AccountTag {
  readonly key: string;
  readonly value: string;
}

/** Where each account sits: its parent (the root or an OU) by account id. */
export type Placements = ReadonlyMap<string, string>;

export const shapeCacheKeys = {
  tree: 'org:tree',
  placements: 'org:placements',
  tags: (accountId: string) => `tags:${accountId}`,
} as const;

export interface OrganizationShapeOptions {
  readonly aws: AwsServices;
  readonly cache: StatusCache;
  readonly ttl: TtlPolicy;
  /** The operation whose reads these are (forCaller); none: a poller's or the server's own. */
  readonly caller?: StatusCaller;
}

export class OrganizationShape {
  private readonly aws: AwsServices;
  private readonly cache: StatusCache;
  private readonly ttl: TtlPolicy;
  private readonly caller: StatusCaller | undefined;

  constructor(options: OrganizationShapeOptions) {
    this.aws = options.aws;
    this.cache = options.cache;
    this.ttl = options.ttl;
    this.caller = options.caller;
  }

  /** This shape for one operation: its AWS calls carry the caller's deadline and stop once the caller has gone. */
  forCaller(caller: StatusCaller): OrganizationShape {
    return new OrganizationShape({ aws: this.aws, cache: this.cache, ttl: this.ttl, caller });
  }

  /** The root and every OU. */
  tree(): Promise<Cached<OrganizationTree>> {
    return this.load(shapeCacheKeys.tree, (aws) => walkTree(aws), () => this.ttl.settledMs);
  }

  cachedTree(): Cached<OrganizationTree> | undefined {
    return this.cache.peekNow?.(shapeCacheKeys.tree);
  }

  /**
   * The parent of each account. From the accounts' Paths when every account carries one (no call); otherwise one
   * ListChildren walk over the tree answers every account at once.
   */
  async placements(accounts: readonly OrgAccount[]): Promise<Placements> {
    const fromPaths = new Map<string, string>();
    for (const account of accounts) {
      const parent = parentFromPaths(account);
      if (parent === undefined) return (await this.walkedPlacements()).value;
      fromPaths.set(account.id, parent);
    }
    return fromPaths;
  }

  /** The tags of each account: one ListTagsForResource per account the cache does not hold; a failure is that account's Error. */
  tags(accountIds: readonly string[]): Promise<Array<Cached<readonly AccountTag[]> | Error>> {
    return Promise.all(
      accountIds.map((id) =>
        this.load(shapeCacheKeys.tags(id), (aws) => aws.listTagsForResource(id), () => this.ttl.settledMs).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error)),
        ),
      ),
    );
  }

  cachedTags(accountId: string): Cached<readonly AccountTag[]> | undefined {
    return this.cache.peekNow?.(shapeCacheKeys.tags(accountId));
  }

  /** Forgets what a change to the tree makes stale (an OU created, renamed, an account moved). */
  async forgetTree(): Promise<void> {
    await Promise.all([this.cache.invalidate(shapeCacheKeys.tree), this.cache.invalidate(shapeCacheKeys.placements)]);
  }

  /** Forgets where the ListChildren walk found the accounts (AWS gave no Paths), so the next placements() walks again. */
  async forgetWalkedPlacements(): Promise<void> {
    await this.cache.invalidate(shapeCacheKeys.placements);
  }

  private walkedPlacements(): Promise<Cached<Placements>> {
    return this.load(
      shapeCacheKeys.placements,
      async (aws) => {
        const tree = (await this.tree()).value;
        const parents = [tree.root.id, ...tree.units.keys()];
        const accountIds = await Promise.all(parents.map((parentId) => aws.listAccountIdsForParent(parentId)));
        const placements = new Map<string, string>();
        parents.forEach((parentId, index) => {
          for (const accountId of accountIds[index]!) placements.set(accountId, parentId);
        });
        return placements;
      },
      () => this.ttl.settledMs,
    );
  }

  private load<T>(key: string, fetch: (aws: AwsServices) => Promise<T>, ttlMs: (value: T) => number): Promise<Cached<T>> {
    const { aws, cache, caller } = this;
    return callerLoad(caller ? { aws, cache, caller } : { aws, cache }, key, fetch, ttlMs, {
      failureTtlMs: (error) => (error instanceof AwsCallError && !error.retryable ? this.ttl.transitionalMs : undefined),
    });
  }
}

/** Level by level: every parent of a level is listed at once, each parent's pages in turn. */
async function walkTree(aws: AwsServices): Promise<OrganizationTree> {
  const [root] = await aws.listRoots();
  if (root === undefined) throw new Error('ListRoots answered no root');
  const units = new Map<string, OrganizationalUnitNode>();
  const children = new Map<string, string[]>();
  let level: string[] = [root.id];
  while (level.length > 0) {
    const listed = await Promise.all(level.map((parentId) => aws.listOrganizationalUnitsForParent(parentId)));
    const next: string[] = [];
    level.forEach((parentId, index) => {
      const parentChain = units.get(parentId)?.chain ?? [];
      children.set(parentId, listed[index]!.map((unit) => unit.id));
      for (const unit of listed[index]!) {
        units.set(unit.id, { ...unit, chain: [...parentChain, unit.id] });
        next.push(unit.id);
      }
    });
    level = next;
  }
  return { root, units, children };
}

/** The parent named in the account's first Path (`o-…/r-…/ou-…/<account id>/`); undefined when AWS gave none. */
export function parentFromPaths(account: OrgAccount): string | undefined {
  const path = account.paths?.[0];
  if (path === undefined) return undefined;
  const parts = path.split('/').filter((part) => part !== '');
  return parts.length >= 3 && parts.at(-1) === account.id ? parts.at(-2) : undefined;
}

/** OU ids from the top level down to `parentId` (empty for the root). */
export function chainOf(tree: OrganizationTree, parentId: string): readonly string[] {
  return tree.units.get(parentId)?.chain ?? [];
}
