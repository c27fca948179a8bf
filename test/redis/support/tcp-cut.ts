// A TCP pass-through to redis-server that a test can cut and restore, so one instance loses Redis while the others
// keep it: the bytes go through untouched (no Redis protocol here), and cutting closes every connection at once.
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpCut {
  readonly url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpCut(targetPort: number): Promise<TcpCut> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    const listening = createServer((socket) => {
      const upstream = connect(targetPort, '127.0.0.1');
      for (const end of [socket, upstream]) {
        sockets.add(end);
        end.on('close', () => sockets.delete(end));
        end.on('error', () => undefined);
      }
      socket.pipe(upstream).pipe(socket);
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
    });
    listening.listen(port, '127.0.0.1');
    await once(listening, 'listening');
    port = (listening.address() as { port: number }).port;
    server = listening;
  };

  const cut = async () => {
    const stopping = server;
    server = undefined;
    if (!stopping) return;
    const closed = once(stopping, 'close');
    stopping.close();
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  await listen();
  return {
    url: `redis://127.0.0.1:${port}`,
    cut,
    restore: listen,
    close: cut,
  };
}
