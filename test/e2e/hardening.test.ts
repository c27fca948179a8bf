// Who may do what, and how much, end to end: a real server on the emulator, real HTTP and WebSocket clients, and the
// emulator's call counts to prove every refusal happens before any AWS call.
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIdOf } from '../../src/server/trusted-documents.js';
import { AUDIENCE, ISSUER, startIdentityProvider, type LocalIdentityProvider } from '../server/identity-provider.js';
import { startStack, total, type Stack } from '../support/stack.js';
import { bearer, connect, get, openSocket, post, runOverSocket } from './hardening-support.js';

const READER = 'reader-0123456789abcdef0123456789abcdef';
const OPERATOR = 'operator-0123456789abcdef0123456789abcdef';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const API_KEYS = `dashboard:reader:${sha256(READER)},ops:operator:${sha256(OPERATOR)}`;
const MANAGEMENT = '000000000000';

const VIEWER = 'query Viewer { viewer { id computeOptimizerEnrollment { status } } }';
const DISABLE_ENROLLMENT = `mutation Disable { updateComputeOptimizerEnrollment(input: { accountId: "${MANAGEMENT}", status: INACTIVE }) { status } }`;
const WATCH = `subscription Watch { accountStatusChanged(accountIds: ["${MANAGEMENT}"], sources: [CREATION_REQUEST]) { accountId source } }`;

async function awsCallsDuring(stack: Stack, action: () => Promise<unknown>): Promise<number> {
  await stack.resetCalls();
  await action();
  return total(await stack.calls());
}

