// DataLoaders, one set per GraphQL request (or per subscription event): they batch the field lookups of one
// operation into the StatusService's batch functions. They never outlive the request, so they never serve stale data;
// sharing across requests is the status cache's job.
import DataLoader from 'dataloader';
import { AwsCallError } from '../aws/errors.js';
import type {
  CreateAccountStatusRecord,
  EnrollmentStatusRecord,
  FleetwiseRegistrationRecord,
  OrgAccount,
} from '../aws/types.js';
import type { Cached } from './status-cache.js';
import type { BatchResult, FleetwiseKey, StatusService } from './status-service.js';

export interface Loaders {
  readonly account: DataLoader<string, Cached<OrgAccount | null>>;
  readonly enrollment: DataLoader<string, Cached<EnrollmentStatusRecord>>;
  readonly fleetwise: DataLoader<FleetwiseKey, Cached<FleetwiseRegistrationRecord | null>, string>;
  readonly creationRequestForAccount: DataLoader<OrgAccount, Cached<CreateAccountStatusRecord | null>, string>;
  readonly creationRequest: DataLoader<string, Cached<CreateAccountStatusRecord | null>>;
}

/** Reports each batch's size, for the loader batch-size histogram. */
export type BatchObserver = (loader: keyof Loaders, size: number) => void;

export function createLoaders(service: StatusService, onBatch: BatchObserver = () => undefined): Loaders {
  return {
    account: batchLoader('account', (ids) => service.accounts(ids), String, onBatch),
    enrollment: batchLoader('enrollment', (ids) => service.enrollments(ids), String, onBatch),
    fleetwise: batchLoader(
      'fleetwise',
      (keys) => service.fleetwiseRegistrations(keys),
      (key) => `${key.accountId}:${key.region}`,
      onBatch,
    ),
    creationRequestForAccount: batchLoader(
      'creationRequestForAccount',
      (accounts) => service.creationRequestsForAccounts(accounts),
      (account) => account.id,
      onBatch,
    ),
    creationRequest: batchLoader('creationRequest', (ids) => service.creationRequests(ids), String, onBatch),
  };
}

function batchLoader<K, V>(
  name: keyof Loaders,
  batch: (keys: readonly K[]) => Promise<BatchResult<V>[]>,
  cacheKeyFn: (key: K) => string,
  onBatch: BatchObserver,
): DataLoader<K, Cached<V>, string> {
  const loader: DataLoader<K, Cached<V>, string> = new DataLoader<K, Cached<V>, string>(
    async (keys) => {
      onBatch(name, keys.length);
      const results = await batch(keys);
      // A transient failure must not be remembered, even for the rest of this request.
      keys.forEach((key, index) => {
        if (isTransient(results[index])) queueMicrotask(() => loader.clear(key));
      });
      return results;
    },
    { cacheKeyFn, maxBatchSize: 1_000 },
  );
  return loader;
}

function isTransient(result: unknown): boolean {
  return result instanceof Error && (!(result instanceof AwsCallError) || result.retryable);
}
