// The listener of statusgraph: one HTTP server, routed — POST /graphql straight to the GraphQL pipeline
// (graphql-endpoint.ts), everything else through express (the pages, the ops endpoints of ops-endpoints.ts, and the
// same pipeline for GET operations and the rest of the path) — with graphql-ws on the same port and path (websocket.ts)
// and Apollo (apollo.ts) behind both; and its closing (readiness grace, then the drain). Every start returns a stop.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import express, { type Express } from 'express';
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
import { graphqlPipeline, isGraphQLPost } from './graphql-endpoint.js';
import { createClientRateLimit, type ClientRateLimit, type TrustProxy } from './limits.js';
import { createErrorExit, type ErrorExit } from './error-exit.js';
import { createOperationGuard, principalOfSocket, type OperationGuard } from './operation-guard.js';
import type { NodeMiddleware, TrustedDocuments } from './trusted-documents.js';
import { cancelWhenClosed, operationCancel, type OperationCancel } from './operation-cancel.js';
import { startWebSocketServer } from './websocket.js';

export const GRAPHQL_PATH = '/graphql';
/** How long in-flight requests may finish during close(). @default 10_000 // 10 seconds, Apollo's own default */
const DEFAULT_DRAIN_GRACE_MS = 10_000;
/**
 * How long an idle kept-alive connection stays open. Node's own 5 seconds lost requests: a client reuses an idle socket
 * just as the server closes it (ECONNRESET; undici keeps sockets a second less than the server's Keep-Alive hint, and
 * a process stalled for that second on a busy machine misses the window). Longer than a load balancer's usual idle
 * timeout (60 s), so the balancer closes first — the usual advice for Node behind one.
 * @default 65_000 // 65 seconds
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
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
   * How long each AWS call an operation's reads start may wait for AWS (STATUSGRAPH_QUERY_DEADLINE_MS): one that has
   * not settled by then answers THROTTLED (what it was retrying) or DEADLINE_EXCEEDED. @default no deadline
   */
  readonly queryDeadlineMs?: number;
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

/** The context of an operation: what resolvers read, who is asking, and how to cancel its reads. */
type ServerContext = GraphQLContext & { readonly principal: Principal } & Pick<OperationCancel, 'cancel'>;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  /** Stops accepting work, lets in-flight operations finish, closes WebSockets. */
  close(): Promise<void>;
}

type ServerPhase = { phase: 'started' } | { phase: 'draining'; done: Promise<void> } | { phase: 'stopped' };

export async function startStatusGraphServer(options: StatusGraphServerOptions): Promise<RunningServer> {
  const { logger, metrics, security } = options;
  const app = express();
  app.disable('x-powered-by');
  // handleGraphQLPost is defined once Apollo has started, before the server listens.
  const httpServer = createServer((req, res) => {
    if (isGraphQLPost(req, GRAPHQL_PATH)) handleGraphQLPost(req, res);
    else app(req, res);
  });
  httpServer.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  const createContext = contextFactory(options);
  // An HTTP operation is cancelled when its response closes (operation-cancel.ts), watched from its first AWS read.
  const httpContext = (req: IncomingMessage, res: ServerResponse, principal: Principal): ServerContext =>
    createContext(requestIdFrom(req.headers['x-request-id']), principal, (cancel) => cancelWhenClosed(res, cancel));
  const exit = errorExitFor(options);
  const rateLimit = createClientRateLimit({ perMinute: security.limits.rateLimitPerMinute });
  const guard = operationGuardFor(options, exit, rateLimit);

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
  // /readyz fails from close() on; requests are still served until the readiness grace is over.
  const lifecycle = serverLifecycle(() =>
    sleep(options.readinessGraceMs ?? 0)
      .then(() => apollo.stop())
      .finally(() => rateLimit.close()),
  );

  serveOpsAndPages(app, options, lifecycle.shuttingDown);
  const handleGraphQLPost = serveGraphQL(app, { apollo, guard, exit, corsOrigins: options.corsOrigins, context: httpContext });

  const { port, url } = await listen(httpServer, options.host, options.port);

  return {
    url,
    port,
    httpServer,
    close: lifecycle.close,
  };
}

