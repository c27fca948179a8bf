// The listener of statusgraph: one HTTP server, routed — POST /graphql to the node:http pipeline (graphql-endpoint.ts),
// everything else through express (GET operations, the pages, the ops endpoints of ops-endpoints.ts) — with graphql-ws
// on the same port and path (websocket.ts) and Apollo (apollo.ts) behind both; and its closing (readiness grace, then
// the drain). Every start returns a stop.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Config } from '../config/index.js';
import { createGraphQLContext, type GraphQLContext } from '../graphql/context.js';
import type { StatusHistory, StatusPubSub, StatusService, StatusWatcher } from '../status/index.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { opsEndpoints } from './ops-endpoints.js';
import type { ReadinessCheck } from './readiness.js';
import { createApollo } from './apollo.js';
import { corsMiddleware } from './cors.js';
import { playgroundHandler } from './playground.js';
import { DEFAULT_WEB_ROOT, webAssetsRouter } from './static-assets.js';
import type { Authenticator, Principal } from './auth.js';
import { graphqlPostHandler, isGraphQLPost } from './graphql-endpoint.js';
import { createClientRateLimit, type TrustProxy } from './limits.js';
import { createErrorExit } from './error-exit.js';
import { createOperationGuard, principalOf, principalOfSocket } from './operation-guard.js';
import type { NodeMiddleware, TrustedDocuments } from './trusted-documents.js';
import { startWebSocketServer } from './websocket.js';

export const GRAPHQL_PATH = '/graphql';
/** How long in-flight requests may finish during close(). @default 10_000 // 10 seconds, Apollo's own default */
const DEFAULT_DRAIN_GRACE_MS = 10_000;
/** Largest request body accepted. @default '256kb' */
const MAX_BODY = '256kb';

export interface StatusGraphServerOptions {
  readonly host: string;
  readonly port: number;
  readonly schema: GraphQLSchema;
  readonly status: StatusService;
  /** Pollers shared by every subscription. */
  readonly watcher: StatusWatcher;
  /** Carries status changes from pollers to subscriptions. */
  readonly pubsub: StatusPubSub;
  /** Status history, for the history fields and resumed subscriptions. */
  readonly history?: StatusHistory;
  /** What /readyz asks (readiness.ts): AWS credentials, Redis, the history store… */
  readonly readiness: readonly ReadinessCheck[];
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Production hides internal error messages and stack traces. */
  readonly production: boolean;
  /**
   * Told about every error sent to a client, over HTTP or WebSocket, as the client gets it. The end-to-end tests use it
   * to fail on any untyped INTERNAL_SERVER_ERROR (test/support/typed-errors.ts): that is a bug wherever it comes from.
   */
  readonly onClientError?: (error: GraphQLFormattedError) => void;
  /** Serve the GraphiQL playground to browsers at GET /graphql. */
  readonly playground: boolean;
  /** Origins whose pages may call the API (CORS and WebSocket upgrades); the server's own pages always may. */
  readonly corsOrigins: readonly string[];
  /** The built web pages (status board, playground). @default web/dist of this repository */
  readonly webRoot?: string;
  /** How long close() lets in-flight HTTP requests finish before cutting their connections. @default 10_000 // 10 seconds */
  readonly drainGraceMs?: number;
  /**
   * How long close() keeps serving with /readyz failing before it closes the listener, so a load balancer takes the
   * instance out first. @default 0
   */
  readonly readinessGraceMs?: number;
  /** Who may call, how much, and which documents (auth.ts, limits.ts, trusted-documents.ts). */
  readonly security: {
    readonly authenticator: Authenticator;
    readonly limits: Config['limits'];
    readonly introspection: boolean;
    /** When set, only these documents run. */
    readonly trustedDocuments?: TrustedDocuments;
    /** Whose X-Forwarded-For names the client for the rate limit. @default false */
    readonly trustProxy?: TrustProxy;
  };
}

/** The context of an operation: what resolvers read, and who is asking. */
type ServerContext = GraphQLContext & { readonly principal: Principal };

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  /** Stops accepting work, lets in-flight operations finish, closes WebSockets. */
  close(): Promise<void>;
}

type ServerPhase = { phase: 'started' } | { phase: 'draining'; done: Promise<void> } | { phase: 'stopped' };

