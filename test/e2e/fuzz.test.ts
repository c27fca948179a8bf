// Thousands of malformed and hostile requests, generated from a fixed seed with fast-check: broken and mutated
// documents, token soup, absurd variables and bodies of every JSON shape, over HTTP and graphql-ws. The server must
// answer every one without a 5xx, stay up, and leave no promise rejection unhandled.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { openSocket } from './hardening-support.js';

const SEED = 20_261_126;
const HTTP_REQUESTS = 2_000;
const SOCKET_MESSAGES = 600;
const CONCURRENCY = 16;

/** Real operations of this API, for mutation into nearly-valid ones. */
const SEEDS = [
  '{ viewer { id name computeOptimizerEnrollment { status } } }',
  'query Page($first: Int, $after: String) { organization { accounts(first: $first, after: $after) { nodes { id fleetwiseRegistration { accountStatus } } pageInfo { endCursor } } } }',
  'query Ids($ids: [AccountId!]!) { accounts(ids: $ids) { id creationRequest { state failureReason } } }',
  '{ createAccountRequest(id: "car-1234567890abcdef") { id state account { id } } }',
  'mutation Enroll($id: AccountId!) { updateComputeOptimizerEnrollment(input: { accountId: $id, status: ACTIVE }) { status } }',
  'subscription { accountStatusChanged(accountIds: ["000000000000"]) { accountId source } }',
  '{ organization { statusSummary { totalAccounts sources { source counts { value count } } } } }',
];

const TOKENS = ['{', '}', '(', ')', '[', ']', ':', '$', '@', '...', '!', '=', ',', '|', '&', '"', '"""', '#', 'query', 'mutation',
  'subscription', 'fragment', 'on', 'viewer', 'organization', 'accounts', 'account', 'ids', 'first', 'after', 'id', '__schema',
  '__typename', '__type', 'include', 'skip', 'true', 'null', '-1', '1e309', '99999999999999999999', '"000000000000"', '0x1F', 'A'.repeat(300)];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((tokens) => tokens.join(' '));

/** A real operation with characters inserted, deleted or replaced. */
const mutatedDocument = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 4 }))
  .map(([document, edits]) =>
    edits.reduce((text, [at, kind, chars]) => {
      const i = at % (text.length + 1);
      return kind === 0 ? text.slice(0, i) + chars + text.slice(i) : kind === 1 ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + chars + text.slice(i + 1);
    }, document),
  );

const hostileDocument = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  tokenSoup,
  mutatedDocument,
  fc.constantFrom(...SEEDS),
  fc.nat({ max: 3_000 }).map((n) => `{ ${'viewer { '.repeat(n)}id${' }'.repeat(n)} }`),
  fc.nat({ max: 500 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`),
  fc.nat({ max: 2_000 }).map((n) => `query { viewer { id ${'@include(if: true)'.repeat(n)} } }`),
  fc.nat({ max: 200 }).map((n) => `query Q { ...F } ${Array.from({ length: n }, (_, i) => `fragment F${i === 0 ? '' : i} on Query { ...F${i + 1} }`).join(' ')}`),
);

const hostileVariables = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 6 }),
  fc.record({ first: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), after: fc.string(), ids: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 1_200 }) }, { requiredKeys: [] }),
  fc.record({ id: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('000000000000'), fc.constant({ nested: 'object' })) }),
);

/** Every shape a body might take: an operation, a near-operation, or any JSON at all. */
const hostileBody = fc.oneof(
  { weight: 6, arbitrary: fc.record({ query: hostileDocument, variables: hostileVariables, operationName: fc.oneof(fc.constant(undefined), fc.string(), fc.constant('Page'), fc.integer()) }, { requiredKeys: ['query'] }) },
  { weight: 1, arbitrary: fc.record({ query: fc.jsonValue(), variables: fc.jsonValue(), extensions: fc.jsonValue(), documentId: fc.jsonValue() }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

const hostileRequest = fc.oneof(
  { weight: 8, arbitrary: hostileBody.map((body) => ({ kind: 'json' as const, body: JSON.stringify(body) ?? 'null' })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map((body) => ({ kind: 'json' as const, body })) },
  { weight: 1, arbitrary: fc.record({ query: hostileDocument, variables: fc.string() }).map((params) => ({ kind: 'get' as const, params })) },
);

describe('a fuzzed server', () => {
  let stack: Stack;
  const unhandled: unknown[] = [];
  const recordUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', recordUnhandled);
    stack = await startStack({ env: { STATUSGRAPH_RATE_LIMIT_PER_MINUTE: '1000000' } });
  });
  afterAll(async () => {
    await stack?.close();
    process.off('unhandledRejection', recordUnhandled);
  });

  it(`answers ${HTTP_REQUESTS} hostile HTTP requests without a 5xx`, async () => {
    const requests = fc.sample(hostileRequest, { numRuns: HTTP_REQUESTS, seed: SEED });
    const serverErrors: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const response =
          request.kind === 'json'
            ? await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request.body })
            : await fetch(`${stack.graphqlUrl}?${new URLSearchParams(request.params)}`, { headers: { 'apollo-require-preflight': 'true' } });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) serverErrors.push(`${response.status} ${JSON.stringify(request).slice(0, 300)} → ${text.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(serverErrors).toEqual([]);
    // The mix reached every layer: executed operations as well as refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(HTTP_REQUESTS / 100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(HTTP_REQUESTS / 2);
    expect((await fetch(new URL('/healthz', stack.graphqlUrl))).status).toBe(200);
    expect(unhandled).toEqual([]);
  }, 60_000);

  it(`answers ${SOCKET_MESSAGES} hostile graphql-ws operations with errors or results, never an internal-error close`, async () => {
    const payloads = fc.sample(
      fc.record({ query: hostileDocument, variables: fc.oneof(fc.constant(undefined), fc.dictionary(fc.string(), fc.jsonValue())), operationName: fc.oneof(fc.constant(undefined), fc.string()) }, { requiredKeys: ['query'] }),
      { numRuns: SOCKET_MESSAGES, seed: SEED },
    );
    const internalCloses: number[] = [];
    const unanswered: string[] = [];
    let raw = await openSocket(stack.graphqlUrl);
    raw.send({ type: 'connection_init' });
    for (const [index, payload] of payloads.entries()) {
      if (raw.socket.readyState !== raw.socket.OPEN) {
        const { code } = await raw.closed;
        if (code === 4500 || code === 1011) internalCloses.push(code);
        raw = await openSocket(stack.graphqlUrl);
        raw.send({ type: 'connection_init' });
      }
      const id = `op${index}`;
      raw.send({ id, type: 'subscribe', payload });
      await Promise.race([
        raw.next((message) => message.id === id && (message.type === 'error' || message.type === 'next' || message.type === 'complete'), 5_000),
        raw.closed,
      ]).catch(() => unanswered.push(JSON.stringify(payload).slice(0, 200)));
      raw.send({ id, type: 'complete' });
    }
    raw.socket.close();
    expect(internalCloses).toEqual([]);
    expect(unanswered).toEqual([]);
    expect((await fetch(new URL('/healthz', stack.graphqlUrl))).status).toBe(200);
    expect(unhandled).toEqual([]);
  }, 60_000);
});
