// The example client (examples/client.ts) against the whole stack: typed documents over HTTP and graphql-ws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatusGraphClient, OperationError, runDemo } from '../../examples/client.js';
import { AccountStatusDocument, StatusSummaryDocument, WatchAccountStatusDocument } from '../../examples/generated/graphql.js';
import { startStack, type Stack } from '../support/stack.js';

describe('the example client', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ delayMs: 300, env: { STATUSGRAPH_POLL_FAST_MS: '100' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('reads the status summary with a generated document', async () => {
    const client = createStatusGraphClient(stack.graphqlUrl);
    const { organization } = (await client.request(StatusSummaryDocument)).data;
    // 12 members and the management account, plus the demo's creation in progress once it completes (after 300 ms).
    expect([13, 14]).toContain(organization?.statusSummary.totalAccounts);
    expect(organization?.statusSummary.sources.map((source) => source.source).sort()).toEqual([
      'COMPUTE_OPTIMIZER_ENROLLMENT',
      'CREATION_REQUEST',
      'FLEETWISE_REGISTRATION',
    ]);
    await client.close();
  });

  it('reports a malformed account id as an OperationError with BAD_USER_INPUT', async () => {
    const client = createStatusGraphClient(stack.graphqlUrl);
    const failure = await client.request(AccountStatusDocument, { id: '12345' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OperationError);
    expect((failure as OperationError<unknown>).errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await client.close();
  });

  it('hears the current state first on a subscription', async () => {
    const client = createStatusGraphClient(stack.graphqlUrl);
    const events = client.subscribe(WatchAccountStatusDocument, { accountIds: ['000000000000'], sources: ['COMPUTE_OPTIMIZER_ENROLLMENT'] });
    const first = await events.next();
    await events.return?.();
    expect(first.value?.accountStatusChanged).toMatchObject({ source: 'COMPUTE_OPTIMIZER_ENROLLMENT', account: { id: '000000000000' } });
    await client.close();
  });

  it('runs the demo: registers an account and follows it from no registration to REGISTRATION_SUCCESS', async () => {
    const lines: string[] = [];
    const seen = await runDemo(stack.graphqlUrl, (line) => lines.push(line));
    expect(lines[0]).toMatch(/^organization o-\w+: 1[34] accounts, \d+ statuses unreadable$/);
    expect(seen[0]).toBeNull();
    expect(seen).toContain('REGISTRATION_SUCCESS');
    expect(seen.at(-1)).toBe('REGISTRATION_SUCCESS');
    expect(lines).toContain('  registerFleetwiseAccount answered REGISTRATION_PENDING');
  });
});
