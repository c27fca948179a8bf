// Every event an accountStatusChanged subscriber gets carries a cursor it can resume after, and resuming after it
// brings exactly what it missed (issue 18), end to end: real server, emulator, embedded store (in memory), real
// graphql-ws clients. On a store with nothing recorded yet the current state's cursor is the start of history; an
// account entering or leaving a filtered stream carries the newest cursor the subscriber has; an account created
// while a subscriber's socket was down is in its replay and is watched afterwards, its state sent once. Accounts are
// moved with the AWS SDK; creations are held IN_PROGRESS by the emulator's control API and released by the test.
import { MoveAccountCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrganizationTree } from '../support/organization-tree.js';
import { startStack, type Stack } from '../support/stack.js';
import { record, wsClient, type Received } from '../support/ws.js';

const REGION = 'us-east-1';
const MANAGEMENT = '000000000000';
const FIELDS = 'cursor accountId source previous current observedBy membership error { code }';

interface Change {
  cursor: string | null;
  accountId: string;
  source: string;
  previous: string | null;
  current: string | null;
  observedBy: string | null;
  membership: 'ENTERED' | 'LEFT' | null;
  error: { code: string } | null;
}
type Event = { accountStatusChanged: Change };

let stack: Stack;
let organizations: OrganizationsClient;
let accounts: Account[];
let units: Map<string, string>;
const clients: Client[] = [];

const client = () => {
  const made = wsClient(stack.graphqlUrl);
  clients.push(made);
  return made;
};
const parentOf = (account: Account) => account.Paths![0]!.split('/').filter(Boolean).at(-2)!;
const activeMembers = () => accounts.filter((account) => account.State === 'ACTIVE' && account.Id !== MANAGEMENT);
const changesOf = (received: Received<Event>) => received.events.map((event) => event.accountStatusChanged);
const statusOf = (change: Change) => `${change.accountId} ${change.source}`;

async function enroll(accountId: string, status: 'ACTIVE' | 'INACTIVE'): Promise<void> {
  const answer = await stack.gql('mutation($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }', {
    input: { accountId, status },
  });
  expect(answer.errors).toBeUndefined();
}

/**
 * No event twice (a cursor of one status), and no status told the same state twice in a row but by the event that
 * recorded it (`recorded`: cursor, status and value of every event in history): the current state of an account joining
 * carries the newest cursor the subscriber had, and the reading recorded after it (its first reading, or its creation
 * request's SUCCEEDED) says where that value was recorded — sent, with that event's cursor.
 */
function expectNoRepeats(changes: readonly Change[], recorded: ReadonlySet<string>): void {
  const seen = new Set<string>();
  const last = new Map<string, Change>();
  for (const change of changes) {
    if (change.error) continue;
    const event = `${change.cursor} ${statusOf(change)}`;
    expect(seen.has(event), `${event} twice`).toBe(false);
    seen.add(event);
    if (last.get(statusOf(change))?.current === change.current) {
      expect(recorded.has(`${event} ${change.current}`), `${statusOf(change)} told ${change.current} twice in a row, the second time at ${change.cursor}`).toBe(true);
    }
    last.set(statusOf(change), change);
  }
}

