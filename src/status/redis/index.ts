// Several instances behind one Redis: the pieces they share, built on one pair of connections. Everything else
// (loaders, rate limits, credentials) stays per instance — architecture §8.
import { randomUUID } from 'node:crypto';
import type { CacheLookupObserver } from '../status-cache.js';
import { RedisConnection } from './connection.js';
import { RedisIdempotencyStore } from './redis-idempotency.js';
import { RedisPollerLeases } from './redis-poller-leases.js';
import { RedisPubSub } from './redis-pubsub.js';
import { RedisStatusCache } from './redis-status-cache.js';

export { RedisConnection, REDIS_COMMAND_TIMEOUT_MS } from './connection.js';
export { RedisIdempotencyStore } from './redis-idempotency.js';
export { RedisPollerLeases, DEFAULT_POLLER_LEASE_MS } from './redis-poller-leases.js';
export { RedisPubSub } from './redis-pubsub.js';
export { RedisStatusCache } from './redis-status-cache.js';

export interface RedisSharedStateOptions {
  readonly url: string;
  /** How long a poller lease lives without renewal, in ms. */
  readonly pollerLeaseMs: number;
  /** @default a random UUID: unique per process, so a restarted instance never mistakes an old lease for its own */
  readonly instanceId?: string;
  readonly onLookup?: CacheLookupObserver;
  /** Told on every change between Redis up and down. */
  readonly onStateChange?: (up: boolean, error?: Error) => void;
  /** Told about Redis commands that failed while Redis was thought up (the call fell back). */
  readonly onError?: (error: unknown) => void;
}

export interface RedisSharedState {
  readonly instanceId: string;
  readonly connection: RedisConnection;
  readonly cache: RedisStatusCache;
  readonly pubsub: RedisPubSub;
  readonly idempotency: RedisIdempotencyStore;
  readonly leases: RedisPollerLeases;
  close(): Promise<void>;
}

export function createRedisSharedState(options: RedisSharedStateOptions): RedisSharedState {
  const instanceId = options.instanceId ?? randomUUID();
  const connection = new RedisConnection({ url: options.url, name: `statusgraph:${instanceId}`, onStateChange: options.onStateChange });
  const cache = new RedisStatusCache({ connection, onLookup: options.onLookup, onError: options.onError });
  const pubsub = new RedisPubSub({ connection });
  const idempotency = new RedisIdempotencyStore({ connection });
  const leases = new RedisPollerLeases({ connection, instanceId, leaseMs: options.pollerLeaseMs });
  return {
    instanceId,
    connection,
    cache,
    pubsub,
    idempotency,
    leases,
    async close() {
      cache.close();
      await pubsub.close();
      await connection.close();
    },
  };
}
