// Settings of the server itself: where it listens, which backend it reads, what it shows, how it stops.
import { booleanFlag, commaList, host, integerIn, MAX_TCP_PORT, ONE_HOUR_MS, oneOf, origin, plainText, trustProxy } from '../parsers.js';
import { setting, type LoadContext } from '../setting.js';

const LOCAL_HOST = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

export const NODE_ENV = setting({
  name: 'NODE_ENV',
  parse: oneOf(['development', 'production', 'test']),
  default: 'development',
  accepts: 'one of development, production, test',
  description: 'Runtime environment; production hides the playground and internal error details.',
});

export const BACKEND = setting({
  name: 'STATUSGRAPH_BACKEND',
  parse: oneOf(['emulator', 'aws']),
  default: 'emulator',
  accepts: 'one of emulator, aws',
  description: 'emulator: start the embedded AWS emulator with a demo organization; aws: the default credential chain.',
});

/** From SIGTERM to a forced exit; in-flight work gets most of it. */
export const SHUTDOWN_TIMEOUT = setting({
  name: 'STATUSGRAPH_SHUTDOWN_TIMEOUT_MS',
  parse: integerIn(1_000, ONE_HOUR_MS),
  default: 10_000, // 10 seconds
  accepts: `an integer from 1000 to ${ONE_HOUR_MS} (milliseconds)`,
  description: 'Time from SIGTERM to a forced exit; in-flight operations get most of it to finish.',
});

/**
 * After SIGTERM, how long /readyz fails while requests are still served, so a load balancer stops sending work
 * before the listener closes. Counted inside the shutdown timeout.
 */
export const READINESS_GRACE = setting({
  name: 'STATUSGRAPH_READINESS_GRACE_MS',
  parse: integerIn(0, ONE_HOUR_MS),
  default: ({ valueOf }) => (valueOf(BACKEND) === 'aws' ? Math.min(5_000, Math.floor(valueOf(SHUTDOWN_TIMEOUT) / 2)) : 0),
  documentedDefault: '5000 with the aws backend (at most half the shutdown timeout), 0 with the emulator (the demo exits at once)',
  check: (value, { valueOf }): string | undefined => {
    const timeout = valueOf(SHUTDOWN_TIMEOUT);
    return value >= timeout ? `a value below STATUSGRAPH_SHUTDOWN_TIMEOUT_MS (${timeout} ms): the drain needs time after the grace` : undefined;
  },
  accepts: `an integer from 0 to ${ONE_HOUR_MS} (milliseconds)`,
  description:
    'After SIGTERM, /readyz answers 503 for this long while requests are still served; then the listener closes and in-flight work drains. Set it to your load balancer\'s health-check interval times its unhealthy threshold.',
});

/** On by default, off in production. */
const notInProduction = ({ valueOf }: LoadContext): boolean => valueOf(NODE_ENV) !== 'production';

