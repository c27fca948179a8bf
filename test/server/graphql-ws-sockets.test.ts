// The graphql-ws adapter's flow control (src/server/graphql-ws-sockets.ts): sends go on without waiting for their
// writes while the socket's backlog is under the high-water mark, and wait once it is over — so a subscriber that stops
// reading stops its stream, and what the server holds for it stays under the mark plus a frame; nothing is lost or
// reordered when it reads again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { afterEach, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { useFlowControlledServer } from '../../src/server/graphql-ws-sockets.js';
import { WS_SEND_HIGH_WATER_BYTES } from '../../src/server/limits.js';

const CHUNK = 'x'.repeat(32 * 1024);
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

interface Flow {
  /** The socket's backlog (bytes not yet written) each time the stream was asked for its next event. */
  readonly backlogs: number[];
  /** Resolves once the backlog reached half the mark: the peer's and the kernel's buffers are full. */
  readonly backlogged: Promise<void>;
  readonly produced: () => number;
}

/** A server whose `chunks` stream yields 32 KiB events until its socket backs up, then `after` more, then ends. */
async function serve(after: number): Promise<{ url: string; flow: Flow }> {
  const schema = buildSchema('type Query { ok: Boolean } type Chunk { index: Int, data: String } type Subscription { chunks: Chunk }');
  const backlogs: number[] = [];
  let produced = 0;
  let backedUp!: () => void;
  const backlogged = new Promise<void>((resolve) => (backedUp = resolve));
  const http: Server = createServer();
  const sockets = new WebSocketServer({ server: http, path: '/graphql' });
  schema.getSubscriptionType()!.getFields().chunks!.subscribe = async function* () {
    let remaining = Number.POSITIVE_INFINITY;
    while (remaining-- > 0) {
      const backlog = [...sockets.clients][0]!.bufferedAmount;
      backlogs.push(backlog);
      if (backlog >= WS_SEND_HIGH_WATER_BYTES / 2 && remaining === Number.POSITIVE_INFINITY) {
        remaining = after;
        backedUp();
      }
      yield { chunks: { index: produced++, data: CHUNK } };
    }
  };
  const server = useFlowControlledServer({ schema, isProd: false }, sockets, 0);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  close = async () => {
    await server.dispose();
    await new Promise((resolve) => http.close(resolve));
  };
  const { port } = http.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/graphql`, flow: { backlogs, backlogged, produced: () => produced } };
}

it('stops a subscriber’s stream while it does not read, holding no more than the mark and a frame; then sends everything in order', async () => {
  const { url, flow } = await serve(100);
  const client = new WebSocket(url, 'graphql-transport-ws');
  const received: number[] = [];
  const completed = new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { chunks: { index: number } } } };
      if (message.type === 'connection_ack') {
        client.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { chunks { index data } }' } }));
        // The subscriber stops reading: the server's writes fill the kernel's buffers, then its own.
        client.pause();
      } else if (message.type === 'next') received.push(message.payload!.data!.chunks.index);
      else if (message.type === 'complete') resolve();
      else reject(new Error(`unexpected ${message.type}`));
    });
  });
  client.on('open', () => client.send(JSON.stringify({ type: 'connection_init' })));
  await flow.backlogged;
  client.resume();
  await completed;
  client.close();

  expect(Math.max(...flow.backlogs)).toBeLessThan(WS_SEND_HIGH_WATER_BYTES + CHUNK.length + 64);
  expect(received).toEqual(Array.from({ length: flow.produced() }, (_, index) => index));
});
