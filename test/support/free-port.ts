// A loopback port for a server a test starts itself (redis-server, postgres).
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port the kernel just handed out and took back: free for another program to bind a moment later. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
