// graphql-ws on the HTTP server's port and path: the socket limits (message size, connection_init wait, pings),
// the origin check of the upgrade, the operation guard's checks (auth on connect; rate limit, documents, limits,
// roles and variables on subscribe) and the one error exit for results and refusals. Returns graphql-ws's cleanup,
// which closes every socket with 1001 Going away.
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { ConnectionInitMessage, Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { GraphQLContext } from '../graphql/context.js';
import { webSocketOriginCheck } from './cors.js';
import type { ErrorExit } from './error-exit.js';
import { WS_CONNECTION_INIT_TIMEOUT_MS, WS_MAX_PAYLOAD_BYTES } from './limits.js';
import type { OperationGuard, SocketState } from './operation-guard.js';

type ConnectionParams = ConnectionInitMessage['payload'];

export interface WebSocketServerOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly production: boolean;
  /** Origins whose pages may open a socket (the server's own pages always may). */
  readonly corsOrigins: readonly string[];
  /** graphql-ws pings every socket at this interval and terminates one that has not answered the previous ping. */
  readonly pingIntervalMs: number;
  readonly guard: OperationGuard;
  readonly exit: ErrorExit;
  /** The context of one operation (built per subscribe message, not per event). */
  readonly context: (ctx: Context<ConnectionParams, Extra & Partial<SocketState>>) => GraphQLContext;
}

export function startWebSocketServer(options: WebSocketServerOptions): { dispose(): void | Promise<void> } {
  const { exit } = options;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    // ws closes a socket that sends a bigger frame with 1009 (message too big).
    maxPayload: WS_MAX_PAYLOAD_BYTES,
    verifyClient: webSocketOriginCheck(options.corsOrigins),
  });
  return useServer<ConnectionParams, SocketState>(
    {
      schema: options.schema,
      isProd: options.production,
      connectionInitWaitTimeout: WS_CONNECTION_INIT_TIMEOUT_MS,
      ...options.guard.ws,
      context: options.context,
      // Results and refusals sent over the socket leave through the same exit as HTTP responses.
      onNext: (_ctx, _id, _payload, args, result) =>
        result.errors?.length ? { ...result, errors: exit.formatErrors(result.errors, (args.contextValue as GraphQLContext | undefined)?.requestId) } : undefined,
      onError: (_ctx, _id, _payload, errors) => exit.formatErrors(errors),
    },
    wsServer,
    options.pingIntervalMs,
  );
}
