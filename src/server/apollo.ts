// Apollo Server as statusgraph runs it: the operation guard's document limits and checks, the one error exit as its
// formatError, production's masking switches, the drain of the HTTP server (and, with it, the WebSockets), no cache
// hints, no landing page, no automatic persisted queries, no signal handlers of its own (shutdown.ts owns them), and
// one log line and metric per operation.
import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../graphql/context.js';
import type { Principal } from './auth.js';
import type { ErrorExit } from './error-exit.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { OperationGuard } from './operation-guard.js';

export interface ApolloOptions {
  readonly schema: GraphQLSchema;
  readonly production: boolean;
  readonly introspection: boolean;
  readonly httpServer: Server;
  /** How long in-flight requests may finish once the drain begins. */
  readonly drainGraceMs: number;
  readonly guard: OperationGuard;
  readonly exit: ErrorExit;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Drained with the HTTP server (the WebSockets). */
  readonly drainWebSockets: () => void | Promise<void>;
}

export function createApollo<Context extends GraphQLContext & { readonly principal: Principal } & BaseContext>(options: ApolloOptions): ApolloServer<Context> {
  const { guard, exit } = options;
  return new ApolloServer<Context>({
    schema: options.schema,
    introspection: options.introspection,
    parseOptions: guard.apollo.parseOptions,
    validationRules: guard.apollo.validationRules,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // server/shutdown.ts owns SIGTERM/SIGINT (readiness grace first, then the drain). Apollo's own handlers (installed
    // unless NODE_ENV=test) would stop Apollo behind its back, under the grace, and re-raise the signal, and the
    // shutdown then never finished.
    stopOnTerminationSignals: false,
    // Trusted documents are the persisted queries of this server; Apollo's automatic ones would let any client
    // register any document in the cache.
    persistedQueries: false,
    hideSchemaDetailsFromClientErrors: options.production,
    // graphql-js's own switch, for every validation rule (Apollo's plugin above rewrites the messages afterwards).
    validationOptions: { hideSuggestions: options.production },
    includeStacktraceInErrorResponses: !options.production,
    formatError: (formatted, error) => exit.format(formatted, error),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer, stopGracePeriodMillis: options.drainGraceMs }),
      ApolloServerPluginLandingPageDisabled(),
      // No type or field declares a cache hint (statuses carry fetchedAt; clients decide), and the default plugin
      // hooks every field of every answer to compute a policy nobody reads.
      ApolloServerPluginCacheControlDisabled(),
      {
        async serverWillStart() {
          return { drainServer: async () => options.drainWebSockets() };
        },
      },
      guard.apollo.plugin,
      observabilityPlugin(options.logger, options.metrics, exit),
    ],
  });
}

/** One log line per operation (name, type, duration, error codes — never variables) and request metrics. */
function observabilityPlugin(logger: Logger, metrics: Metrics, exit: ErrorExit): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          exit.logInternal(errors, contextValue.requestId);
        },
        async willSendResponse({ operation, operationName, errors }) {
          const durationSeconds = (performance.now() - started) / 1000;
          const operationType = operation?.operation ?? 'unknown';
          metrics.onGraphQLRequest(operationType, errors?.length ? 'error' : 'success', durationSeconds);
          // The line is built only when it is written: at warn and above (the benchmarks' silent) it is not.
          if (!logger.isLevelEnabled('info')) return;
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? undefined,
              operationType,
              durationMs: Math.round(durationSeconds * 1000),
              errorCodes: errors?.length ? [...new Set(errors.map((error) => error.extensions?.code ?? 'UNKNOWN'))] : undefined,
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
