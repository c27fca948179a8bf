// The domain layer's public surface: what graphql/ and server/ may use.
export { InMemoryStatusCache, type Cached, type StatusCache, type CacheLookupObserver } from './status-cache.js';
export { StatusService, cacheKeys, type AccountDirectory, type FleetwiseKey, type BatchResult } from './status-service.js';
export { createLoaders, type Loaders, type BatchObserver } from './create-loaders.js';
export { isTransitional, type TtlPolicy } from './ttl.js';
export { AwsCallError, isAwsCallError } from '../aws/errors.js';
export type * from '../aws/types.js';
