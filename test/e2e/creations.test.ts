// What a createAccount changes, end to end (issue 14, "changes that invalidate precisely"): the creation index is not
// read again for it — the request is followed by id — and once it SUCCEEDED its account is in the organization's
// views and whole-organization subscriptions at once, not when the directory's settled entry expires (5 minutes).
// Creations are held in IN_PROGRESS by the emulator's control API and released when the test says so.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateAccountInput!) { createAccount(input: $input) { id state } }
`;

const ORGANIZATION = /* GraphQL */ `
  {
    organization {
      accounts(first: 1000) { totalCount nodes { id creationRequest { id state } } }
      statusSummary { totalAccounts sources { source counts { value count } } }
    }
  }
`;

const CREATIONS = /* GraphQL */ `
  subscription { accountStatusChanged(sources: [CREATION_REQUEST]) { accountId current } }
`;

describe('creations followed by id', () => {
  let stack: Stack;
  let client: Client;

  beforeAll(async () => {
    // Settled entries last the default five minutes: nothing here may wait for one to expire. Transitional ones (a
    // request IN_PROGRESS) last a millisecond, so the next read after a release sees it finished. Pollers of settled
    // statuses never come due again (10 minutes); those of requests in progress poll every 100 ms.
    stack = await startStack({
      memberAccounts: 30,
      delayMs: 600_000,
      env: { STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1', STATUSGRAPH_POLL_FAST_MS: '100', STATUSGRAPH_POLL_SLOW_MS: '600000' },
    });
    client = wsClient(stack.graphqlUrl);
    stack.emulator.hold('creation');
    const cold = await stack.gql(ORGANIZATION);
    expect(cold.errors).toBeUndefined();
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  const create = async (name: string) => {
    const created = await stack.gql(CREATE, { input: { email: `${name}@example.com`, accountName: name, idempotencyKey: `create-${name}` } });
    expect(created.errors).toBeUndefined();
    return created.data!.createAccount.id as string;
  };

  it('reads no ListCreateAccountStatus page for createAccounts: a warm organization query after three costs none', async () => {
    await stack.resetCalls();
    await Promise.all(['alpha', 'beta', 'gamma'].map(create));
    const warm = await stack.gql(ORGANIZATION);
    expect(warm.errors).toBeUndefined();
    const calls = await stack.calls();
    expect(calls['organizations:CreateAccount']).toBe(3);
    expect(calls['organizations:ListCreateAccountStatus'] ?? 0).toBe(0);
    expect(calls['organizations:ListAccounts'] ?? 0).toBe(0);
  });

  it('shows an account in the directory, the summary and whole-organization subscriptions as soon as its creation SUCCEEDED', async () => {
    const before = await stack.gql(ORGANIZATION);
    const total = before.data!.organization.accounts.totalCount as number;
    const events = record(client, CREATIONS);
    await events.waitFor((event) => event.accountStatusChanged !== undefined, 'the current state');
    const requestId = await create('delta');

    await stack.resetCalls();
    expect(stack.emulator.release(`creation:${requestId}`)).toEqual([`creation:${requestId}`]);
    // The first query may share a look at the request that the subscription's poller began before the release (and
    // answer IN_PROGRESS, as AWS did when it was asked): the next one sees it SUCCEEDED — never a ListAccounts read.
    let after = await stack.gql(ORGANIZATION);
    await expect
      .poll(async () => (after = await stack.gql(ORGANIZATION)).data?.organization.accounts.totalCount, { timeout: 20_000 })
      .toBe(total + 1);
    expect(after.errors).toBeUndefined();
    const { accounts, statusSummary } = after.data!.organization;
    expect(accounts.totalCount).toBe(total + 1);
    expect(statusSummary.totalAccounts).toBe(total + 1);
    const created = accounts.nodes.find((node: any) => node.creationRequest?.id === requestId);
    expect(created?.creationRequest.state).toBe('SUCCEEDED');
    const calls = await stack.calls();
    // The followed requests were asked for by id; neither the directory nor the index was read again.
    expect(calls['organizations:ListAccounts'] ?? 0).toBe(0);
    expect(calls['organizations:ListCreateAccountStatus'] ?? 0).toBe(0);
    expect(calls['organizations:DescribeCreateAccountStatus']).toBeGreaterThan(0);

    const joined = await events.waitFor((event) => event.accountStatusChanged?.accountId === created.id, 'the new account');
    expect(joined.accountStatusChanged.current).toBe('SUCCEEDED');
    events.unsubscribe();
  });

  it('adds a created account to a whole-organization subscription with no query: the stream polls the request it follows', async () => {
    const before = await stack.gql(`{ organization { accounts(first: 1000) { nodes { id } } } }`);
    const known = new Set(before.data!.organization.accounts.nodes.map((node: any) => node.id));
    const events = record(client, CREATIONS);
    await events.waitFor((event) => event.accountStatusChanged !== undefined, 'the current state');
    const requestId = await create('epsilon');
    // Nothing reads the organization from here on: the creation pollers of the accounts are not due for 10 minutes.
    expect(stack.emulator.release(`creation:${requestId}`)).toEqual([`creation:${requestId}`]);
    const joined = await events.waitFor((event) => event.accountStatusChanged && !known.has(event.accountStatusChanged.accountId), 'the new account');
    expect(joined.accountStatusChanged.current).toBe('SUCCEEDED');
    events.unsubscribe();
  });

  it('gives a created account that joins a stream the newest cursor the subscriber has, never an older one', async () => {
    const events = record(client, `subscription { accountStatusChanged { accountId source current cursor } }`);
    await expect.poll(() => stack.server.watcher.size, { timeout: 20_000 }).toBeGreaterThan(0);
    await events.waitFor((event) => event.accountStatusChanged?.cursor !== undefined, 'the current state');
    // A live change with a cursor newer than the stream's start: the management account's enrollment switching.
    const enrollment = await stack.gql('{ viewer { computeOptimizerEnrollment { status } } }');
    const status = enrollment.data!.viewer.computeOptimizerEnrollment.status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE';
    const switched = await stack.gql(
      'mutation($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }',
      { input: { accountId: '000000000000', status } },
    );
    expect(switched.errors).toBeUndefined();
    const live = await events.waitFor(
      (event) => event.accountStatusChanged?.accountId === '000000000000' && event.accountStatusChanged.source === 'COMPUTE_OPTIMIZER_ENROLLMENT' && event.accountStatusChanged.current !== enrollment.data!.viewer.computeOptimizerEnrollment.status,
      'the enrollment change',
    );
    // The organization's accounts from the directory, not from the events so far: the opening state of the others
    // may still be on its way (a suspended account's refusal, say), and it is not the new account's.
    const directory = await stack.gql(`{ organization { accounts(first: 1000) { nodes { id } } } }`);
    const known = new Set(directory.data!.organization.accounts.nodes.map((node: any) => node.id));

    const requestId = await create('eta');
    expect(stack.emulator.release(`creation:${requestId}`)).toEqual([`creation:${requestId}`]);
    const joined = await events.waitFor((event) => event.accountStatusChanged && !known.has(event.accountStatusChanged.accountId), 'the new account');
    expect(Number(joined.accountStatusChanged.cursor)).toBeGreaterThanOrEqual(Number(live.accountStatusChanged.cursor));
    events.unsubscribe();
  });

  it('gives a created account that joins a resumed stream its current state with the newest cursor, never none', async () => {
    const newest = await stack.gql('{ organization { statusChanges(first: 1) { nodes { cursor } } } }');
    const after = newest.data!.organization.statusChanges.nodes[0].cursor as string;
    const events = record(client, `subscription($after: String) { accountStatusChanged(after: $after) { accountId source current cursor error { code } } }`, { after });
    // A live change shows the resumed stream caught up: the management account's enrollment switching.
    const enrollment = await stack.gql('{ viewer { computeOptimizerEnrollment { status } } }');
    const before = enrollment.data!.viewer.computeOptimizerEnrollment.status;
    await expect.poll(async () => {
      await stack.gql('mutation($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }', {
        input: { accountId: '000000000000', status: before === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE' },
      });
      return events.events.some((event) => event.accountStatusChanged?.accountId === '000000000000');
    }, { timeout: 20_000 }).toBe(true);
    const live = events.events.find((event) => event.accountStatusChanged?.accountId === '000000000000')!;
    const directory = await stack.gql(`{ organization { accounts(first: 1000) { nodes { id } } } }`);
    const known = new Set(directory.data!.organization.accounts.nodes.map((node: any) => node.id));

    const requestId = await create('theta');
    expect(stack.emulator.release(`creation:${requestId}`)).toEqual([`creation:${requestId}`]);
    const joined = await events.waitFor((event) => event.accountStatusChanged && !known.has(event.accountStatusChanged.accountId) && event.accountStatusChanged.source === 'CREATION_REQUEST', 'the new account');
    expect(joined.accountStatusChanged.current).toBe('SUCCEEDED');
    expect(Number(joined.accountStatusChanged.cursor)).toBeGreaterThanOrEqual(Number(live.accountStatusChanged.cursor));
    events.unsubscribe();
  });

  it('answers a retried createAccount with its request as it stands now, not as the first attempt found it', async () => {
    const input = { email: 'zeta@example.com', accountName: 'zeta', idempotencyKey: 'create-zeta' };
    const first = await stack.gql(CREATE, { input });
    expect(first.data!.createAccount.state).toBe('IN_PROGRESS');
    const requestId = first.data!.createAccount.id as string;
    await stack.resetCalls();
    const whileHeld = await stack.gql(CREATE, { input });
    expect(whileHeld.data!.createAccount).toEqual({ id: requestId, state: 'IN_PROGRESS' });

    expect(stack.emulator.release(`creation:${requestId}`)).toEqual([`creation:${requestId}`]);
    // As with queries, the first retry may share a look at the request that its poller began before the release (and
    // answer IN_PROGRESS, as AWS did when asked): a later one sees it SUCCEEDED. Every answer is the same request.
    const retries: unknown[] = [];
    await expect
      .poll(async () => {
        const retried = await stack.gql(CREATE, { input });
        retries.push(retried.errors ?? retried.data!.createAccount.id);
        return retried.data?.createAccount.state;
      }, { timeout: 20_000 })
      .toBe('SUCCEEDED');
    expect(new Set(retries)).toEqual(new Set([requestId]));
    expect((await stack.calls())['organizations:CreateAccount'] ?? 0).toBe(0);
  });
});