describe('authentication', () => {
  let stack: Stack;
  let idp: LocalIdentityProvider;
  beforeAll(async () => {
    idp = await startIdentityProvider();
    stack = await startStack({
      env: {
        STATUSGRAPH_API_KEYS: API_KEYS,
        STATUSGRAPH_JWKS_URL: idp.jwksUrl,
        STATUSGRAPH_JWT_ISSUER: ISSUER,
        STATUSGRAPH_JWT_AUDIENCE: AUDIENCE,
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await idp?.close();
  });

  it('answers a request without credentials with 401, a Bearer challenge and UNAUTHENTICATED, before any AWS call', async () => {
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    expect(await awsCallsDuring(stack, async () => (answer = await post(stack.graphqlUrl, { query: VIEWER })))).toBe(0);
    expect(answer?.status).toBe(401);
    expect(answer?.headers.get('www-authenticate')).toBe('Bearer realm="statusgraph"');
    expect(answer?.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers an unknown token with 401 invalid_token', async () => {
    const answer = await post(stack.graphqlUrl, { query: VIEWER }, bearer('not-a-key-of-ours-0123456789abcdef'));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('serves a reader with an API key, and one with a JWT from the identity provider', async () => {
    const withKey = await post(stack.graphqlUrl, { query: VIEWER }, bearer(READER));
    expect(withKey.status).toBe(200);
    expect(withKey.body.data.viewer.id).toBe(MANAGEMENT);
    const withJwt = await post(stack.graphqlUrl, { query: VIEWER }, bearer(await idp.sign({ statusgraph_role: 'reader' })));
    expect(withJwt.body.data.viewer.id).toBe(MANAGEMENT);
  });

  it('answers a JWT without a statusgraph role with 403', async () => {
    const answer = await post(stack.graphqlUrl, { query: VIEWER }, bearer(await idp.sign({ statusgraph_role: 'guest' })));
    expect(answer.status).toBe(403);
    expect(answer.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it("refuses a reader's mutation with FORBIDDEN before any AWS call, and runs an operator's", async () => {
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    expect(await awsCallsDuring(stack, async () => (refused = await post(stack.graphqlUrl, { query: DISABLE_ENROLLMENT }, bearer(READER))))).toBe(0);
    expect(refused?.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(refused?.body.data).toBeUndefined();

    await stack.resetCalls();
    const allowed = await post(stack.graphqlUrl, { query: DISABLE_ENROLLMENT }, bearer(OPERATOR));
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data.updateComputeOptimizerEnrollment.status).toBe('INACTIVE');
    expect((await stack.calls())['compute-optimizer:UpdateEnrollmentStatus']).toBe(1);
  });

  it('closes a WebSocket whose connection_init carries no valid credentials with 4403 Forbidden', async () => {
    for (const payload of [undefined, { authorization: 'Bearer nope-0123456789abcdef0123456789' }]) {
      const raw = await openSocket(stack.graphqlUrl);
      raw.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
      expect(await raw.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    }
  });

  it('lets a reader query and subscribe over graphql-ws, and refuses its mutation with FORBIDDEN before any AWS call', async () => {
    const raw = await connect(stack.graphqlUrl, { authorization: `Bearer ${READER}` });
    expect((await runOverSocket(raw, 'q', { query: VIEWER })).payload.data.viewer.id).toBe(MANAGEMENT);
    expect((await runOverSocket(raw, 's', { query: WATCH })).payload.data.accountStatusChanged.accountId).toBe(MANAGEMENT);
    let refused: any;
    expect(await awsCallsDuring(stack, async () => (refused = await runOverSocket(raw, 'm', { query: DISABLE_ENROLLMENT })))).toBe(0);
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'FORBIDDEN' } }] });
    raw.socket.close();
  });
});

describe('abuse limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The default ping interval: a short one would terminate these tests' sockets whenever a busy machine delays a
    // pong past it (the ping test below has its own server).
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  const tooDeep = `{ viewer { creationRequest { account { creationRequest { account { creationRequest { id } } } } } } }`;
  const tooManyAliases = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
  const tooManyTokens = `{ accounts(ids: [${Array.from({ length: 1_100 }, () => '"123456789012"').join(' ')}]) { id } }`;
  const tooCostly = `{ viewer { creationRequest { account { creationRequest { account { ${'id '.repeat(700)} } } } } } }`;

  it.each([
    ['a selection deeper than 6', tooDeep, 'Query depth limit of 6 exceeded'],
    ['more than 15 aliases', tooManyAliases, 'Aliases limit of 15 exceeded'],
    ['more than 1,000 tokens', tooManyTokens, "longer than this server's limit of 1000 tokens"],
    ['a cost over 5,000', tooCostly, 'Query Cost limit of 5000 exceeded'],
  ])('refuses %s with 400 before any AWS call, on HTTP and on graphql-ws alike', async (_what, query, message) => {
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    expect(await awsCallsDuring(stack, async () => (answer = await post(stack.graphqlUrl, { query })))).toBe(0);
    expect(answer?.status).toBe(400);
    expect(answer?.body.errors[0].message).toContain(message);

    const raw = await connect(stack.graphqlUrl);
    let overSocket: any;
    expect(await awsCallsDuring(stack, async () => (overSocket = await runOverSocket(raw, '1', { query })))).toBe(0);
    expect(overSocket.type).toBe('error');
    expect(overSocket.payload[0].message).toContain(message);
    raw.socket.close();
  });

  it('refuses a request body over 256 kB with 413', async () => {
    const answer = await post(stack.graphqlUrl, { query: VIEWER, variables: { padding: 'x'.repeat(300_000) } });
    expect(answer.status).toBe(413);
    expect(answer.body.errors[0].message).toContain('larger than 256kb');
  });

  it('refuses a batch of operations in one HTTP request', async () => {
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    expect(await awsCallsDuring(stack, async () => (answer = await post(stack.graphqlUrl, [{ query: VIEWER }, { query: VIEWER }])))).toBe(0);
    expect(answer?.status).toBe(400);
    expect(JSON.stringify(answer?.body)).toContain('batch');
  });

  it('closes a socket that sends a message over 64 KiB with 1009', async () => {
    const raw = await connect(stack.graphqlUrl);
    raw.send({ id: 'big', type: 'subscribe', payload: { query: VIEWER, variables: { padding: 'x'.repeat(70_000) } } });
    expect((await raw.closed).code).toBe(1009);
  });

  it('refuses the 101st operation on one socket, and takes more once some complete', async () => {
    const raw = await connect(stack.graphqlUrl);
    for (let i = 0; i < 100; i++) raw.send({ id: `w${i}`, type: 'subscribe', payload: { query: WATCH } });
    await Promise.all(Array.from({ length: 100 }, (_, i) => raw.next((m) => m.id === `w${i}` && m.type === 'next')));
    const refused = await runOverSocket(raw, 'w100', { query: WATCH });
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }] });
    raw.send({ id: 'w0', type: 'complete' });
    await sleep(50);
    expect((await runOverSocket(raw, 'w101', { query: WATCH })).type).toBe('next');
    raw.socket.close();
  });

  it('closes a socket that reuses the id of a running operation with 4409', async () => {
    const raw = await connect(stack.graphqlUrl);
    await runOverSocket(raw, 'same', { query: WATCH });
    raw.send({ id: 'same', type: 'subscribe', payload: { query: WATCH } });
    expect(await raw.closed).toEqual({ code: 4409, reason: 'Subscriber for same already exists' });
  });

  it('closes a socket that never sends connection_init with 4408', async () => {
    const raw = await openSocket(stack.graphqlUrl);
    expect((await raw.closed).code).toBe(4408);
  });

});

describe('keep-alive', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { STATUSGRAPH_WS_PING_INTERVAL_MS: '200' } });
  });
  afterAll(() => stack?.close());

  it('terminates a socket whose peer stops answering pings', async () => {
    const raw = await openSocket(stack.graphqlUrl, { autoPong: false });
    raw.send({ type: 'connection_init' });
    // 1006: the server dropped the connection without a closing handshake, as terminate() does.
    expect((await raw.closed).code).toBe(1006);
  });
});

