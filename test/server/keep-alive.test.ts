// Kept-alive connections: the server keeps an idle connection open longer than its clients keep it, so a client never
// sends a request on a socket the server is closing (the soak lost queries with ECONNRESET under Node's 5-second
// default, when a stalled process reused a socket the server had just timed out).
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../src/server/http-server.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ memberAccounts: 1 });
});
afterAll(async () => {
  await stack?.close();
});

/** POSTs a query on a kept-alive agent; the response's headers and the local port of the socket it came on. */
function post(agent: Agent): Promise<{ keepAlive: string | undefined; localPort: number | undefined }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const req = request(stack.graphqlUrl, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ keepAlive: res.headers['keep-alive'] as string | undefined, localPort: req.socket?.localPort }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

it('tells clients to keep idle connections for less than it keeps them, longer than a load balancer idles (60 s)', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await post(agent);
    // undici (fetch) and Node's agent time their idle sockets out from this hint, a little before the server does.
    expect(first.keepAlive).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    // And the connection is kept: the second request comes on the same socket.
    const second = await post(agent);
    expect(second.localPort).toBe(first.localPort);
  } finally {
    agent.destroy();
  }
});
