// graphql-ws's server (makeServer) on ws sockets — graphql-ws/use/ws's adapter, with flow-controlled sends. Its own
// adapter resolves each message's send when ws's write callback fires, and graphql-ws awaits that before it takes a
// subscription's next event: one write system call and one turn of the event loop per event, the replay benchmark's
// ceiling (benchmark 5). Here a send returns at once while the socket holds less than WS_SEND_HIGH_WATER_BYTES not yet
// written, and the frames sent in one turn go out together (the TCP socket corked until the turn's microtasks are
// done); above the mark a send waits until its frame is written, so graphql-ws stops taking events from a subscriber
// that does not read, and what the server holds for a socket stays bounded by the mark. Pings (a socket that does not
// answer the previous ping is terminated), the protocol check and the close codes are the original adapter's.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { CloseCode, DEPRECATED_GRAPHQL_WS_PROTOCOL, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { WS_SEND_HIGH_WATER_BYTES } from './limits.js';

type ConnectionParams = Record<string, unknown> | undefined;

/** Like graphql-ws/use/ws's useServer; returns its dispose, which closes every socket with 1001 Going away. */
export function useFlowControlledServer<P extends ConnectionParams, E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<P, Extra & Partial<E>> & { readonly isProd: boolean },
  wsServer: WebSocketServer,
  keepAliveMs: number,
): { dispose(): Promise<void> } {
  const production = options.isProd;
  const server = makeServer(options);
  wsServer.options.handleProtocols = handleProtocols;
  // ws passes on the HTTP server's errors: every socket is closed with 1011, as graphql-ws's adapter does.
  wsServer.once('error', (error) => {
    for (const client of wsServer.clients) closeOnError(client, error, production);
  });
  wsServer.on('connection', (socket, request) => {
    socket.once('error', (error) => closeOnError(socket, error, production));
    const stopPings = pingEvery(socket, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: flowControlledSend(socket, request),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((error: unknown) => closeOnError(socket, error, production));
          }),
      },
      { socket, request } as Extra & Partial<E>,
    );
    socket.once('close', (code, reason) => {
      stopPings();
      if (!production && code === CloseCode.SubprotocolNotAcceptable && socket.protocol === DEPRECATED_GRAPHQL_WS_PROTOCOL) {
        console.warn('A client offered subscriptions-transport-ws\'s deprecated subprotocol, which this server does not speak.');
      }
      void closed(code, String(reason));
    });
  });
  return {
    async dispose() {
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * A send that does not wait for the write while the socket's backlog is under the mark: the frames of one turn are
 * written together (cork now, uncork once the turn's microtasks are done). At or above the mark, the backlog is
 * flushed and the send resolves when its own frame is written — the backpressure graphql-ws's loop waits on.
 */
function flowControlledSend(socket: WebSocket, request: IncomingMessage): (data: string) => Promise<void> | undefined {
  const tcp: Socket = request.socket as Socket;
  let corked = false;
  const uncork = () => {
    corked = false;
    tcp.uncork();
  };
  return (data) => {
    if (socket.readyState !== socket.OPEN) return undefined;
    if (socket.bufferedAmount < WS_SEND_HIGH_WATER_BYTES) {
      if (!corked) {
        corked = true;
        tcp.cork();
        process.nextTick(uncork);
      }
      socket.send(data);
      return undefined;
    }
    if (corked) uncork();
    return new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve())));
  };
}

/** Pings every keepAliveMs; a socket that has not answered by the next ping is terminated. Returns the stop. */
function pingEvery(socket: WebSocket, keepAliveMs: number): () => void {
  if (!(keepAliveMs > 0 && Number.isFinite(keepAliveMs))) return () => undefined;
  let pongWait: NodeJS.Timeout | undefined;
  const interval = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
    socket.once('pong', () => {
      clearTimeout(pongWait);
      pongWait = undefined;
    });
    socket.ping();
  }, keepAliveMs);
  return () => {
    clearTimeout(pongWait);
    clearInterval(interval);
  };
}

/** What graphql-ws's adapter does with an error on a socket or in handling a message: log it, close with 1011. */
function closeOnError(socket: WebSocket, error: unknown, production: boolean): void {
  console.error('Internal error on a graphql-ws socket.', error);
  const reason = production ? 'Internal server error' : limitCloseReason(error instanceof Error ? error.message : String(error));
  socket.close(CloseCode.InternalServerError, reason);
}

/** A close frame's reason is at most 123 bytes. */
function limitCloseReason(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : 'Internal server error';
}
