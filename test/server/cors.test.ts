// Cross-origin access against the running server: CORS for HTTP and the Origin check for WebSocket upgrades,
// closed by default and opened per origin with STATUSGRAPH_CORS_ORIGINS.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStack, type Stack } from '../support/stack.js';

const ALLOWED = 'https://console.example.com';
const FOREIGN = 'https://attacker.example.net';

function post(stack: Stack, origin: string | undefined) {
  return fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin === undefined ? {} : { origin }) },
    body: JSON.stringify({ query: '{ viewer { id } }' }),
  });
}

function preflight(stack: Stack, origin: string) {
  return fetch(stack.graphqlUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

/** The HTTP status a WebSocket upgrade to /graphql gets: 101 when it is switched, the refusal's status otherwise. */
function upgradeStatus(stack: Stack, origin: string): Promise<number> {
  const socket = new WebSocket(stack.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { origin } });
  return new Promise<number>((resolve, reject) => {
    socket.once('upgrade', (response) => resolve(response.statusCode ?? 0));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  }).finally(() => socket.terminate());
}

/** Runs `{ viewer { id } }` over graphql-ws with an Origin header; resolves with the id or rejects with the close. */
function viewerOverWebSocket(stack: Stack, origin?: string): Promise<string> {
  const url = stack.graphqlUrl.replace(/^http/, 'ws');
  class WebSocketWithOrigin extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, origin === undefined ? {} : { headers: { origin } });
    }
  }
  const client = createClient({ url, webSocketImpl: WebSocketWithOrigin, retryAttempts: 0, lazy: true });
  return new Promise<string>((resolve, reject) => {
    client.subscribe(
      { query: '{ viewer { id } }' },
      {
        next: (result) => resolve(String((result.data as { viewer: { id: string } }).viewer.id)),
        error: (error) => reject(error instanceof Error ? error : new Error(`closed: ${JSON.stringify(error)}`)),
        complete: () => undefined,
      },
    );
  }).finally(() => client.dispose());
}

describe('cross-origin access by default', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('grants no origin CORS access', async () => {
    const answer = await post(stack, ALLOWED);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const check = await preflight(stack, ALLOWED);
    expect(check.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a client that sends no Origin (not a browser page) with Vary: Origin and no CORS header', async () => {
    const answer = await post(stack, undefined);
    expect(answer.headers.get('vary')).toBe('Origin');
    expect([...answer.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('refuses a WebSocket upgrade from a page on another origin', async () => {
    expect(await upgradeStatus(stack, FOREIGN)).toBe(403);
  });

  it('accepts WebSocket upgrades from its own pages and from clients that send no Origin', async () => {
    expect(await viewerOverWebSocket(stack, new URL(stack.graphqlUrl).origin)).toBe('000000000000');
    expect(await viewerOverWebSocket(stack)).toBe('000000000000');
  });
});

describe(`cross-origin access with STATUSGRAPH_CORS_ORIGINS=${ALLOWED}`, () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { STATUSGRAPH_CORS_ORIGINS: ALLOWED } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers the preflight of a listed origin with that origin, the POST method and the JSON content type', async () => {
    const check = await preflight(stack, ALLOWED);
    expect(check.status).toBe(204);
    expect(check.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(check.headers.get('access-control-allow-methods')).toContain('POST');
    expect(check.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('lets a listed origin read the answer, and not any other', async () => {
    const allowed = await post(stack, ALLOWED);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(((await allowed.json()) as any).data.viewer.id).toBe('000000000000');

    const withoutOrigin = await post(stack, undefined);
    expect(withoutOrigin.headers.get('vary')).toBe('Origin');
    expect([...withoutOrigin.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);

    const foreign = await post(stack, FOREIGN);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(stack, FOREIGN)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts WebSocket upgrades from a listed origin and refuses the rest', async () => {
    expect(await viewerOverWebSocket(stack, ALLOWED)).toBe('000000000000');
    expect(await upgradeStatus(stack, FOREIGN)).toBe(403);
  });
});