export async function startStatusGraphServer(options: StatusGraphServerOptions): Promise<RunningServer> {
  const { logger, metrics, status } = options;
  let state: ServerPhase = { phase: 'started' };
  const app = express();
  app.disable('x-powered-by');
  // handleGraphQLPost is defined once Apollo has started, before the server listens.
  const httpServer = createServer((req, res) => {
    if (isGraphQLPost(req, GRAPHQL_PATH)) handleGraphQLPost(req, res);
    else app(req, res);
  });

  const services = { status, watcher: options.watcher, pubsub: options.pubsub, ...(options.history ? { history: options.history } : {}) };
  // Object.assign keeps the context's loaders getter (a spread would freeze the first loaders in place).
  const createContext = (requestId: string, principal: Principal): ServerContext =>
    Object.assign(createGraphQLContext(services, requestId, metrics.onLoaderBatch), { principal, caller: principal.name, startedAt: performance.now() });

  const { security } = options;
  const exit = createErrorExit({
    production: options.production,
    logger,
    maxTokens: security.limits.maxTokens,
    maxBody: MAX_BODY,
    ...(options.onClientError ? { onClientError: options.onClientError } : {}),
  });
  const rateLimit = createClientRateLimit({ perMinute: security.limits.rateLimitPerMinute });
  const guard = createOperationGuard({
    schema: options.schema,
    limits: security.limits,
    introspection: security.introspection,
    production: options.production,
    exit,
    ...(security.trustProxy === undefined ? {} : { trustProxy: security.trustProxy }),
    authenticator: security.authenticator,
    rateLimit,
    ...(security.trustedDocuments ? { trustedDocuments: security.trustedDocuments } : {}),
  });

  const wsCleanup = startWebSocketServer({
    httpServer,
    path: GRAPHQL_PATH,
    schema: options.schema,
    production: options.production,
    corsOrigins: options.corsOrigins,
    pingIntervalMs: security.limits.wsPingIntervalMs,
    guard,
    exit,
    context: (ctx) => createContext(randomUUID(), principalOfSocket(ctx)),
  });

  const apollo = createApollo<ServerContext>({
    schema: options.schema,
    production: options.production,
    introspection: security.introspection,
    httpServer,
    drainGraceMs: options.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS,
    guard,
    exit,
    logger,
    metrics,
    // The WebSocket server drains with the HTTP one: its sockets get 1001 Going away.
    drainWebSockets: () => wsCleanup.dispose(),
  });
  await apollo.start();

  app.use(opsEndpoints({ metrics, readiness: options.readiness, shuttingDown: () => state.phase !== 'started' }));
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  app.use(webAssetsRouter(webRoot));
  if (options.playground) app.get(GRAPHQL_PATH, playgroundHandler(webRoot));
  const cors = corsMiddleware(options.corsOrigins);
  // body-parser is connect-style middleware: it reads node:http's own request, with or without express around it.
  const parseBody = express.json({ limit: MAX_BODY }) as NodeMiddleware;
  app.use(
    GRAPHQL_PATH,
    ...([cors, guard.httpAuthentication, parseBody, ...guard.httpDocuments] as RequestHandler[]),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => createContext(requestIdFrom(req.headers['x-request-id']), principalOf(res)),
    }),
    ((error, req, res, _next) => exit.requestFailed(error, req, res)) satisfies ErrorRequestHandler,
  );
  const handleGraphQLPost = graphqlPostHandler({
    apollo,
    cors,
    admit: guard.admitHttpRequest,
    parseBody,
    documents: guard.httpDocuments,
    context: async (req, principal) => createContext(requestIdFrom(req.headers['x-request-id']), principal),
    onError: exit.requestFailed,
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const displayHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const url = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}${GRAPHQL_PATH}`;

  return {
    url,
    port,
    httpServer,
    close() {
      switch (state.phase) {
        case 'started': {
          // /readyz fails from here on; requests are still served until the grace is over.
          const done = sleep(options.readinessGraceMs ?? 0)
            .then(() => apollo.stop())
            .finally(() => rateLimit.close());
          state = { phase: 'draining', done };
          return done.then(() => {
            state = { phase: 'stopped' };
          });
        }
        case 'draining':
          return state.done;
        case 'stopped':
          return Promise.resolve();
        default: {
          const unreachable: never = state;
          return unreachable;
        }
      }
    },
  };
}

/** A client-supplied request id is kept when it is short and plain, so logs can be joined with the caller's. */
function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
}
