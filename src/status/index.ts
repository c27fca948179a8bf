// The domain layer's public surface: what graphql/ and server/ may use.
export { InMemoryStatusCache, type Cached, type StatusCache, type CacheLookupObserver, type LoadOptions } from './status-cache.js';
export {
  StatusService,
  cacheKeys,
  watchKey,
  type AccountDirectory,
  type DirectoryPageListener,
  type FleetwiseKey,
  type BatchResult,
  type WatchTarget,
  type StatusServiceOptions,
  type MutationOrigin,
} from './status-service.js';
export { createLoaders, type Loaders, type BatchObserver } from './create-loaders.js';
export { StatusReader, type Answer } from './status-reader.js';
export type { StatusCaller } from './status-context.js';
export { StatusWatcher, type StatusChangeMessage, type StatusFailure, type Watch } from './status-watcher.js';
export { openStatusStream, type StatusStreamOptions, type StreamMessage } from './status-stream.js';
export { directoryRefreshOf, followFilter, type MembershipChange } from './filter-membership.js';
export { readOrganizationStatuses, readStatusesOf, type AccountStatuses } from './organization-statuses.js';
export { InProcessPubSub, type StatusPubSub } from './pubsub.js';
export { InProcessPollerLeases, type PollerLeases, type LeaseEvents } from './poller-leases.js';
export { RenewedPollerLeases, type LeaseClaim } from './renewed-leases.js';
export {
  InProcessIdempotencyStore,
  IdempotencyKeyReusedError,
  IdempotencyKeyPendingError,
  IdempotencyStoreUnavailableError,
  IDEMPOTENCY_WINDOW_MS,
  InFlightClaims,
  failureRecord,
  fingerprintOf,
  reviveFailure,
  type FailureRecord,
  type IdempotencyStore,
} from './idempotency.js';
export { isTransitional, type TtlPolicy } from './ttl.js';
export {
  CursorExpiredError,
  HistoryUnavailableError,
  InvalidCursorError,
  sourceOf,
  type HistorySource,
  type ObservedBy,
  type RecordedObservation,
  type StatusEvent,
  type StatusEventFilter,
  type StatusEventPage,
  type StatusHistory,
  type StatusObservation,
} from './history-port.js';
export { NotInOrganizationError } from './not-in-organization.js';
export { messageOfEvent, replayAfter, ResumeGate } from './history-stream.js';
export { isDeadlineExceeded, isUpstreamFailure, upstreamFailure, type UpstreamFailure, type UpstreamFailureFacts } from './upstream-failure.js';
export type * from './records.js';
export {
  OrganizationShape,
  parentFromPaths,
  type AccountTag,
  type OrganizationTree,
  type OrganizationalUnitNode,
  type Placements,
} from './organization-shape.js';
export {
  selectAccounts,
  placementMatcher,
  needsStatuses,
  UnknownOrganizationalUnitError,
  readingOfFailure,
  UNREADABLE,
  NOT_REGISTERED,
  NO_CREATION_REQUEST,
  type AccountFilter,
  type AccountSelection,
  type FailableCriterion,
  type TagCriterion,
  type UndecidedAccount,
} from './account-filter.js';
