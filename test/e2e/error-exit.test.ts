// What a client is shown of a refused request, on HTTP and graphql-ws alike (issue 16, points 1–3 and 7): no
// "Did you mean" and no input value in production; a field the schema marks sensitive (email, accountName) never
// echoed, in development either; every error bounded in size; limits named as limits. And which operation type runs
// over which transport: a subscription over HTTP is refused before anything runs, with nothing logged as an error.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { MAX_ERROR_MESSAGE_LENGTH } from '../../src/server/error-exit.js';
import { startStack, total, type Stack } from '../support/stack.js';
import { connect, get, post, runOverSocket } from './hardening-support.js';

const EMAIL = 'very.private.person@example.com';
const ACCOUNT_NAME = 'Project Falcon Secret';
const CREATE = 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }';
const ENROLL = 'mutation($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }';

/** Runs `payload` over HTTP POST and over a fresh graphql-ws socket; returns both answers' errors. */
async function bothTransports(stack: Stack, payload: Record<string, unknown>): Promise<{ http: { status: number; errors: any[] }; ws: any[] }> {
  const answer = await post(stack.graphqlUrl, payload);
  const raw = await connect(stack.graphqlUrl);
  try {
    const message = await runOverSocket(raw, '1', payload);
    return { http: { status: answer.status, errors: answer.body.errors }, ws: message.type === 'error' ? message.payload : message.payload.errors };
  } finally {
    raw.socket.close();
  }
}

function logSink(lines: string[]) {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
}

describe('in production', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => stack?.close());

  it.each([
    ['a misspelt field', { query: '{ viewr { id } }' }],
    ['a misspelt enum value in a variable', { query: ENROLL, variables: { input: { accountId: '000000000000', status: 'ACTIV' } } }],
    ['a misspelt input field in a variable', { query: CREATE, variables: { input: { emial: EMAIL, accountName: ACCOUNT_NAME, idempotencyKey: 'k' } } }],
    ['a misspelt enum literal', { query: 'mutation { updateComputeOptimizerEnrollment(input: { accountId: "000000000000", status: ACTIV }) { status } }' }],
  ])('suggests nothing for %s, on HTTP and graphql-ws', async (_what, payload) => {
    const { http, ws } = await bothTransports(stack, payload);
    expect(http.status).toBe(400);
    for (const error of [...http.errors, ...ws]) {
      expect(error.message).not.toMatch(/did you mean/i);
      expect(error.extensions.stacktrace).toBeUndefined();
    }
    expect(ws.length).toBeGreaterThan(0);
  });

  it('echoes no input value: an invalid input names the field, not the email or the name', async () => {
    const { http, ws } = await bothTransports(stack, {
      query: CREATE,
      variables: { input: { email: 12345, accountName: ACCOUNT_NAME, idempotencyKey: 'k', iamUserAccessToBilling: 'NOPE' } },
    });
    for (const errors of [http.errors, ws]) {
      const text = JSON.stringify(errors);
      expect(text).not.toContain(ACCOUNT_NAME);
      expect(text).not.toContain('12345');
      expect(text).not.toContain('NOPE');
      // Both invalid fields, at once, each by its path.
      expect(errors.map((error: any) => error.extensions.field).sort()).toEqual(['input.email', 'input.iamUserAccessToBilling']);
      expect(errors.every((error: any) => error.extensions.code === 'BAD_USER_INPUT')).toBe(true);
    }
  });

  it.each([
    ['an email given where an enum belongs', `mutation { updateComputeOptimizerEnrollment(input: { accountId: "000000000000", status: "${EMAIL}" }) { status } }`, 'input.status'],
    ['an email given where an Int belongs', `{ organization { accounts(first: "${EMAIL}") { totalCount } } }`, 'first'],
    ['an email given where an account id belongs', `{ account(id: "${EMAIL}") { id } }`, 'id'],
    ['an account name given where an enum list belongs', `{ organization { accounts(states: ["${ACCOUNT_NAME}"]) { totalCount } } }`, 'states'],
    ['a number given for the email', `mutation { createAccount(input: { email: 8675309, accountName: "${ACCOUNT_NAME}", idempotencyKey: "k" }) { id } }`, 'input.email'],
  ])('never quotes an inline literal back: %s, on HTTP and graphql-ws', async (_what, query, field) => {
    const { http, ws } = await bothTransports(stack, { query });
    expect(http.status).toBe(400);
    expect(ws.length).toBeGreaterThan(0);
    for (const errors of [http.errors, ws]) {
      const text = JSON.stringify(errors);
      for (const literal of [EMAIL, ACCOUNT_NAME, '8675309']) expect(text).not.toContain(literal);
      // Still says which argument or input field, and where.
      expect(errors[0].extensions.field).toBe(field);
      expect(errors[0].locations).toHaveLength(1);
    }
  });

  // A WebSocket message is at most 64 KiB, an HTTP body 256 kB: each carries the largest variable it can.
  it('answers a large variable with an error of bounded size, on HTTP and graphql-ws', async () => {
    const input = (size: number) => ({ query: ENROLL, variables: { input: { accountId: '000000000000', status: 'x'.repeat(size) } } });
    const overHttp = await post(stack.graphqlUrl, input(200_000));
    const { ws } = await bothTransports(stack, input(60_000));
    for (const errors of [overHttp.body.errors, ws]) {
      expect(errors).toHaveLength(1);
      expect(JSON.stringify(errors).length).toBeLessThan(2 * MAX_ERROR_MESSAGE_LENGTH);
    }
  });
});

