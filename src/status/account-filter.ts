// Choosing a set of accounts: one AccountFilter for every place the API selects accounts (organization.accounts,
// statusSummary, OrganizationalUnit.accounts, accountStatusChanged). Criteria are applied cheapest first — what the
// directory already says (state, joined method, name or id, OU from Paths: 0 calls), then tags (one
// ListTagsForResource per remaining account, cached), then statuses (exactly the calls of reading those statuses:
// the org-wide enrollment scan, the creation index, a FleetWise call per remaining account) — so a filter never costs
// more than reading what it filters on, and a warm one costs nothing.
import type { OrgAccount } from './records.js';
import type { OrganizationShape, OrganizationTree, Placements } from './organization-shape.js';
import type { BatchResult, StatusService } from './status-service.js';

/** A source's status that could not be read (its lookup failed): a value a filter can ask for. */
export const UNREADABLE = 'UNREADABLE';
/** FleetWise: the account never registered in the region. */
export const NOT_REGISTERED = 'NOT_REGISTERED';
/** Creation request: the account has none (it was invited). */
export const NO_CREATION_REQUEST = 'NONE';

export interface TagCriterion {
  readonly key: string;
  /** The account's value for the key must be one of these; empty: any value, as long as the key is there. */
  readonly values: readonly string[];
}

export interface AccountFilter {
  /** Accounts under this OU (or root), its descendants' included unless directOnly. */
  readonly organizationalUnitId?: string;
  readonly directOnly?: boolean;
  /** Every criterion must hold (keys AND-ed; a key's values OR-ed). */
  readonly tags?: readonly TagCriterion[];
  /** AWS's raw account states (ACTIVE, SUSPENDED…). */
  readonly states?: readonly string[];
  /** INVITED or CREATED. */
  readonly joinedMethods?: readonly string[];
  /** A case-insensitive substring of the account's name, or of its id. */
  readonly nameOrId?: string;
  /** ACTIVE, INACTIVE, PENDING, FAILED, UNKNOWN (a value AWS added) or UNREADABLE. */
  readonly computeOptimizerEnrollment?: readonly string[];
  /** REGISTRATION_SUCCESS / _PENDING / _FAILURE, UNKNOWN, NOT_REGISTERED or UNREADABLE, in fleetwiseRegion. */
  readonly fleetwiseRegistration?: readonly string[];
  readonly fleetwiseRegion?: string;
  /** IN_PROGRESS, SUCCEEDED, FAILED, UNKNOWN, NONE (invited) or UNREADABLE. */
  readonly creationRequest?: readonly string[];
}

const ENROLLMENT_VALUES = new Set(['ACTIVE', 'INACTIVE', 'PENDING', 'FAILED']);
const REGISTRATION_VALUES = new Set(['REGISTRATION_SUCCESS', 'REGISTRATION_PENDING', 'REGISTRATION_FAILURE']);
const CREATION_VALUES = new Set(['IN_PROGRESS', 'SUCCEEDED', 'FAILED']);

/** True when the filter asks for nothing beyond what the directory (and the cached tree) says. */
export function needsStatuses(filter: AccountFilter): boolean {
  return (
    filter.computeOptimizerEnrollment !== undefined || filter.fleetwiseRegistration !== undefined || filter.creationRequest !== undefined
  );
}

/** An OU id the filter names that the tree does not know: the caller answers NOT_FOUND. */
export class UnknownOrganizationalUnitError extends Error {
  constructor(readonly organizationalUnitId: string) {
    super(`No organizational unit or root ${organizationalUnitId} in the organization.`);
    this.name = 'UnknownOrganizationalUnitError';
  }
}

