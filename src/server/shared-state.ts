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
import { createRedisSharedState, type RedisConnection } from '../status/redis/index.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { DEGRADED, READY, type ReadinessCheck } from './readiness.js';

/**
 * How long a starting instance waits for Redis before it starts degraded (and connects when Redis appears).
 * @default 5_000 // 5 seconds
 */
const STARTUP_REDIS_WAIT_MS = 5_000;
/**
 * How often Redis is probed (PING, then ROLE: a hung, partitioned or failed-over node answers neither in time, or
 * answers as a replica). Each command is bounded by the connection's command timeout (1 s), so /readyz and
 * statusgraph_redis_up turn within two intervals. @default 2_000 // 2 seconds
 */
export const REDIS_PROBE_INTERVAL_MS = 2_000;
/** One warning per this interval about failed Redis commands, however many fail. @default 10_000 // 10 seconds */
const ERROR_LOG_INTERVAL_MS = 10_000;
const REDIS_UP_METRIC = 'statusgraph_redis_up';

export interface SharedState {
  readonly cache: StatusCache;
  readonly pubsub: StatusPubSub;
  readonly idempotency: IdempotencyStore;
  readonly leases: PollerLeases;
  /** The readiness check of the shared state ('redis': degraded while Redis does not answer its probe); none without Redis. */
  readonly readiness: readonly ReadinessCheck[];
  /** Told when leases could not be claimed (polling pauses until Redis answers). */
  onLeaseError(error: unknown): void;
  close(): Promise<void>;
}

export async function createSharedState(
  config: Config,
  logger: Logger,
  metrics: Metrics,
  options: { readonly probeIntervalMs?: number } = {},
): Promise<SharedState> {
  if (!config.redis) {
    return {
      cache: new InMemoryStatusCache({ onLookup: metrics.onCacheLookup }),
      pubsub: new InProcessPubSub(),
      idempotency: new InProcessIdempotencyStore(),
      leases: new InProcessPollerLeases(),
      readiness: [],
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
  const probe = probeRedis(shared.connection, options.probeIntervalMs ?? REDIS_PROBE_INTERVAL_MS, (answers) => {
    if (answers) logger.info('redis answers its probe again');
    else logger.warn('redis does not answer its probe (hung, partitioned or not the primary): running degraded');
  });
  const up = () => shared.connection.up && probe.answers();
  new Gauge({
    name: REDIS_UP_METRIC,
    help: '1 while Redis (STATUSGRAPH_REDIS_URL) answers its probe, 0 while this instance runs degraded without it.',
    registers: [metrics.registry],
    collect() {
      this.set(up() ? 1 : 0);
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
    readiness: [{ name: 'redis', run: async () => (up() ? READY : DEGRADED) }],
    onLeaseError: (error) => warnAtMost('poller leases not renewed; polling pauses until redis answers', error),
    async close() {
      probe.stop();
      metrics.registry.removeSingleMetric(REDIS_UP_METRIC);
      await shared.close();
    },
  };
}

/**
 * PING, then ROLE, every `intervalMs`, each bounded by the connection's command timeout: a TCP connection that stays
 * open to a stopped (SIGSTOP), partitioned or demoted node looks "ready" to ioredis, and only a command tells.
 */
function probeRedis(connection: RedisConnection, intervalMs: number, onChange: (answers: boolean) => void): { answers(): boolean; stop(): void } {
  let answers = true;
  let running = false;
  const round = async () => {
    if (running || !connection.up) return;
    running = true;
    const ok = await connection.commands
      .ping()
      .then(() => connection.commands.role())
      .then((role) => Array.isArray(role) && role[0] === 'master')
      .catch(() => false);
    running = false;
    if (ok !== answers) {
      answers = ok;
      onChange(ok);
    }
  };
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return { answers: () => answers, stop: () => clearInterval(timer) };
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