/**
 * An operation's context: the domain's services, the request's id, who is asking, and the operation's cancellation
 * (operation-cancel.ts), which the transport triggers when the caller goes; its reads' AWS calls carry the deadline.
 */
function contextFactory(
  options: StatusGraphServerOptions,
): (requestId: string, principal: Principal, watchCaller?: (cancel: (reason: Error) => void) => void) => ServerContext {
  const { status, watcher, pubsub, history, metrics } = options;
  const services = { status, watcher, pubsub, ...(history ? { history } : {}) };
  // Object.assign keeps the context's loaders getter (a spread would freeze the first loaders in place).
  return (requestId, principal, watchCaller) => {
    // The operation's caller for its status reads: its signal is made only if a read goes to AWS.
    const operation = operationCancel(options.queryDeadlineMs, watchCaller);
    return Object.assign(createGraphQLContext(services, requestId, metrics.onLoaderBatch, operation), {
      principal,
      caller: principal.name,
      cancel: operation.cancel,
    });
  };
}

/**
 * The GraphQL path's one pipeline (graphql-endpoint.ts): returned for the listener to hand POST /graphql straight to,
 * and mounted on express for every other request to the path (GET operations, preflights, /graphql/…).
 */
function serveGraphQL(
  app: Express,
  parts: {
    apollo: ApolloServer<ServerContext>;
    guard: OperationGuard;
    exit: ErrorExit;
    corsOrigins: readonly string[];
    context: (req: IncomingMessage, res: ServerResponse, principal: Principal) => ServerContext;
  },
): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, guard, exit, context } = parts;
  const pipeline = graphqlPipeline({
    apollo,
    cors: corsMiddleware(parts.corsOrigins),
    admit: guard.admitHttpRequest,
    // body-parser is connect-style middleware: it reads node:http's own request, with or without express around it.
    parseBody: express.json({ limit: MAX_BODY }) as NodeMiddleware,
    documents: guard.httpDocuments,
    context: async (req, res, principal) => context(req, res, principal),
    onError: exit.requestFailed,
  });
  app.use(GRAPHQL_PATH, (req, res) => pipeline(req, res));
  return pipeline;
}

/** /healthz, /readyz and /metrics, the web pages, and the playground at GET /graphql when it is on. */
function serveOpsAndPages(app: Express, options: StatusGraphServerOptions, shuttingDown: () => boolean): void {
  app.use(opsEndpoints({ metrics: options.metrics, readiness: options.readiness, shuttingDown }));
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  app.use(webAssetsRouter(webRoot));
  if (options.playground) app.get(GRAPHQL_PATH, playgroundHandler(webRoot));
}

/** The one exit of errors and refusals, for these options. */
function errorExitFor(options: StatusGraphServerOptions): ErrorExit {
  return createErrorExit({
    production: options.production,
    logger: options.logger,
    maxTokens: options.security.limits.maxTokens,
    maxBody: MAX_BODY,
    schema: options.schema,
    ...(options.onClientError ? { onClientError: options.onClientError } : {}),
  });
}

/** The checks every operation passes, on both transports, for these options. */
function operationGuardFor(options: StatusGraphServerOptions, exit: ErrorExit, rateLimit: ClientRateLimit): OperationGuard {
  const { security } = options;
  return createOperationGuard({
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
}

/** Listens, and says where: the port given (or the ephemeral one chosen) and the API's URL. */
async function listen(httpServer: Server, host: string, requestedPort: number): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(requestedPort, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const displayHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { port, url: `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}${GRAPHQL_PATH}` };
}

/** Started, draining (close() called, `stop` under way), stopped; close() is safe to call again at any point. */
function serverLifecycle(stop: () => Promise<void>): { shuttingDown: () => boolean; close: () => Promise<void> } {
  let state: ServerPhase = { phase: 'started' };
  return {
    shuttingDown: () => state.phase !== 'started',
    close() {
      switch (state.phase) {
        case 'started': {
          const done = stop();
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