describe('outside production', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('still suggests, for the developer at the keyboard', async () => {
    const { http } = await bothTransports(stack, { query: ENROLL, variables: { input: { accountId: '000000000000', status: 'ACTIV' } } });
    expect(http.errors[0].message).toMatch(/Did you mean/);
  });

  it('never echoes a field the schema marks sensitive (email, accountName)', async () => {
    const { http, ws } = await bothTransports(stack, {
      query: CREATE,
      variables: { input: { email: { address: EMAIL }, accountName: ['a', ACCOUNT_NAME], idempotencyKey: 'k' } },
    });
    for (const errors of [http.errors, ws]) {
      const text = JSON.stringify(errors);
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain(ACCOUNT_NAME);
      expect(errors.map((error: any) => error.extensions.field).sort()).toEqual(['input.accountName', 'input.email']);
    }
  });

  it.each([
    ['a number given for the email', `mutation { createAccount(input: { email: 8675309, accountName: "Ops", idempotencyKey: "k" }) { id } }`, '8675309', 'input.email'],
    ['a list given for the account name', `mutation { createAccount(input: { email: "${EMAIL}", accountName: ["${ACCOUNT_NAME}"], idempotencyKey: "k" }) { id } }`, ACCOUNT_NAME, 'input.accountName'],
    ['an object given for the email', `mutation { createAccount(input: { email: { address: "${EMAIL}" }, accountName: "Ops", idempotencyKey: "k" }) { id } }`, EMAIL, 'input.email'],
  ])('never quotes a sensitive field\'s inline literal back: %s, on HTTP and graphql-ws', async (_what, query, literal, field) => {
    const { http, ws } = await bothTransports(stack, { query });
    expect(http.status).toBe(400);
    expect(ws.length).toBeGreaterThan(0);
    for (const errors of [http.errors, ws]) {
      expect(JSON.stringify(errors)).not.toContain(literal);
      expect(errors[0].extensions.field).toBe(field);
      expect(errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('still quotes the literal of a field that is not sensitive, for the developer at the keyboard', async () => {
    const { http } = await bothTransports(stack, { query: '{ organization { accounts(first: "many") { totalCount } } }' });
    expect(http.errors[0].message).toContain('"many"');
  });

  it('names the limit a document broke, and calls none of them a syntax error', async () => {
    const tooDeep = `{ viewer { creationRequest { account { creationRequest { account { creationRequest { id } } } } } } }`;
    const tooManyTokens = `{ accounts(ids: [${Array.from({ length: 1_100 }, () => '"123456789012"').join(' ')}]) { id } }`;
    const deep = await bothTransports(stack, { query: tooDeep });
    for (const error of [deep.http.errors[0], deep.ws[0]]) {
      expect(error.message).toBe('Query depth limit of 6 exceeded, found 7.');
      expect(error.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' });
    }
    const long = await bothTransports(stack, { query: tooManyTokens });
    for (const error of [long.http.errors[0], long.ws[0]]) {
      expect(error.message).toBe("The document is longer than this server's limit of 1000 tokens.");
      expect(error.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    }
  });
});

describe('which operation runs over which transport', () => {
  const lines: string[] = [];
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ logger: createLogger('info', logSink(lines)) });
  });
  afterAll(() => stack?.close());

  const SUBSCRIPTIONS = [
    'subscription { accountStatusChanged(sources: [FLEETWISE_REGISTRATION]) { accountId } }',
    'subscription { createAccountRequestChanged(id: "car-0123456789abcdef") { id } }',
  ];

  it.each(SUBSCRIPTIONS)('refuses %s over POST (400) and GET (405) with TRANSPORT_NOT_SUPPORTED, before anything runs or logs an error', async (query) => {
    await stack.resetCalls();
    lines.length = 0;
    const overPost = await post(stack.graphqlUrl, { query });
    const overGet = await get(`${stack.graphqlUrl}?query=${encodeURIComponent(query)}`, { 'apollo-require-preflight': 'true' });
    expect(overPost.status).toBe(400);
    // Apollo refuses every non-query over GET with 405 and `Allow: POST` before any plugin sees it.
    expect(overGet.status).toBe(405);
    for (const answer of [overPost, overGet]) {
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toEqual([
        { message: expect.stringContaining('graphql-transport-ws'), extensions: { code: 'TRANSPORT_NOT_SUPPORTED' } },
      ]);
    }
    expect(total(await stack.calls())).toBe(0);
    expect(lines.map((line) => JSON.parse(line)).filter((line) => line.level >= 50)).toEqual([]);
  });

  it('runs queries over POST, GET and graphql-ws; mutations over POST and graphql-ws, not GET (405)', async () => {
    const query = '{ viewer { id } }';
    const mutation = `mutation { updateComputeOptimizerEnrollment(input: { accountId: "000000000000", status: ACTIVE }) { status } }`;
    expect((await post(stack.graphqlUrl, { query })).body.data.viewer.id).toBe('000000000000');
    expect((await get(`${stack.graphqlUrl}?query=${encodeURIComponent(query)}`, { 'apollo-require-preflight': 'true' })).body.data.viewer.id).toBe('000000000000');
    const mutationOverGet = await get(`${stack.graphqlUrl}?query=${encodeURIComponent(mutation)}`, { 'apollo-require-preflight': 'true' });
    expect(mutationOverGet.status).toBe(405);
    expect(mutationOverGet.headers.get('allow')).toBe('POST');
    expect((await post(stack.graphqlUrl, { query: mutation })).body.data.updateComputeOptimizerEnrollment.status).toBeDefined();
    const raw = await connect(stack.graphqlUrl);
    try {
      expect((await runOverSocket(raw, 'q', { query })).payload.data.viewer.id).toBe('000000000000');
      expect((await runOverSocket(raw, 'm', { query: mutation })).payload.data.updateComputeOptimizerEnrollment.status).toBeDefined();
      const subscribed = await runOverSocket(raw, 's', { query: 'subscription { accountStatusChanged(accountIds: ["000000000000"], sources: [COMPUTE_OPTIMIZER_ENROLLMENT]) { accountId } }' });
      expect(subscribed).toMatchObject({ type: 'next', payload: { data: { accountStatusChanged: { accountId: '000000000000' } } } });
    } finally {
      raw.socket.close();
    }
  });
});
