// Composes one statusgraph instance from a Config: AWS services, the shared status cache, the domain service,
// the schema and the HTTP/WebSocket server. main.ts and the end-to-end tests both start it this way. With
// STATUSGRAPH_REDIS_URL the cache, PubSub, idempotency keys and poller leases are shared (shared-state.ts); status
// history and createAccount's idempotency keys live in the history store (history.ts).
import type { AwsCredentialIdentity } from '@smithy/types';
import type { GraphQLFormattedError } from 'graphql';
import { createAwsServices, isAwsCallError } from '../aws/index.js';
import type { AwsServices } from '../aws/types.js';
import type { Config } from '../config/index.js';
import { buildStatusGraphSchema } from '../graphql/build-schema.js';
import { messageOfEvent, StatusService, StatusWatcher } from '../status/index.js';
import { createAuthenticator } from './auth.js';
import { startStatusGraphServer, type RunningServer, type StatusGraphServerOptions } from './http-server.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { startHistory, type RunningHistory } from './history.js';
import { DEGRADED, READY, type ReadinessCheck } from './readiness.js';
import { createSharedState, type SharedState } from './shared-state.js';
import { drainGraceMs } from './shutdown.js';
import { loadTrustedDocuments, type TrustedDocuments } from './trusted-documents.js';

export interface StartStatusGraphOptions {
  /** Overrides config.aws.endpoint, e.g. the embedded emulator's URL. */
  readonly awsEndpoint?: string;
  /** Fixed credentials (the emulator's test/test); otherwise the default credential chain. */
  readonly awsCredentials?: AwsCredentialIdentity;
  readonly logger?: Logger;
  /** Told about every error sent to a client (tests fail on untyped ones: test/support/typed-errors.ts). */
  readonly onClientError?: (error: GraphQLFormattedError) => void;
}

export interface StatusGraph extends RunningServer {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly aws: AwsServices;
  readonly watcher: StatusWatcher;
}

export async function startStatusGraph(config: Config, options: StartStatusGraphOptions = {}): Promise<StatusGraph> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const aws = awsServicesFor(config, options, logger, metrics);
  // Who we are decides which calls are ours to make (the management account asks org-wide); learning it at start keeps
  // it out of every query's cost. A failure is not fatal: /readyz reports it and the first query asks again.
  await aws.callerAccountId().then(
    (accountId) => logger.info({ accountId }, 'aws credentials resolved'),
    (error: unknown) => logger.warn({ code: (error as { code?: string }).code }, 'aws credentials not usable yet'),
  );
  const shared = await createSharedState(config, logger, metrics);
  const history = await startHistory(config, logger, metrics).catch(async (error: unknown) => {
    await shared.close();
    aws.destroy();
    throw error;
  });
  const { pubsub } = shared;
  const { status, watcher, stopPublishingHistory } = domainFor(config, aws, shared, history, logger);
  const schema = await buildStatusGraphSchema({ pubsub });

  try {
    const trustedDocuments = config.trustedDocuments === undefined ? undefined : await loadTrustedDocuments(config.trustedDocuments);
    if (trustedDocuments) logger.info({ documents: trustedDocuments.size }, 'only trusted documents will run');
    if (config.auth.mode === 'none' && config.backend === 'aws') logger.warn('STATUSGRAPH_AUTH=none: anyone who reaches the server may create AWS accounts');
    const server = await startStatusGraphServer({
      host: config.host,
      port: config.port,
      schema,
      status,
      watcher,
      pubsub,
      history: history.history,
      logger,
      metrics,
      production: config.nodeEnv === 'production',
      queryDeadlineMs: config.queryDeadlineMs,
      ...(options.onClientError ? { onClientError: options.onClientError } : {}),
      playground: config.playground,
      corsOrigins: config.corsOrigins,
      drainGraceMs: drainGraceMs(config.shutdownTimeoutMs - config.readinessGraceMs),
      readinessGraceMs: config.readinessGraceMs,
      security: securityOf(config, logger, trustedDocuments),
      readiness: readinessChecks(aws, shared, history),
    });
    return {
      ...server,
      logger,
      metrics,
      aws,
      watcher,
      async close() {
        // In order: nothing new arrives once the server is closed; the pollers release their leases (another instance
        // takes them) before the PubSub and Redis they use go away.
        await closeInOrder(logger, [
          ['server', () => server.close()],
          ['history publishing', () => stopPublishingHistory()],
          ['pollers', () => watcher.close()],
          ['pubsub', () => pubsub.close()],
          ['shared state', () => shared.close()],
          ['history', () => history.close()],
          ['aws clients', () => aws.destroy()],
        ]);
      },
    };
  } catch (error) {
    await watcher.close();
    await shared.close();
    await history.close();
    aws.destroy();
    throw error;
  }
}

/**
 * The domain over the shared state and the history store: the StatusService, its pollers, and every recorded change
 * published to the subscribers watching its status.
 */