/** The accounts of `accounts` the filter keeps, in their order. */
export async function selectAccounts(
  status: StatusService,
  shape: OrganizationShape,
  accounts: readonly OrgAccount[],
  filter: AccountFilter,
): Promise<OrgAccount[]> {
  let kept = accounts.filter(directoryMatcher(filter));
  if (filter.organizationalUnitId !== undefined) {
    const [tree, placements] = await Promise.all([shape.tree(), shape.placements(accounts)]);
    kept = kept.filter(placementMatcher(tree.value, placements, filter.organizationalUnitId, filter.directOnly ?? false));
  }
  if (filter.tags !== undefined && filter.tags.length > 0 && kept.length > 0) {
    const tags = await shape.tags(kept.map((account) => account.id));
    const criteria = filter.tags;
    kept = kept.filter((_account, index) => {
      const result = tags[index]!;
      if (result instanceof Error) return false;
      const byKey = new Map(result.value.map((tag) => [tag.key, tag.value]));
      return criteria.every(({ key, values }) => byKey.has(key) && (values.length === 0 || values.includes(byKey.get(key)!)));
    });
  }
  return selectByStatus(status, kept, filter);
}

/** What the directory record says: state, joined method, name or id. */
function directoryMatcher(filter: AccountFilter): (account: OrgAccount) => boolean {
  const states = filter.states && new Set(filter.states);
  const methods = filter.joinedMethods && new Set(filter.joinedMethods);
  const needle = filter.nameOrId?.toLowerCase();
  return (account) =>
    (!states || states.has(account.state ?? '')) &&
    (!methods || methods.has(account.joinedMethod ?? '')) &&
    (needle === undefined || account.id.includes(needle) || (account.name ?? '').toLowerCase().includes(needle));
}

/** Accounts directly under `parentId`, or anywhere below it. */
export function placementMatcher(
  tree: OrganizationTree,
  placements: Placements,
  parentId: string,
  directOnly: boolean,
): (account: OrgAccount) => boolean {
  if (parentId !== tree.root.id && !tree.units.has(parentId)) throw new UnknownOrganizationalUnitError(parentId);
  if (parentId === tree.root.id && !directOnly) return () => true;
  return (account) => {
    const parent = placements.get(account.id);
    if (parent === undefined) return false;
    if (parent === parentId) return true;
    return !directOnly && (tree.units.get(parent)?.chain.includes(parentId) ?? false);
  };
}

async function selectByStatus(status: StatusService, accounts: OrgAccount[], filter: AccountFilter): Promise<OrgAccount[]> {
  let kept = accounts;
  if (filter.computeOptimizerEnrollment !== undefined && kept.length > 0) {
    const results = await status.enrollments(kept.map((account) => account.id));
    kept = keep(kept, results, filter.computeOptimizerEnrollment, (record) => known(ENROLLMENT_VALUES, record.status.toUpperCase()));
  }
  if (filter.creationRequest !== undefined && kept.length > 0) {
    const results = await status.creationRequestsForAccounts(kept);
    kept = keep(kept, results, filter.creationRequest, (record) =>
      record === null ? NO_CREATION_REQUEST : known(CREATION_VALUES, record.state),
    );
  }
  if (filter.fleetwiseRegistration !== undefined && kept.length > 0) {
    const region = filter.fleetwiseRegion ?? status.fleetwiseRegions[0]!;
    const results = await status.fleetwiseRegistrations(kept.map((account) => ({ accountId: account.id, region })));
    kept = keep(kept, results, filter.fleetwiseRegistration, (record) =>
      record === null ? NOT_REGISTERED : known(REGISTRATION_VALUES, record.accountStatus),
    );
  }
  return kept;
}

function keep<T>(
  accounts: OrgAccount[],
  results: readonly BatchResult<T>[],
  wanted: readonly string[],
  valueOf: (record: T) => string,
): OrgAccount[] {
  const wantedSet = new Set(wanted);
  return accounts.filter((_account, index) => {
    const result = results[index]!;
    return wantedSet.has(result instanceof Error ? UNREADABLE : valueOf(result.value));
  });
}

function known(values: ReadonlySet<string>, value: string): string {
  return values.has(value) ? value : 'UNKNOWN';
}
