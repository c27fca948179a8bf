// Status history end to end (real server, embedded store, real graphql-ws clients): a subscriber whose socket is cut
// mid-stream reconnects with the last cursor it saw and receives exactly the changes it missed, in order, then the
// live ones, none twice; the history queries page the same changes newest first, with their cursors and callers.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const WATCH = /* GraphQL */ `
  subscription Watch($ids: [AccountId!], $after: String) {
    accountStatusChanged(accountIds: $ids, sources: [COMPUTE_OPTIMIZER_ENROLLMENT], after: $after) {
      cursor accountId previous current observedBy caller
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }
`;
const HISTORY = /* GraphQL */ `
  query History($id: AccountId!, $first: Int, $after: String) {
    account(id: $id) {
      history(sources: [COMPUTE_OPTIMIZER_ENROLLMENT], first: $first, after: $after) {
        edges { cursor node { cursor previous current previousRaw currentRaw observedBy caller } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

describe('status history', () => {
  let stack: Stack;
  const clients: Client[] = [];
  let accounts: string[];

  const enroll = async (accountId: string, status: 'ACTIVE' | 'INACTIVE') => {
    const answer = await stack.gql(UPDATE, { input: { accountId, status } });
    expect(answer.errors).toBeUndefined();
  };
  const client = () => {
    const made = wsClient(stack.graphqlUrl);
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    // Opting in stays Pending for ten minutes: nothing moves unless a test moves it.
    stack = await startStack({
      memberAccounts: 6,
      delayMs: 600_000,
      env: { STATUSGRAPH_POLL_FAST_MS: '100', STATUSGRAPH_POLL_SLOW_MS: '300', STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '100', STATUSGRAPH_CACHE_TTL_SETTLED_MS: '300' },
    });
    const listed = await stack.gql(`{ organization { accounts(first: 10) { nodes { id state } } } }`);
    accounts = listed.data!.organization.accounts.nodes
      .filter((node: any) => node.state === 'ACTIVE' && node.id !== '000000000000')
      .map((node: any) => node.id)
      .slice(0, 2);
    expect(accounts).toHaveLength(2);
    for (const id of accounts) await enroll(id, 'INACTIVE');
  });
  afterAll(async () => {
    for (const made of clients) await made.dispose();
    await stack?.close();
  });

  it('resumes a cut subscription after its last cursor: the missed changes in order, then live ones, none twice', async () => {
    const [a, b] = accounts as [string, string];
    const first = client();
    const live = record(first, WATCH, { ids: [a, b] });
    // The current state of each, each with a cursor.
    await live.waitFor((event) => event.accountStatusChanged.accountId === a, 'current state of a');
    await live.waitFor((event) => event.accountStatusChanged.accountId === b, 'current state of b');
    for (const event of live.events) expect(event.accountStatusChanged.cursor).toMatch(/^\d+$/);

    await enroll(a, 'ACTIVE');
    await live.waitFor((event) => event.accountStatusChanged.accountId === a && event.accountStatusChanged.current === 'PENDING', 'a PENDING');
    const lastCursor = String(Math.max(...live.events.map((event) => Number(event.accountStatusChanged.cursor))));

    // The socket goes; meanwhile two changes happen.
    first.terminate();
    await enroll(b, 'ACTIVE');
    await enroll(a, 'INACTIVE');

    const resumed = record(client(), WATCH, { ids: [a, b], after: lastCursor });
    await resumed.waitFor((event) => event.accountStatusChanged.accountId === a && event.accountStatusChanged.current === 'INACTIVE', 'a INACTIVE replayed');
    await enroll(b, 'INACTIVE');
    await resumed.waitFor((event) => event.accountStatusChanged.accountId === b && event.accountStatusChanged.current === 'INACTIVE', 'b INACTIVE live');

    const seen = resumed.events.map((event) => {
      const { accountId, previous, current, observedBy, caller } = event.accountStatusChanged;
      return { accountId, previous, current, observedBy, caller };
    });
    expect(seen).toEqual([
      { accountId: b, previous: 'INACTIVE', current: 'PENDING', observedBy: 'MUTATION', caller: 'anonymous' },
      { accountId: a, previous: 'PENDING', current: 'INACTIVE', observedBy: 'MUTATION', caller: 'anonymous' },
      { accountId: b, previous: 'PENDING', current: 'INACTIVE', observedBy: 'MUTATION', caller: 'anonymous' },
    ]);
    const cursors = resumed.events.map((event) => Number(event.accountStatusChanged.cursor));
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    expect(cursors[0]).toBeGreaterThan(Number(lastCursor));
    resumed.unsubscribe();
  });

  it('pages an account\'s history newest first with cursors, raw AWS text and who observed each change', async () => {
    const [a] = accounts as [string];
    const firstPage = await stack.gql(HISTORY, { id: a, first: 2 });
    expect(firstPage.errors).toBeUndefined();
    const { edges, pageInfo } = firstPage.data!.account.history;
    expect(edges.map((edge: any) => [edge.node.previous, edge.node.current, edge.node.currentRaw, edge.node.observedBy])).toEqual([
      ['PENDING', 'INACTIVE', 'Inactive', 'MUTATION'],
      ['INACTIVE', 'PENDING', 'Pending', 'MUTATION'],
    ]);
    expect(edges[0].cursor).toBe(edges[0].node.cursor);
    expect(pageInfo.hasNextPage).toBe(true);
    const older = await stack.gql(HISTORY, { id: a, first: 50, after: pageInfo.endCursor });
    const rest = older.data!.account.history.edges;
    // The oldest change is the first reading: no previous value.
    expect(rest.at(-1).node).toMatchObject({ previous: null, previousRaw: null });
    for (const edge of rest) expect(Number(edge.cursor)).toBeLessThan(Number(pageInfo.endCursor));

    const changes = await stack.gql(`{ organization { statusChanges(first: 3, sources: [COMPUTE_OPTIMIZER_ENROLLMENT]) { nodes { accountId current } } } }`);
    expect(changes.data!.organization.statusChanges.nodes[0]).toEqual({ accountId: accounts[1], current: 'INACTIVE' });
  });

  it('refuses a malformed date-time as BAD_USER_INPUT, like every other scalar, literal or variable', async () => {
    const literal = await stack.gql(`{ organization { statusChanges(since: "yesterday") { nodes { cursor } } } }`);
    expect(literal.data).toBeUndefined();
    expect(literal.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const variable = await stack.gql(`query ($since: DateTime) { organization { statusChanges(since: $since) { nodes { cursor } } } }`, { since: '2026-13-45T99:00:00Z' });
    expect(variable.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('refuses a cursor it never handed out, typed, in queries and subscriptions', async () => {
    const query = await stack.gql(HISTORY, { id: accounts[0], after: 'not-a-cursor' });
    expect(query.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const subscription = record(client(), WATCH, { ids: [accounts[0]], after: 'x' });
    // graphql-ws sends an error of the subscription's start as a result with errors, then completes.
    await subscription.waitForCompletion();
    expect(subscription.fieldErrors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }]);
  });
});
