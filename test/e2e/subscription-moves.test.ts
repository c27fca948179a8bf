// An accountStatusChanged subscription filtered by OU follows MoveAccount (issue 17): an account moved under the OU
// (into a descendant here) arrives with its current status marked ENTERED, one moved out gets a last event marked
// LEFT and nothing after it; a move between two OUs under the filter's says nothing. Real graphql-ws client, real
// server and emulator, accounts moved and statuses changed with the AWS SDK; the AWS calls it costs are counted: the
// directory's ListAccounts pages once per round, never a ListParents, ListChildren or ListAccountsForParent.
import { ComputeOptimizerClient, GetEnrollmentStatusesForOrganizationCommand, UpdateEnrollmentStatusCommand } from '@aws-sdk/client-compute-optimizer';
import { MoveAccountCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrganizationTree } from '../support/organization-tree.js';
import { countOf, startStack, type Stack } from '../support/stack.js';
import { record, wsClient, type Received } from '../support/ws.js';

const MEMBERS = 30;
/** ListAccounts answers 20 accounts a page: the 31 accounts are two pages, a directory read. */
const PAGES_PER_DIRECTORY = 2;
const REGION = 'us-east-1';

const SUBSCRIPTION = `subscription($ou: String!) { accountStatusChanged(sources: [COMPUTE_OPTIMIZER_ENROLLMENT], filter: { organizationalUnitId: $ou }) {
  accountId current membership account { organizationalUnit { id } } } }`;

interface Event {
  accountStatusChanged: { accountId: string; current: string | null; membership: 'ENTERED' | 'LEFT' | null; account: { organizationalUnit: { id: string } | null } };
}

let stack: Stack;
let organizations: OrganizationsClient;
let accounts: Account[];
/** OU ids by name path ("Workloads/Prod"). */
let units: Map<string, string>;
let client: Client;

const parentOf = (account: Account) => account.Paths![0]!.split('/').filter(Boolean).at(-2)!;
const active = (parentId: string) => accounts.filter((account) => account.State === 'ACTIVE' && parentOf(account) === parentId);
const memberClient = (accountId: string) =>
  new ComputeOptimizerClient({ endpoint: stack.emulatorEndpoint, region: REGION, credentials: { accessKeyId: accountId, secretAccessKey: 'test' } });

