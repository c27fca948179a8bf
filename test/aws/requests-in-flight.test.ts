// The shared HTTP handler sends no more AWS requests at once than its sockets: a send beyond them waits before its
// request is built (none queues inside Node's agent), and one whose caller goes while it waits is never sent.
// A local HTTP server holds every request until the test releases it, so nothing here depends on timing.
import { once } from 'node:events';
import { createServer, type Agent, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest } from '@smithy/protocol-http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSharedHttpHandler } from '../../src/aws/clients.js';

/** A server that answers each request only when released, and counts what it received and what it held at once. */
function startHoldingServer() {
  const held: ServerResponse[] = [];
  const counts = { received: 0, mostAtOnce: 0 };
  let arrived: () => void = () => undefined;
  const server = createServer((request, response) => {
    request.resume();
    counts.received += 1;
    held.push(response);
    counts.mostAtOnce = Math.max(counts.mostAtOnce, held.length);
    arrived();
  });
  return {
    counts,
    server,
    /** Resolves once the server holds `count` requests. */
    async holding(count: number): Promise<void> {
      while (held.length < count) await new Promise<void>((resolve) => (arrived = resolve));
    },
    release(count = held.length): void {
      for (const response of held.splice(0, count)) response.end('{}');
    },
  };
}

let holding: ReturnType<typeof startHoldingServer>;
let port: number;

beforeEach(async () => {
  holding = startHoldingServer();
  holding.server.listen(0, '127.0.0.1');
  await once(holding.server, 'listening');
  port = (holding.server.address() as AddressInfo).port;
});
afterEach(async () => {
  holding.release();
  holding.server.closeAllConnections();
  holding.server.close();
  await once(holding.server, 'close');
});

/** Sends a request and reads its answer whole, as the SDK's deserializer does: its socket is then free again. */
async function send(handler: ReturnType<typeof createSharedHttpHandler>, path: string, abortSignal?: AbortSignal): Promise<number | undefined> {
  const request = new HttpRequest({ protocol: 'http:', hostname: '127.0.0.1', port, method: 'GET', path, headers: { host: `127.0.0.1:${port}` } });
  const { response } = await handler.handle(request, abortSignal ? { abortSignal } : {});
  for await (const chunk of response.body as AsyncIterable<Buffer>) void chunk;
  return response.statusCode;
}

describe('AWS requests in flight', () => {
  it('builds no more requests than its sockets: the rest wait their turn outside Node’s agent', async () => {
    const handler = createSharedHttpHandler({ timeoutMs: 30_000, maxSockets: 2 });
    try {
      const sends = Array.from({ length: 5 }, (_, index) => send(handler, `/${index}`));
      await holding.holding(2);
      const agent = handler.httpHandlerConfigs().httpAgent as Agent;
      // Unbounded, the three others would be built and queued in the agent for a socket (kept alive the while).
      expect(Object.values(agent.requests).flat()).toHaveLength(0);
      holding.release(1);
      await holding.holding(2);
      holding.release(2);
      await holding.holding(2);
      holding.release();
      expect(await Promise.all(sends)).toEqual([200, 200, 200, 200, 200]);
      expect(holding.counts).toEqual({ received: 5, mostAtOnce: 2 });
    } finally {
      handler.destroy();
    }
  });

  it('never sends a waiting request whose caller went: it fails at once with the AbortError of every cancelled call', async () => {
    const handler = createSharedHttpHandler({ timeoutMs: 30_000, maxSockets: 1 });
    try {
      const first = send(handler, '/first');
      await holding.holding(1);
      const caller = new AbortController();
      const waiting = send(handler, '/gone', caller.signal);
      caller.abort();
      await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
      const after = send(handler, '/after');
      holding.release();
      await holding.holding(1);
      holding.release();
      expect(await Promise.all([first, after])).toEqual([200, 200]);
      expect(holding.counts).toEqual({ received: 2, mostAtOnce: 1 });
    } finally {
      handler.destroy();
    }
  });
});
