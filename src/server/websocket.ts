// graphql-ws on the HTTP server's port and path: the socket limits (message size, connection_init wait, pings),
// the origin check of the upgrade, the operation guard's checks (auth on connect; rate limit, documents, limits,
// roles and variables on subscribe) and the one error exit for results and refusals. Returns graphql-ws's cleanup,
// which closes every socket with 1001 Going away.
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { ConnectionInitMessage, Context } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { GraphQLContext } from '../graphql/context.js';
import { webSocketOriginCheck } from './cors.js';
import { useFlowControlledServer } from './graphql-ws-sockets.js';
import type { ErrorExit } from './error-exit.js';
import { WS_CONNECTION_INIT_TIMEOUT_MS, WS_MAX_PAYLOAD_BYTES } from './limits.js';
import { callerGone, type OperationCancel } from './operation-cancel.js';
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
  /** The context of one operation (built per subscribe message, not per event); cancelled when the operation completes. */
  readonly context: (ctx: Context<ConnectionParams, Extra & Partial<SocketState>>) => GraphQLContext & Pick<OperationCancel, 'cancel'>;
}

export function startWebSocketServer(options: WebSocketServerOptions): { dispose(): void | Promise<void> } {
  const { exit } = options;
  // Each socket's operations still running, by id: graphql-ws completes an operation when the client says so, when
  // it ends, and when the socket closes — then its reads in flight are cancelled (operation-cancel.ts).
  const running = new WeakMap<object, Map<string, OperationCancel['cancel']>>();
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    // ws closes a socket that sends a bigger frame with 1009 (message too big).
    maxPayload: WS_MAX_PAYLOAD_BYTES,
    verifyClient: webSocketOriginCheck(options.corsOrigins),
  });
  return useFlowControlledServer<ConnectionParams, SocketState>(
    {
      schema: options.schema,
      isProd: options.production,
      connectionInitWaitTimeout: WS_CONNECTION_INIT_TIMEOUT_MS,
      ...options.guard.ws,
      context: (ctx, id) => {
        const context = options.context(ctx);
        let operations = running.get(ctx);
        if (!operations) running.set(ctx, (operations = new Map()));
        operations.set(id, context.cancel);
        return context;
      },
      onComplete: (ctx, id) => {
        running.get(ctx)?.get(id)?.(callerGone());
        running.get(ctx)?.delete(id);
      },
      // A subscription still opening (reading its current state) when the socket closes completes only after.
      onClose: (ctx) => {
        for (const cancel of running.get(ctx)?.values() ?? []) cancel(callerGone());
        running.delete(ctx);
      },
      // Results and refusals sent over the socket leave through the same exit as HTTP responses.
      onNext: (_ctx, _id, _payload, args, result) =>
        result.errors?.length ? { ...result, errors: exit.formatErrors(result.errors, (args.contextValue as GraphQLContext | undefined)?.requestId) } : undefined,
      onError: (_ctx, _id, _payload, errors) => exit.formatErrors(errors),
    },
    wsServer,
    options.pingIntervalMs,
  );
}