async function enrollmentOf(accountId: string): Promise<string> {
  const compute = new ComputeOptimizerClient({ endpoint: stack.emulatorEndpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { accountEnrollmentStatuses } = await compute.send(new GetEnrollmentStatusesForOrganizationCommand({}));
  compute.destroy();
  return accountEnrollmentStatuses!.find((status) => status.accountId === accountId)!.status!.toUpperCase();
}

/** Changes the account's enrollment (signed as the account itself, as its own admin would). */
async function toggleEnrollment(accountId: string): Promise<void> {
  const compute = memberClient(accountId);
  await compute.send(new UpdateEnrollmentStatusCommand({ status: (await enrollmentOf(accountId)) === 'ACTIVE' ? 'Inactive' : 'Active' }));
  compute.destroy();
}

async function move(account: Account, to: string): Promise<void> {
  await organizations.send(new MoveAccountCommand({ AccountId: account.Id, SourceParentId: parentOf(account), DestinationParentId: to }));
}

beforeAll(async () => {
  stack = await startStack({
    memberAccounts: MEMBERS,
    delayMs: 3_600_000,
    env: {
      // Caches hold everything (10 minutes): the directory is read again only because the stream follows moves.
      STATUSGRAPH_CACHE_TTL_SETTLED_MS: '600000',
      STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '600000',
      // A round every 300 ms, so the test is quick; the test waits for events, never for time.
      STATUSGRAPH_POLL_FAST_MS: '300',
      STATUSGRAPH_POLL_SLOW_MS: '300',
    },
  });
  organizations = new OrganizationsClient({ endpoint: stack.emulatorEndpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  ({ accounts, units } = await readOrganizationTree(organizations));
  expect(Math.ceil(accounts.length / 20)).toBe(PAGES_PER_DIRECTORY);
  client = wsClient(stack.graphqlUrl);
}, 120_000);

afterAll(async () => {
  await client?.dispose();
  organizations?.destroy();
  await stack?.close();
});

describe('accountStatusChanged filtered by OU, while accounts move', () => {
  it('sends ENTERED with the current status for an account moved in, LEFT for one moved out and nothing after (until it comes back), nothing for a move inside', async () => {
    const workloads = units.get('Workloads')!;
    const prod = units.get('Workloads/Prod')!;
    const staging = units.get('Workloads/Staging')!;
    const sandbox = units.get('Sandbox')!;
    const [arriving] = active(sandbox);
    const [leaving, stayingBehind] = active(staging);
    const [movingInside] = active(prod);
    expect([arriving, leaving, stayingBehind, movingInside].every(Boolean)).toBe(true);
    const underWorkloads = accounts.filter((account) => account.Paths![0]!.includes(`/${workloads}/`)).map((account) => account.Id!);

    const events: Received<Event> = record<Event>(client, SUBSCRIPTION, { ou: workloads });
    const seen = new Set<string>();
    await events.waitFor((event) => seen.add(event.accountStatusChanged.accountId).size === underWorkloads.length, 'the current state under Workloads');
    expect([...seen].sort()).toEqual([...underWorkloads].sort());
    expect(events.events.every((event) => event.accountStatusChanged.membership === null)).toBe(true);
    await stack.resetCalls();

    // A move between two OUs under Workloads, then a move in from Sandbox: a round that sees the second sees the first.
    await move(movingInside!, staging);
    await move(arriving!, prod);
    const entered = await events.waitFor((event) => event.accountStatusChanged.accountId === arriving!.Id, 'the account moved in');
    expect(entered.accountStatusChanged).toEqual({
      accountId: arriving!.Id,
      current: await enrollmentOf(arriving!.Id!),
      membership: 'ENTERED',
      account: { organizationalUnit: { id: prod } },
    });
    expect(events.events.filter((event) => event.accountStatusChanged.membership !== null)).toEqual([entered]);

    // Out to Sandbox: one last event, LEFT, saying where it went and what it was.
    const lastBefore = events.events.filter((event) => event.accountStatusChanged.accountId === leaving!.Id).at(-1)!;
    await move(leaving!, sandbox);
    const left = await events.waitFor((event) => event.accountStatusChanged.membership === 'LEFT', 'the account moved out');
    expect(left.accountStatusChanged).toEqual({
      accountId: leaving!.Id,
      current: lastBefore.accountStatusChanged.current,
      membership: 'LEFT',
      account: { organizationalUnit: { id: sandbox } },
    });

    // The calls it cost: directory reads (whole ListAccounts scans), no per-account or per-OU walk.
    const calls = await stack.calls();
    // At least the two rounds that saw the moves (a round may be under way as the calls are read).
    expect(calls['organizations:ListAccounts']).toBeGreaterThanOrEqual(2 * PAGES_PER_DIRECTORY);
    for (const walk of ['ListParents', 'ListChildren', 'ListAccountsForParent', 'DescribeOrganizationalUnit', 'DescribeAccount']) {
      expect(countOf(calls, `organizations:${walk}`), walk).toBe(0);
    }
    // The tree's OUs are all known: it is not walked again.
    expect(countOf(calls, 'organizations:ListOrganizationalUnitsForParent') + countOf(calls, 'organizations:ListRoots')).toBe(0);

    // Nothing more of the account that left: its enrollment changes (another subscriber, watching it by id, sees the
    // change), then one of an account still under Workloads does, and only that reaches the filtered stream.
    const byId = record<Event>(client, `subscription($id: AccountId!) { accountStatusChanged(accountIds: [$id], sources: [COMPUTE_OPTIMIZER_ENROLLMENT]) {
      accountId current membership account { organizationalUnit { id } } } }`, { id: leaving!.Id });
    await byId.waitFor(() => true, 'the current state of the account that left');
    const beforeChange = lastBefore.accountStatusChanged.current;
    await toggleEnrollment(leaving!.Id!);
    await byId.waitFor((event) => event.accountStatusChanged.current !== beforeChange, 'the change of the account that left');
    const countBefore = events.events.length;
    await toggleEnrollment(stayingBehind!.Id!);
    await events.waitFor((event, index = events.events.indexOf(event)) => index >= countBefore && event.accountStatusChanged.accountId === stayingBehind!.Id, 'the change under Workloads');
    const afterLeft = events.events.slice(events.events.indexOf(left) + 1);
    expect(afterLeft.filter((event) => event.accountStatusChanged.accountId === leaving!.Id)).toEqual([]);
    byId.unsubscribe();

    // Moved back, it enters again, with the status it has now (changed while it was away).
    await organizations.send(new MoveAccountCommand({ AccountId: leaving!.Id, SourceParentId: sandbox, DestinationParentId: staging }));
    const back = await events.waitFor(
      (event) => event.accountStatusChanged.accountId === leaving!.Id && event.accountStatusChanged.membership === 'ENTERED',
      'the account moved back',
    );
    expect(back.accountStatusChanged).toEqual({
      accountId: leaving!.Id,
      current: await enrollmentOf(leaving!.Id!),
      membership: 'ENTERED',
      account: { organizationalUnit: { id: staging } },
    });
    events.unsubscribe();
  });
});