describe('the per-client rate limit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { STATUSGRAPH_API_KEYS: API_KEYS, STATUSGRAPH_RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => stack?.close());

  it('answers a client over its budget with 429, Retry-After and RATE_LIMITED, while other clients are still served', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(stack.graphqlUrl, { query: '{ __typename }' }, bearer(READER))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    expect(await awsCallsDuring(stack, async () => (limited = await post(stack.graphqlUrl, { query: VIEWER }, bearer(READER))))).toBe(0);
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited?.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await post(stack.graphqlUrl, { query: '{ __typename }' }, bearer(OPERATOR))).status).toBe(200);

    // Operations over a socket spend the same budget.
    const raw = await connect(stack.graphqlUrl, { authorization: `Bearer ${READER}` });
    expect(await runOverSocket(raw, '1', { query: '{ __typename }' })).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'RATE_LIMITED' } }] });
    raw.socket.close();
  });
});

describe('trusted documents', () => {
  let stack: Stack;
  beforeAll(async () => {
    const manifest = join(await mkdtemp(join(tmpdir(), 'statusgraph-trusted-')), 'persisted-documents.json');
    await writeFile(manifest, JSON.stringify({ [documentIdOf(VIEWER)]: VIEWER, [documentIdOf(WATCH)]: WATCH }));
    stack = await startStack({ env: { STATUSGRAPH_TRUSTED_DOCUMENTS: manifest } });
  });
  afterAll(() => stack?.close());

  it('runs a manifest operation sent by documentId, by Apollo persisted-query hash, or by GET', async () => {
    const byId = await post(stack.graphqlUrl, { documentId: documentIdOf(VIEWER) });
    expect(byId.body.data.viewer.id).toBe(MANAGEMENT);
    const sha256Hash = documentIdOf(VIEWER).slice('sha256:'.length);
    const apollo = await post(stack.graphqlUrl, { extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(apollo.body.data.viewer.id).toBe(MANAGEMENT);
    const viaGet = await get(`${stack.graphqlUrl}?documentId=${encodeURIComponent(documentIdOf(VIEWER))}`, { 'apollo-require-preflight': 'true' });
    expect(viaGet.body.data.viewer.id).toBe(MANAGEMENT);
  });

  it.each([
    ['a document of its own', { query: VIEWER }],
    ['an unknown documentId', { documentId: `sha256:${'0'.repeat(64)}` }],
  ])('refuses %s with PERSISTED_QUERY_NOT_FOUND before any AWS call', async (_what, body) => {
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    expect(await awsCallsDuring(stack, async () => (answer = await post(stack.graphqlUrl, body)))).toBe(0);
    expect(answer?.status).toBe(400);
    expect(answer?.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('applies to graphql-ws too: an id runs, a document of its own does not', async () => {
    const raw = await connect(stack.graphqlUrl);
    const watched = await runOverSocket(raw, '1', { query: '', documentId: documentIdOf(WATCH) });
    expect(watched.payload.data.accountStatusChanged.accountId).toBe(MANAGEMENT);
    const refused = await runOverSocket(raw, '2', { query: VIEWER });
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    raw.socket.close();
  });
});

describe('in production', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => stack?.close());

  it('refuses introspection', async () => {
    const answer = await post(stack.graphqlUrl, { query: '{ __schema { queryType { name } } }' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].message).toContain('introspection is not allowed');
    expect((await post(stack.graphqlUrl, { query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
  });

  it('suggests no field names and sends no stack traces, on HTTP and on graphql-ws', async () => {
    const answer = await post(stack.graphqlUrl, { query: '{ viewr { id } }' });
    expect(answer.body.errors[0].message).toBe('Cannot query field "viewr" on type "Query".');
    expect(answer.body.errors[0].extensions.stacktrace).toBeUndefined();
    const raw = await connect(stack.graphqlUrl);
    const overSocket = await runOverSocket(raw, '1', { query: '{ viewr { id } }' });
    expect(overSocket.payload[0].message).toBe('Cannot query field "viewr" on type "Query".');
    raw.socket.close();
  });

  it('refuses requests a browser could send cross-site without a preflight (CSRF prevention)', async () => {
    const simpleGet = await get(`${stack.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(simpleGet.status).toBe(400);
    expect(JSON.stringify(simpleGet.body)).toContain('CSRF');
    const preflighted = await get(`${stack.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, { 'apollo-require-preflight': 'true' });
    expect(preflighted.status).toBe(200);
    const textPlain = await post(stack.graphqlUrl, JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
    expect(textPlain.status).toBe(400);
  });
});