function domainFor(config: Config, aws: AwsServices, shared: SharedState, history: RunningHistory, logger: Logger) {
  const { cache, pubsub } = shared;
  // createAccount's keys live in the history store (so they outlive a restart), unless Redis alone is shared: then
  // they stay in Redis, where every instance finds them.
  const idempotency = config.redis && config.history.store === 'embedded' ? shared.idempotency : history.idempotency;
  const status = new StatusService({
    aws,
    cache,
    idempotency,
    history: history.history,
    ttl: config.cacheTtl,
    fleetwiseRegions: config.fleetwiseRegions,
    memberRoleName: config.memberRoleName,
  });
  const watcher = new StatusWatcher({
    status: status.forPolling(),
    history: history.history,
    pubsub,
    fastMs: config.poll.fastMs,
    slowMs: config.poll.slowMs,
    leases: shared.leases,
    onLeaseError: shared.onLeaseError,
    onInternalError: (error, key) =>
      logger.error({ key, err: { type: error.name, message: error.message, stack: error.stack } }, 'status poll failed inside statusgraph'),
  });
  // Every recorded change reaches the subscribers watching its status (on every instance, through the PubSub),
  // whoever observed it: a mutation's answer and a query's read too, not only the pollers'.
  const stopPublishingHistory = history.history.onRecorded((event) => {
    pubsub.publish(watcher.topicOf(event.target), messageOfEvent(event)).catch(() => undefined);
  });
  return { status, watcher, stopPublishingHistory };
}

/** Who may call, how much, and which documents. */
function securityOf(config: Config, logger: Logger, trustedDocuments: TrustedDocuments | undefined): StatusGraphServerOptions['security'] {
  return {
    authenticator: createAuthenticator(config.auth, {
      onRejected: (reason) => logger.warn({ reason }, 'credentials refused'),
    }),
    limits: config.limits,
    introspection: config.introspection,
    trustProxy: config.trustProxy,
    ...(trustedDocuments ? { trustedDocuments } : {}),
  };
}

/** The AWS services of the Config, their circuit, credential and call events logged and counted. */
function awsServicesFor(config: Config, options: StartStatusGraphOptions, logger: Logger, metrics: Metrics): AwsServices {
  return createAwsServices({
    region: config.aws.region,
    endpoint: options.awsEndpoint ?? config.aws.endpoint,
    credentials: options.awsCredentials,
    memberRoleName: config.memberRoleName,
    timeoutMs: config.aws.timeoutMs,
    maxSockets: config.aws.maxSockets,
    maxAttempts: config.aws.maxAttempts,
    throttleMaxAttempts: config.aws.throttleMaxAttempts,
    rateLimitPerSecond: config.aws.rateLimitPerSecond,
    assumeRoleRatePerSecond: config.aws.assumeRoleRatePerSecond,
    circuitBreaker: {
      ...config.aws.circuitBreaker,
      onStateChange: ({ service, region }, state) => {
        metrics.onCircuitState(service, region, state);
        logger.warn({ aws: { service, region }, circuit: state }, 'aws circuit breaker');
      },
    },
    onCredentialRenewal: (event) => {
      metrics.onCredentialRenewal(event);
      const fields = { aws: { account: event.account, accountId: event.accountId } };
      if (event.outcome === 'refused') logger.warn(fields, 'aws refused renewed credentials too');
      else logger.info(fields, 'aws credentials renewed after a refusal');
    },
    onCall: (event) => {
      metrics.onAwsCall(event);
      if (event.outcome !== 'success') {
        logger.warn({ aws: { service: event.service, operation: event.operation, region: event.region, code: event.errorCode, attempts: event.attempts } }, 'aws call failed');
      }
    },
  });
}

/** What /readyz asks: AWS credentials, then what the shared state and the history store report. */
function readinessChecks(aws: AwsServices, shared: SharedState, history: RunningHistory): ReadinessCheck[] {
  return [
    // AWS not answering leaves nothing to serve: unavailable (503). Refused credentials are degraded, not
    // unready: every instance holds the same ones, and pulling them all out of the load balancer would not
    // bring them back.
    {
      name: 'aws-credentials',
      run: () =>
        aws.getCallerIdentity().then(
          () => READY,
          (error: unknown) => {
            if (isAwsCallError(error) && error.credentialsRefused) return DEGRADED;
            throw error;
          },
        ),
    },
    ...shared.readiness,
    { name: 'history', run: async () => (history.degraded().length > 0 ? DEGRADED : READY) },
  ];
}

/** Runs the shutdown steps one after another, each logged when done. */
async function closeInOrder(logger: Logger, steps: readonly (readonly [string, () => Promise<void> | void])[]): Promise<void> {
  for (const [name, stop] of steps) {
    await stop();
    logger.debug({ step: name }, 'shutdown step done');
  }
}
