// Choosing a set of accounts: one AccountFilter for every place the API selects accounts (organization.accounts,
// statusSummary, OrganizationalUnit.accounts, accountStatusChanged). Criteria are applied cheapest first — what the
// directory already says (state, joined method, name or id, OU from Paths: 0 calls), then tags (one
// ListTagsForResource per remaining account, cached), then statuses (exactly the calls of reading those statuses:
// the org-wide enrollment scan, the creation index, a FleetWise call per remaining account) — so a filter never costs
// more than reading what it filters on, and a warm one costs nothing. A lookup that failed is judged by its AWS error
// code (`readingOfFailure`): a refusal is the account's answer (UNREADABLE), a passing failure (throttling, a 5xx, a
// timeout) is no answer at all — the account is reported as undecided, neither kept nor silently dropped.
import type { OrgAccount } from './records.js';
import type { OrganizationShape, OrganizationTree, Placements } from './organization-shape.js';
import type { BatchResult, StatusService } from './status-service.js';
import { isUpstreamFailure, type UpstreamFailure } from './upstream-failure.js';

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

/** The AccountFilter fields whose criterion reads something that can fail. */
export type FailableCriterion = 'tags' | 'computeOptimizerEnrollment' | 'creationRequest' | 'fleetwiseRegistration';

/**
 * An account the filter could not judge: a lookup a criterion needs failed for a passing reason (AWS throttled it,
 * answered 5xx, timed out, the circuit is open). Asked again later it may well match.
 */
export interface UndecidedAccount {
  readonly accountId: string;
  readonly criterion: FailableCriterion;
  /** fleetwiseRegistration's region. */
  readonly region?: string;
  readonly failure: UpstreamFailure;
}

/** What a filter chose: the accounts it keeps, in their order, and those it could not judge. */
export interface AccountSelection {
  readonly accounts: OrgAccount[];
  readonly undecided: UndecidedAccount[];
}

/**
 * What a failed lookup means for a filter, by its AWS error code. Refusals — AccessDenied and its kin (IAM, an SCP,
 * the member role: AccessDeniedException, AccessDenied, UnauthorizedOperation, AWSOrganizationsNotInUseException),
 * credentials refused after one renewal, and any other refusal AWS would repeat (ValidationException…) — are the
 * account's answer: UNREADABLE. Throttling (ThrottlingException, TooManyRequestsException…), 5xx
 * (InternalServerException, ServiceUnavailableException), timeouts, network errors and an open circuit are only
 * this moment's: undecided. "Not found" answers never get here: aws/ turns them into values (FleetWise's
 * ResourceNotFoundException is NOT_REGISTERED, a missing creation request NONE).
 */
export function readingOfFailure(error: Error): 'unreadable' | 'undecided' {
  return isUpstreamFailure(error) && (error.throttled || error.retryable) ? 'undecided' : 'unreadable';
}

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

/** The accounts of `accounts` the filter keeps, in their order, and those it could not judge. */
export async function selectAccounts(
  status: StatusService,
  shape: OrganizationShape,
  accounts: readonly OrgAccount[],
  filter: AccountFilter,
): Promise<AccountSelection> {
  let kept = accounts.filter(directoryMatcher(filter));
  if (filter.organizationalUnitId !== undefined) {
    const [tree, placements] = await Promise.all([shape.tree(), shape.placements(accounts)]);
    kept = kept.filter(placementMatcher(tree.value, placements, filter.organizationalUnitId, filter.directOnly ?? false));
  }
  const judge = new Judge();
  if (filter.tags !== undefined && filter.tags.length > 0 && kept.length > 0) {
    const tags = await shape.tags(kept.map((account) => account.id));
    const criteria = filter.tags;
    kept = judge.keep('tags', kept, tags, (found) => {
      const byKey = new Map(found.map((tag) => [tag.key, tag.value]));
      return criteria.every(({ key, values }) => byKey.has(key) && (values.length === 0 || values.includes(byKey.get(key)!)));
    });
  }
  return { accounts: await selectByStatus(status, kept, filter, judge), undecided: judge.undecided };
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

async function selectByStatus(status: StatusService, accounts: OrgAccount[], filter: AccountFilter, judge: Judge): Promise<OrgAccount[]> {
  let kept = accounts;
  const wanted = (values: readonly string[]) => {
    const set = new Set(values);
    return (value: string) => set.has(value);
  };
  if (filter.computeOptimizerEnrollment !== undefined && kept.length > 0) {
    const results = await status.enrollments(kept.map((account) => account.id));
    const matches = wanted(filter.computeOptimizerEnrollment);
    kept = judge.keep('computeOptimizerEnrollment', kept, results, (record) => matches(known(ENROLLMENT_VALUES, record.status.toUpperCase())), matches(UNREADABLE));
  }
  if (filter.creationRequest !== undefined && kept.length > 0) {
    const results = await status.creationRequestsForAccounts(kept);
    const matches = wanted(filter.creationRequest);
    kept = judge.keep('creationRequest', kept, results, (record) => matches(record === null ? NO_CREATION_REQUEST : known(CREATION_VALUES, record.state)), matches(UNREADABLE));
  }
  if (filter.fleetwiseRegistration !== undefined && kept.length > 0) {
    const region = filter.fleetwiseRegion ?? status.fleetwiseRegions[0]!;
    const results = await status.fleetwiseRegistrations(kept.map((account) => ({ accountId: account.id, region })));
    const matches = wanted(filter.fleetwiseRegistration);
    kept = judge.keep('fleetwiseRegistration', kept, results, (record) => matches(record === null ? NOT_REGISTERED : known(REGISTRATION_VALUES, record.accountStatus)), matches(UNREADABLE), region);
  }
  return kept;
}

/** Applies one criterion to lookup results, each failure judged by its error code; keeps the undecided accounts' list. */
class Judge {
  readonly undecided: UndecidedAccount[] = [];

  keep<T>(
    criterion: FailableCriterion,
    accounts: readonly OrgAccount[],
    results: readonly (BatchResult<T> | { readonly value: T } | Error)[],
    matches: (value: T) => boolean,
    unreadableMatches = false,
    region?: string,
  ): OrgAccount[] {
    return accounts.filter((account, index) => {
      const result = results[index]!;
      if (!(result instanceof Error)) return matches(result.value);
      if (readingOfFailure(result) === 'unreadable') return unreadableMatches;
      this.undecided.push({ accountId: account.id, criterion, ...(region !== undefined && { region }), failure: result as UpstreamFailure });
      return false;
    });
  }
}

function known(values: ReadonlySet<string>, value: string): string {
  return values.has(value) ? value : 'UNKNOWN';
}
