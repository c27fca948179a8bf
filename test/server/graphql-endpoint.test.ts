// POST /graphql reaches the GraphQL pipeline (graphql-endpoint.ts) straight from the listener; every other request to
// the GraphQL path (POST /graphql/, GET) reaches the same pipeline through express's mount. Both ways must answer
// alike: same status, same headers, same body — for an answer, and for each refusal on the way (CORS, credentials,
// rate limit, body, trusted documents).
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIdOf } from '../../src/server/trusted-documents.js';
import { startStack, type Stack } from '../support/stack.js';

const READER = 'reader-0123456789abcdef0123456789abcdef';
const ALLOWED_ORIGIN = 'https://console.example.com';
const VIEWER = 'query Viewer { viewer { id } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Status, body and the headers that say something (not Date, nor express's ETag, which means nothing on a POST). */
async function answer(url: string, init: RequestInit) {
  const response = await fetch(url, { method: 'POST', ...init });
  const headers = Object.fromEntries(
    [...response.headers]
      .filter(([name]) => !['date', 'etag', 'keep-alive', 'connection'].includes(name))
      // The budget left and the seconds to the window's reset depend on when each request ran, not on the route.
      .map(([name, value]) => [name, name === 'ratelimit' ? value.replace(/remaining=\d+/, 'remaining=N').replace(/reset=\d+/, 'reset=N') : value]),
  );
  return { status: response.status, headers, body: await response.text() };
}

describe('POST /graphql, without express', () => {
  let stack: Stack;
  let viaExpress: string;
  beforeAll(async () => {
    const manifest = join(await mkdtemp(join(tmpdir(), 'statusgraph-endpoint-')), 'persisted-documents.json');
    await writeFile(manifest, JSON.stringify({ [documentIdOf(VIEWER)]: VIEWER }));
    stack = await startStack({
      env: {
        STATUSGRAPH_API_KEYS: `dashboard:reader:${sha256(READER)}`,
        STATUSGRAPH_CORS_ORIGINS: ALLOWED_ORIGIN,
        STATUSGRAPH_TRUSTED_DOCUMENTS: manifest,
        STATUSGRAPH_RATE_LIMIT_PER_MINUTE: '1000',
      },
    });
    // express mounts the route at /graphql, so /graphql/ reaches the same chain through express's router.
    viaExpress = `${stack.graphqlUrl}/`;
  });
  afterAll(() => stack?.close());

  const json = { 'content-type': 'application/json' };
  const reader = { ...json, authorization: `Bearer ${READER}` };
  it.each([
    ['an answer, to a listed origin', { headers: { ...reader, origin: ALLOWED_ORIGIN }, body: JSON.stringify({ documentId: documentIdOf(VIEWER) }) }],
    ['an answer in the GraphQL media type', { headers: { ...reader, accept: 'application/graphql-response+json' }, body: JSON.stringify({ documentId: documentIdOf(VIEWER) }) }],
    ['no credentials', { headers: json, body: JSON.stringify({ documentId: documentIdOf(VIEWER) }) }],
    ['a malformed Authorization header', { headers: { ...json, authorization: 'Basic eA==' }, body: '{}' }],
    ['a body that is not JSON', { headers: reader, body: '{"query":' }],
    ['a body over 256 kB', { headers: reader, body: JSON.stringify({ documentId: documentIdOf(VIEWER), padding: 'x'.repeat(300_000) }) }],
    ['an untrusted document', { headers: reader, body: JSON.stringify({ query: '{ __typename }' }) }],
    ['a batch', { headers: reader, body: JSON.stringify([{ documentId: documentIdOf(VIEWER) }]) }],
  ])('answers %s as the express route does', async (_what, init) => {
    const fast = await answer(stack.graphqlUrl, init);
    const routed = await answer(viaExpress, init);
    expect(fast).toEqual(routed);
  });

  it('counts its requests against the same per-client budget as the express route', async () => {
    const init = { headers: reader, body: JSON.stringify({ documentId: documentIdOf(VIEWER) }) };
    const remaining = async (url: string) => Number(/remaining=(\d+)/.exec((await fetch(url, { method: 'POST', ...init })).headers.get('ratelimit') ?? '')?.[1]);
    const first = await remaining(stack.graphqlUrl);
    expect(await remaining(viaExpress)).toBe(first - 1);
    expect(await remaining(stack.graphqlUrl)).toBe(first - 2);
  });
});