beforeAll(async () => {
  // Nothing moves unless a test moves it; the filter's directory is read again every 300 ms (the test waits for
  // events, never for time). Nothing is asked of statusgraph here: its history is empty when the first test starts.
  stack = await startStack({
    memberAccounts: 30,
    delayMs: 3_600_000,
    env: {
      STATUSGRAPH_POLL_FAST_MS: '100',
      STATUSGRAPH_POLL_SLOW_MS: '300',
      STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1',
      STATUSGRAPH_CACHE_TTL_SETTLED_MS: '600000',
    },
  });
  organizations = new OrganizationsClient({ endpoint: stack.emulatorEndpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  ({ accounts, units } = await readOrganizationTree(organizations));
}, 120_000);

afterAll(async () => {
  for (const made of clients) await made.dispose();
  organizations?.destroy();
  await stack?.close();
});

describe('cursors on every event of accountStatusChanged', () => {
  it('gives the current state a cursor on a store with nothing recorded yet, and resuming after it misses nothing', async () => {
    const [member] = activeMembers();
    const query = `subscription($ids: [AccountId!], $after: String) { accountStatusChanged(accountIds: $ids, sources: [COMPUTE_OPTIMIZER_ENROLLMENT], after: $after) { ${FIELDS} } }`;
    const first = client();
    const live = record<Event>(first, query, { ids: [member!.Id] });
    const opening = (await live.waitFor(() => true, 'the current state')).accountStatusChanged;
    expect(opening.cursor).toMatch(/^\d+$/);

    first.terminate();
    await enroll(member!.Id!, opening.current === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE');
    const resumed = record<Event>(client(), query, { ids: [member!.Id], after: opening.cursor });
    const missed = await resumed.waitFor((event) => event.accountStatusChanged.observedBy === 'MUTATION', 'the change made while it was away');
    expect(missed.accountStatusChanged).toMatchObject({ accountId: member!.Id, previous: opening.current, current: 'PENDING' });
    for (const change of changesOf(resumed)) expect(Number(change.cursor)).toBeGreaterThan(Number(opening.cursor));
    resumed.unsubscribe();
  });

  it('gives an account entering or leaving a filtered stream the newest cursor the subscriber has', async () => {
    const workloads = units.get('Workloads')!;
    const sandbox = units.get('Sandbox')!;
    const prod = units.get('Workloads/Prod')!;
    const underWorkloads = accounts.filter((account) => account.Paths![0]!.includes(`/${workloads}/`)).map((account) => account.Id!);
    const [arriving] = activeMembers().filter((account) => parentOf(account) === sandbox);
    const events = record<Event>(client(), `subscription($ou: String!) { accountStatusChanged(sources: [COMPUTE_OPTIMIZER_ENROLLMENT], filter: { organizationalUnitId: $ou }) { ${FIELDS} } }`, {
      ou: workloads,
    });
    const seen = new Set<string>();
    await events.waitFor((event) => seen.add(event.accountStatusChanged.accountId).size === underWorkloads.length, 'the current state under Workloads');

    await organizations.send(new MoveAccountCommand({ AccountId: arriving!.Id, SourceParentId: sandbox, DestinationParentId: prod }));
    const entered = await events.waitFor((event) => event.accountStatusChanged.membership === 'ENTERED', 'the account moved in');
    await organizations.send(new MoveAccountCommand({ AccountId: arriving!.Id, SourceParentId: prod, DestinationParentId: sandbox }));
    const left = await events.waitFor((event) => event.accountStatusChanged.membership === 'LEFT', 'the account moved out');

    const newestBefore = (event: Event) => Math.max(...changesOf(events).slice(0, events.events.indexOf(event)).map((change) => Number(change.cursor)));
    expect(entered.accountStatusChanged.cursor).toMatch(/^\d+$/);
    expect(Number(entered.accountStatusChanged.cursor)).toBeGreaterThanOrEqual(newestBefore(entered));
    expect(left.accountStatusChanged.cursor).toMatch(/^\d+$/);
    expect(Number(left.accountStatusChanged.cursor)).toBeGreaterThanOrEqual(newestBefore(left));
    for (const change of changesOf(events)) if (!change.error) expect(change.cursor, `${statusOf(change)} without a cursor`).toMatch(/^\d+$/);
    events.unsubscribe();
  });

  it('replays an account created while the socket was down, then watches it: its state once, its changes live', async () => {
    const query = `subscription($after: String) { accountStatusChanged(sources: [CREATION_REQUEST, COMPUTE_OPTIMIZER_ENROLLMENT], after: $after) { ${FIELDS} } }`;
    const first = client();
    const live = record<Event>(first, query);
    const everyAccount = new Set(accounts.map((account) => account.Id!));
    const opened = new Set<string>();
    await live.waitFor((event) => {
      const change = event.accountStatusChanged;
      if (change.source === 'CREATION_REQUEST') opened.add(change.accountId);
      return opened.size === everyAccount.size;
    }, 'every account');
    const newest = String(Math.max(...changesOf(live).map((change) => Number(change.cursor ?? 0))));
    first.terminate();

    stack.emulator.hold('creation');
    const created = await stack.gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', {
      input: { email: 'joiner@example.com', accountName: 'joiner', idempotencyKey: 'create-joiner' },
    });
    expect(created.errors).toBeUndefined();
    const requestId = created.data!.createAccount.id as string;
    expect(stack.emulator.release(`creation:${requestId}`)).toEqual([`creation:${requestId}`]);
    let joined: string | undefined;
    await expect
      .poll(async () => {
        const request = await stack.gql('query($id: CreateAccountRequestId!) { createAccountRequest(id: $id) { state accountId } }', { id: requestId });
        joined = request.data?.createAccountRequest.accountId ?? undefined;
        return request.data?.createAccountRequest.state;
      }, { timeout: 20_000 })
      .toBe('SUCCEEDED');

    const resumed = record<Event>(client(), query, { after: newest });
    const isJoined = (source: string) => (event: Event) => event.accountStatusChanged.accountId === joined && event.accountStatusChanged.source === source;
    const succeeded = await resumed.waitFor((event) => isJoined('CREATION_REQUEST')(event) && event.accountStatusChanged.current === 'SUCCEEDED', 'its creation');
    expect(Number(succeeded.accountStatusChanged.cursor)).toBeGreaterThan(Number(newest));
    const enrollment = await resumed.waitFor(isJoined('COMPUTE_OPTIMIZER_ENROLLMENT'), 'its enrollment');
    await enroll(joined!, enrollment.accountStatusChanged.current === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE');
    await resumed.waitFor((event) => isJoined('COMPUTE_OPTIMIZER_ENROLLMENT')(event) && event.accountStatusChanged.current === 'PENDING', 'its change, live');

    const changes = changesOf(resumed);
    for (const change of changes) if (!change.error) expect(change.cursor, `${statusOf(change)} without a cursor`).toMatch(/^\d+$/);
    const history = await stack.gql('{ organization { statusChanges(first: 500) { nodes { cursor accountId source current } } } }');
    const recorded = new Set<string>(history.data!.organization.statusChanges.nodes.map((node: Change) => `${node.cursor} ${statusOf(node)} ${node.current}`));
    expectNoRepeats(changes, recorded);
    const cursors = changes.flatMap((change) => (change.cursor === null ? [] : [Number(change.cursor)]));
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    resumed.unsubscribe();
  });
});