export const serverSettings = {
  port: setting({
    name: 'PORT',
    parse: integerIn(0, MAX_TCP_PORT),
    default: 4000,
    accepts: `an integer TCP port from 0 to ${MAX_TCP_PORT} (0 = ephemeral)`,
    description: 'Port of the GraphQL API (HTTP and WebSocket).',
  }),
  host: setting({
    name: 'HOST',
    parse: host,
    default: ({ valueOf }) => (valueOf(BACKEND) === 'emulator' ? LOCAL_HOST : ALL_INTERFACES),
    documentedDefault: `${LOCAL_HOST} with the emulator backend, ${ALL_INTERFACES} with the aws backend`,
    accepts: 'an IPv4 address, an IPv6 address or a host name',
    description: 'Interface the API listens on.',
  }),
  nodeEnv: NODE_ENV,
  backend: BACKEND,
  logLevel: setting({
    name: 'STATUSGRAPH_LOG_LEVEL',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    accepts: 'one of fatal, error, warn, info, debug, trace, silent',
    description: 'Minimum level of the JSON logs.',
  }),
  playground: setting({
    name: 'STATUSGRAPH_PLAYGROUND',
    parse: booleanFlag,
    default: notInProduction,
    documentedDefault: 'true, false when NODE_ENV=production',
    accepts: 'true, false, 1 or 0',
    description: 'Serve the GraphQL playground at the API path.',
  }),
  corsOrigins: setting({
    name: 'STATUSGRAPH_CORS_ORIGINS',
    parse: commaList(origin),
    default: [],
    accepts: 'a comma-separated list of origins such as https://console.example.com,http://localhost:5173',
    description: 'Browser origins allowed to call the API.',
  }),
  /** Path of the trusted-documents manifest; when set, only its operations run. */
  trustedDocuments: setting({
    name: 'STATUSGRAPH_TRUSTED_DOCUMENTS',
    parse: plainText,
    documentedDefault: '(none: any document is accepted)',
    accepts: 'the path of a persisted-documents manifest, { "<sha256 hash>": "<document>" }',
    description: 'When set, only the operations in the manifest run, sent by hash (documentId or Apollo persistedQuery).',
  }),
  introspection: setting({
    name: 'STATUSGRAPH_INTROSPECTION',
    parse: booleanFlag,
    default: notInProduction,
    documentedDefault: 'true, false when NODE_ENV=production',
    accepts: 'true, false, 1 or 0',
    description: 'Answer schema introspection queries.',
  }),
  shutdownTimeoutMs: SHUTDOWN_TIMEOUT,
  readinessGraceMs: READINESS_GRACE,
  /**
   * How long one AWS call of an operation's reads may wait for AWS — from the moment its first attempt leaves
   * statusgraph's own rate-limit queue; attempts, backoff and the retries' queueing included — before it is abandoned
   * and its field answers THROTTLED (what it was retrying) or DEADLINE_EXCEEDED.
   * Why not from the call's start: time queued behind our own pacing is not AWS being slow. A management-account
   * operation that scales with the organization queues at STATUSGRAPH_AWS_RATE_LIMIT (1,000 ListTagsForResource at
   * 50/s: 20 s), so counting the queue cut the calls queued last of every cold tag filter above ~750 accounts (tester
   * finding B7). A caller that goes away still ends a queued call at once.
   * Why per AWS wait and not per query: a cold whole-organization query is a long run of quick calls (250 sequential
   * ListAccounts pages at 5,000 accounts, ~50 s in benchmark 1 on a 2-core machine; 9.7–18.8 s at 1,000), so a 15 s
   * query deadline cut every cold query above ~1,000 accounts — and, now that a cut call stops, a retry would start
   * as cold as the first. What the deadline is for is the call AWS keeps waiting — throttling it 8 attempts over
   * ~40 s, or hung. 15 s keeps such a field's answer within what a browser or load balancer waits (60 s idle timeouts
   * are common).
   */
  queryDeadlineMs: setting({
    name: 'STATUSGRAPH_QUERY_DEADLINE_MS',
    parse: integerIn(100, ONE_HOUR_MS),
    default: 15_000, // 15 seconds, per AWS call
    accepts: `an integer from 100 to ${ONE_HOUR_MS} (milliseconds)`,
    description:
      "Deadline of each AWS call an operation's reads make, not of the whole query, counted from when the call leaves statusgraph's own rate-limit queue (retries, backoff and their queueing included): a call not settled by then stops retrying and its field answers THROTTLED (what it was retrying) or DEADLINE_EXCEEDED while the rest of the response is sent. Our own pacing is not counted, so a cold tag filter over 1,000 accounts (20 s of ListTagsForResource at 50/s) is not cut; per call so that a cold whole-organization query (5,000 accounts: ~50 s of quick calls) is never cut.",
  }),
  /** Which proxies' X-Forwarded-For names the client, for the per-client rate limit. */
  trustProxy: setting({
    name: 'STATUSGRAPH_TRUST_PROXY',
    parse: trustProxy,
    default: false,
    documentedDefault: 'false (the socket address is the client)',
    accepts: 'false, a number of proxy hops (1 = one load balancer in front), or comma-separated addresses/CIDRs of trusted proxies (loopback, uniquelocal, 10.0.0.0/8…)',
    description:
      "Behind a load balancer, the per-client rate limit keys on the client named by X-Forwarded-For as express's `trust proxy` reads it; off, every client behind one proxy shares its address's budget.",
  }),
};
