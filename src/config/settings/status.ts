// Settings of the domain: how long statuses stay cached, how often watched ones are polled, and the Redis that
// several instances share.
import { integerIn, ONE_DAY_MS, ONE_HOUR_MS, redisUrl } from '../parsers.js';
import { onlyWith, setting } from '../setting.js';

/** Polling faster than this would spend the AWS budget on nothing. */
const MIN_POLL_MS = 100;
/** Leases are renewed three times a period; much shorter and Redis hears from every instance all the time. */
const MIN_POLLER_LEASE_MS = 300;

const POLL_FAST_MS = setting({
  name: 'STATUSGRAPH_POLL_FAST_MS',
  parse: integerIn(MIN_POLL_MS, ONE_DAY_MS),
  default: 5_000, // 5 seconds
  accepts: `an integer from ${MIN_POLL_MS} to ${ONE_DAY_MS} (milliseconds)`,
  description: 'Interval between polls of a transitional status (subscriptions).',
});

const TTL_TRANSITIONAL_MS = setting({
  name: 'STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS',
  parse: integerIn(0, ONE_DAY_MS),
  default: 5_000, // 5 seconds
  accepts: `an integer from 0 to ${ONE_DAY_MS} (milliseconds)`,
  description: 'How long a transitional status (PENDING, IN_PROGRESS) is served from the cache.',
});

// A slow poll faster than the fast one, or a settled TTL shorter than the transitional one, inverts the design
// (settled states are the ones worth keeping).
export const statusSettings = {
  poll: {
    fastMs: POLL_FAST_MS,
    slowMs: setting({
      name: 'STATUSGRAPH_POLL_SLOW_MS',
      parse: integerIn(MIN_POLL_MS, ONE_DAY_MS),
      default: 60_000, // 1 minute
      accepts: `an integer from ${MIN_POLL_MS} to ${ONE_DAY_MS} (milliseconds), not below STATUSGRAPH_POLL_FAST_MS`,
      description: 'Interval between polls of a settled status (subscriptions).',
      check: (slowMs, { valueOf }) =>
        slowMs < valueOf(POLL_FAST_MS) ? `a value not below ${POLL_FAST_MS.name} (${valueOf(POLL_FAST_MS)} ms)` : undefined,
    }),
  },
  cacheTtl: {
    transitionalMs: TTL_TRANSITIONAL_MS,
    settledMs: setting({
      name: 'STATUSGRAPH_CACHE_TTL_SETTLED_MS',
      parse: integerIn(0, ONE_DAY_MS),
      default: 300_000, // 5 minutes
      accepts: `an integer from 0 to ${ONE_DAY_MS} (milliseconds), not below STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS`,
      description: 'How long a settled status is served from the cache.',
      check: (settledMs, { valueOf }) =>
        settledMs < valueOf(TTL_TRANSITIONAL_MS)
          ? `a value not below ${TTL_TRANSITIONAL_MS.name} (${valueOf(TTL_TRANSITIONAL_MS)} ms)`
          : undefined,
    }),
  },
  /** Several instances behind one Redis (architecture §8); absent: one instance, everything in-process. */
  redis: onlyWith('url', {
    /** redis:// or rediss:// URL; may carry a password, so it is never logged. */
    url: setting({
      name: 'STATUSGRAPH_REDIS_URL',
      parse: redisUrl,
      documentedDefault: '(none: one instance, everything in-process)',
      accepts: 'a redis:// or rediss:// URL such as redis://:password@redis.internal:6379/0',
      description:
        'Several instances share one Redis: subscription events, one poller per watched status, the status cache and createAccount idempotency keys.',
    }),
    /** How long a poller lease lives without renewal: a dead instance's pollers move within about this long. */
    pollerLeaseMs: setting({
      name: 'STATUSGRAPH_POLLER_LEASE_MS',
      parse: integerIn(MIN_POLLER_LEASE_MS, ONE_HOUR_MS),
      default: 15_000, // 15 seconds
      documentedDefault: '15000 (only with STATUSGRAPH_REDIS_URL)',
      accepts: `an integer from ${MIN_POLLER_LEASE_MS} to ${ONE_HOUR_MS} (milliseconds)`,
      description: "How long a poller lease lives without renewal: a stopped instance's statuses are polled by another within about this long.",
    }),
  }),
};
