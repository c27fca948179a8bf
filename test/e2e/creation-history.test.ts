// A createAccount's own events in history, end to end (real server, emulator, embedded store, real graphql-ws client):
// the request's events — the mutation's IN_PROGRESS with its caller and idempotency key, then SUCCEEDED — are the
// created account's history and the organization's status changes, in cursor order, once the account is known; a
// later poll of the same SUCCEEDED state is no second "first reading"; and createAccountRequestChanged replays each
// event with the time it was observed. The creation is held IN_PROGRESS by the emulator's control API and released
// when the test says so.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateAccountInput!) { createAccount(input: $input) { id state } }
`;
const REQUEST = /* GraphQL */ `
  query Request($id: CreateAccountRequestId!) { createAccountRequest(id: $id) { state accountId } }
`;
const NODE = 'cursor accountId source previous current observedBy firstReading caller idempotencyKey changedAt';
const ACCOUNT_HISTORY = /* GraphQL */ `
  query History($id: AccountId!) { account(id: $id) { history(sources: [CREATION_REQUEST], first: 50) { nodes { ${NODE} } } } }
`;
const STATUS_CHANGES = /* GraphQL */ `
  { organization { statusChanges(first: 500) { nodes { ${NODE} } } } }
`;
const WATCH_CREATION = /* GraphQL */ `
  subscription Watch($ids: [AccountId!]) { accountStatusChanged(accountIds: $ids, sources: [CREATION_REQUEST]) { cursor current } }
`;
const REPLAY_REQUEST = /* GraphQL */ `
  subscription Replay($id: CreateAccountRequestId!, $after: String) {
    createAccountRequestChanged(id: $id, after: $after) { cursor state fetchedAt observedBy caller idempotencyKey }
  }
`;

describe('a createAccount in history', () => {
  let stack: Stack;
  let client: Client;
  let requestId: string;
  let accountId: string;

  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 4,
      delayMs: 600_000,
      env: { STATUSGRAPH_POLL_FAST_MS: '100', STATUSGRAPH_POLL_SLOW_MS: '300', STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1', STATUSGRAPH_CACHE_TTL_SETTLED_MS: '300' },
    });
    client = wsClient(stack.graphqlUrl);
    stack.emulator.hold('creation');
    const created = await stack.gql(CREATE, { input: { email: 'ledger@example.com', accountName: 'ledger', idempotencyKey: 'ledger-key-1' } });
    expect(created.errors).toBeUndefined();
    requestId = created.data!.createAccount.id;
    expect(created.data!.createAccount.state).toBe('IN_PROGRESS');

    expect(stack.emulator.release(`creation:${requestId}`)).toEqual([`creation:${requestId}`]);
    // Read by id: the request now names its account (recorded, with the account, by this query).
    const request = await stack.gql(REQUEST, { id: requestId });
    expect(request.data!.createAccountRequest.state).toBe('SUCCEEDED');
    accountId = request.data!.createAccountRequest.accountId;
    expect(accountId).toMatch(/^\d{12}$/);

    // A poller of the account's creation status reads the same SUCCEEDED state; its reading is recorded before the
    // stream's current state goes out.
    const watch = record(client, WATCH_CREATION, { ids: [accountId] });
    await watch.waitFor((event) => event.accountStatusChanged.current === 'SUCCEEDED', 'the creation status polled');
    watch.unsubscribe();
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  const mutationEvent = (accountIdOf: string) => ({
    accountId: accountIdOf,
    source: 'CREATION_REQUEST',
    previous: null,
    current: 'IN_PROGRESS',
    observedBy: 'MUTATION',
    firstReading: true,
    caller: 'anonymous',
    idempotencyKey: 'ledger-key-1',
  });

  it('makes the mutation\'s events the created account\'s history, with caller and key, and no second first reading', async () => {
    const answer = await stack.gql(ACCOUNT_HISTORY, { id: accountId });
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.account.history.nodes as any[];
    // Newest first: SUCCEEDED, then the mutation's IN_PROGRESS.
    expect(nodes).toHaveLength(2);
    expect(nodes[0]).toMatchObject({ accountId, previous: 'IN_PROGRESS', current: 'SUCCEEDED', firstReading: false });
    expect(nodes[1]).toMatchObject(mutationEvent(accountId));
    expect(Number(nodes[0].cursor)).toBeGreaterThan(Number(nodes[1].cursor));
    expect(nodes.filter((node) => node.firstReading)).toHaveLength(1);
  });

  it('lists the same events in organization.statusChanges, in cursor order with every other event', async () => {
    const answer = await stack.gql(STATUS_CHANGES);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.organization.statusChanges.nodes as any[];
    const cursors = nodes.map((node) => Number(node.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => b - a));
    const creation = nodes.filter((node) => node.source === 'CREATION_REQUEST' && node.accountId === accountId);
    expect(creation.map((node) => [node.previous, node.current, node.observedBy])).toEqual([
      ['IN_PROGRESS', 'SUCCEEDED', creation[0]?.observedBy],
      [null, 'IN_PROGRESS', 'MUTATION'],
    ]);
    expect(creation[1]).toMatchObject(mutationEvent(accountId));
    const history = await stack.gql(ACCOUNT_HISTORY, { id: accountId });
    expect(creation.map((node) => node.cursor)).toEqual(history.data!.account.history.nodes.map((node: any) => node.cursor));
  });

  it('replays the request\'s events with the time each was observed, and the createAccount\'s caller and key', async () => {
    const history = await stack.gql(ACCOUNT_HISTORY, { id: accountId });
    const [succeeded, inProgress] = history.data!.account.history.nodes as any[];
    const replay = record(client, REPLAY_REQUEST, { id: requestId, after: String(Number(inProgress.cursor) - 1) });
    await replay.waitForCompletion();
    const replayed = replay.events.map((event) => event.createAccountRequestChanged);
    expect(replayed).toEqual([
      {
        cursor: inProgress.cursor,
        state: 'IN_PROGRESS',
        fetchedAt: inProgress.changedAt,
        observedBy: 'MUTATION',
        caller: 'anonymous',
        idempotencyKey: 'ledger-key-1',
      },
      { cursor: succeeded.cursor, state: 'SUCCEEDED', fetchedAt: succeeded.changedAt, observedBy: succeeded.observedBy, caller: null, idempotencyKey: null },
    ]);
  });
});
