// What can be watched, in one table: for each kind of status, its watch key (poller ownership, pub/sub topic,
// history), the cache keys a poll looks past when it re-reads, its batch read through the StatusService, and where
// the raw AWS status sits in a value. The StatusWatcher, the StatusService's refreshing() and the history recorder read
// this table instead of switching on the kind. A fourth status source is one entry here plus its batch function in
// the StatusService (and the resolver argument that names it).
import { cacheKeys } from './followed-creations.js';
import type { CreateAccountStatusRecord, EnrollmentStatusRecord, FleetwiseRegistrationRecord } from './records.js';
import type { BatchResult, StatusService } from './status-service.js';

/** A status that can be watched: the unit of polling, caching and change events. */
export type WatchTarget =
  | { readonly kind: 'fleetwise'; readonly accountId: string; readonly region: string }
  | { readonly kind: 'enrollment'; readonly accountId: string }
  | { readonly kind: 'creation'; readonly accountId: string }
  | { readonly kind: 'request'; readonly requestId: string };

export interface WatchableKind<T extends WatchTarget, V> {
  /** The watch's one name: poller ownership, pub/sub topic (`status:<key>`), history. */
  key(target: T): string;
  /** The cache entries a poll of it reads: looked past (not evicted) when no newer than the poller's last reading. */
  cacheKeys(target: T): readonly string[];
  /** Reads many targets of this kind in one batch; each gets its value or its own error. */
  read(status: StatusService, targets: readonly T[]): Promise<BatchResult<V>[]>;
  /** The raw AWS status a (non-null) value carries. */
  statusOf(value: NonNullable<V>): string;
}

type KindTable = {
  readonly [K in WatchTarget['kind']]: WatchableKind<Extract<WatchTarget, { kind: K }>, never>;
};

/** The creation request of each account (through the directory, so an account outside the organization is null). */
async function readCreations(
  status: StatusService,
  targets: readonly Extract<WatchTarget, { kind: 'creation' }>[],
): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
  const ids = targets.map((target) => target.accountId);
  const accounts = await status.accounts(ids);
  const known = accounts.flatMap((result) => (result instanceof Error || !result.value ? [] : [result.value]));
  const requests = await status.creationRequestsForAccounts(known);
  const byId = new Map(known.map((account, index) => [account.id, requests[index]!]));
  return accounts.map((result, index) => {
    if (result instanceof Error) return result;
    return byId.get(ids[index]!) ?? { value: null, fetchedAt: result.fetchedAt };
  });
}

const table = {
  fleetwise: {
    key: (target) => `fleetwise:${target.accountId}:${target.region}`,
    cacheKeys: (target) => [cacheKeys.fleetwise(target.accountId, target.region)],
    read: (status, targets) => status.fleetwiseRegistrations(targets),
    statusOf: (value: FleetwiseRegistrationRecord) => String(value.accountStatus),
  } satisfies WatchableKind<Extract<WatchTarget, { kind: 'fleetwise' }>, FleetwiseRegistrationRecord | null>,
  enrollment: {
    key: (target) => `enrollment:${target.accountId}`,
    // A member's enrollment may have come from the org-wide scan.
    cacheKeys: (target) => [cacheKeys.enrollment(target.accountId), cacheKeys.enrollmentScan],
    read: (status, targets) => status.enrollments(targets.map((target) => target.accountId)),
    statusOf: (value: EnrollmentStatusRecord) => String(value.status),
  } satisfies WatchableKind<Extract<WatchTarget, { kind: 'enrollment' }>, EnrollmentStatusRecord>,
  creation: {
    key: (target) => `creation:${target.accountId}`,
    cacheKeys: () => [cacheKeys.creationIndex],
    read: readCreations,
    statusOf: (value: CreateAccountStatusRecord) => String(value.state),
  } satisfies WatchableKind<Extract<WatchTarget, { kind: 'creation' }>, CreateAccountStatusRecord | null>,
  request: {
    key: (target) => `request:${target.requestId}`,
    // Not the creation index: a request it holds settled (SUCCEEDED, FAILED) is final, and one in progress is read by
    // id. Expiring it would cost every ListCreateAccountStatus page per poll of a followed request.
    cacheKeys: (target) => [cacheKeys.creationRequest(target.requestId)],
    read: (status, targets) => status.creationRequests(targets.map((target) => target.requestId)),
    statusOf: (value: CreateAccountStatusRecord) => String(value.state),
  } satisfies WatchableKind<Extract<WatchTarget, { kind: 'request' }>, CreateAccountStatusRecord | null>,
};

/** The table entry of a target's kind. */
export function kindOf<T extends WatchTarget>(target: T): WatchableKind<T, unknown> {
  return (table as unknown as KindTable)[target.kind] as unknown as WatchableKind<T, unknown>;
}

/** One name per target, used for poller ownership, pub/sub topics and history. */
export function watchKey(target: WatchTarget): string {
  return kindOf(target).key(target);
}
