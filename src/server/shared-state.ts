// What instances share, composed from the Config: behind STATUSGRAPH_REDIS_URL, the status cache, the PubSub,
// createAccount idempotency and the poller leases live in Redis; without it, their in-process equivalents — exactly
// one instance's behaviour. Also how Redis's health shows: logs on each change, the statusgraph_redis_up gauge, and
// the `degraded` list of /readyz.
import { Gauge } from 'prom-client';
import type { Config } from '../config/index.js';
import {
  InMemoryStatusCache,
  InProcessIdempotencyStore,
  InProcessPollerLeases,
  InProcessPubSub,
  type IdempotencyStore,
  type PollerLeases,
  type StatusCache,
  type StatusPubSub,
} from '../status/index.js';
import { createRedisSharedState } from '../status/redis/index.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * How long a starting instance waits for Redis before it starts degraded (and connects when Redis appears).
 * @default 5_000 // 5 seconds
 */
const STARTUP_REDIS_WAIT_MS = 5_000;
/** One warning per this interval about failed Redis commands, however many fail. @default 10_000 // 10 seconds */
const ERROR_LOG_INTERVAL_MS = 10_000;
const REDIS_UP_METRIC = 'statusgraph_redis_up';

export interface SharedState {
  readonly cache: StatusCache;
  readonly pubsub: StatusPubSub;
  readonly idempotency: IdempotencyStore;
  readonly leases: PollerLeases;
  /** What is degraded now ('redis' while Redis is configured but unreachable); empty when all is well. */
  degraded(): string[];
  /** Told when leases could not be claimed (polling pauses until Redis answers). */
  onLeaseError(error: unknown): void;
  close(): Promise<void>;
}

export async function createSharedState(config: Config, logger: Logger, metrics: Metrics): Promise<SharedState> {
  if (!config.redis) {
    return {
      cache: new InMemoryStatusCache({ onLookup: metrics.onCacheLookup }),
      pubsub: new InProcessPubSub(),
      idempotency: new InProcessIdempotencyStore(),
      leases: new InProcessPollerLeases(),
      degraded: () => [],
      onLeaseError: () => undefined,
      close: async () => undefined,
    };
  }

  const warnAtMost = throttledWarning(logger);
  const shared = createRedisSharedState({
    url: config.redis.url,
    pollerLeaseMs: config.redis.pollerLeaseMs,
    onLookup: metrics.onCacheLookup,
    // The URL is never logged: it may carry the password.
    onStateChange: (up, error) => {
      if (up) logger.info({ instanceId: shared.instanceId }, 'redis connected: cache, subscriptions and leases shared');
      else {
        logger.warn(
          { code: (error as { code?: string } | undefined)?.code },
          'redis unreachable: queries answer from AWS with an in-process cache, subscription events pause, createAccount is refused',
        );
      }
    },
    onError: (error) => warnAtMost('redis command failed; answered without redis', error),
  });
  new Gauge({
    name: REDIS_UP_METRIC,
    help: '1 while Redis (STATUSGRAPH_REDIS_URL) answers, 0 while this instance runs degraded without it.',
    registers: [metrics.registry],
    collect() {
      this.set(shared.connection.up ? 1 : 0);
    },
  });
  if (!(await shared.connection.waitUntilUp(STARTUP_REDIS_WAIT_MS))) {
    logger.warn('redis not reachable at start: starting degraded; it is used as soon as it answers');
  }
  return {
    cache: shared.cache,
    pubsub: shared.pubsub,
    idempotency: shared.idempotency,
    leases: shared.leases,
    degraded: () => (shared.connection.up ? [] : ['redis']),
    onLeaseError: (error) => warnAtMost('poller leases not renewed; polling pauses until redis answers', error),
    async close() {
      metrics.registry.removeSingleMetric(REDIS_UP_METRIC);
      await shared.close();
    },
  };
}

function throttledWarning(logger: Logger): (message: string, error: unknown) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (message, error) => {
    const now = Date.now();
    if (now - lastAt < ERROR_LOG_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    lastAt = now;
    logger.warn({ code: (error as { code?: string; name?: string }).code ?? (error as Error).name, suppressed }, message);
    suppressed = 0;
  };
}
