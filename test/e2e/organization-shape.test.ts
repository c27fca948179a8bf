// Issue 17's questions, one query each, against the emulator's demo tree, with the calls counted: accounts under an
// OU (descendants included) by enrollment, accounts by tag and FleetWise registration, the summary per OU; OU
// membership at 0 extra calls (Paths), the tree in one walk, tags only when asked, a warm filtered query at 0 calls,
// bad ids refused before any AWS call.
import {
  GetEnrollmentStatusesForOrganizationCommand,
  ComputeOptimizerClient,
} from '@aws-sdk/client-compute-optimizer';
import { OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readOrganizationTree } from '../support/organization-tree.js';
import { countOf, startStack, total, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const MEMBERS = 60;
const sdkConfig = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

let stack: Stack;
let accounts: Account[];
let rootId: string;
/** OU ids by name path ("Workloads/Prod"). */
let units: Map<string, string>;

beforeAll(async () => {
  stack = await startStack({
    memberAccounts: MEMBERS,
    delayMs: 600_000,
    env: { STATUSGRAPH_CACHE_TTL_SETTLED_MS: '600000', STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '600000' },
  });
  const organizations = new OrganizationsClient(sdkConfig(stack.emulatorEndpoint));
  ({ accounts, rootId, units } = await readOrganizationTree(organizations));
  organizations.destroy();
}, 120_000);

afterAll(() => stack?.close());

beforeEach(() => stack.resetCalls());

const under = (unitId: string) => accounts.filter((account) => account.Paths![0]!.includes(`/${unitId}/`));
const ids = (nodes: readonly { id: string }[]) => nodes.map((node) => node.id).sort();

describe('OU membership and the tree', () => {
  it('answers every account\'s OU and path (root first) from Paths and one tree walk: no ListParents, no ListChildren', async () => {
    const result = await stack.gql(`{ organization { root { id children { name } } accounts(first: 1000) { nodes { id organizationalUnit { id name }
      path { __typename id name } } } } }`);
    expect(result.errors).toBeUndefined();
    const organization = result.data!.organization;
    expect(organization.root.id).toBe(rootId);
    expect(organization.root.children.map((unit: { name: string }) => unit.name)).toEqual(['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Suspended']);
    const prodId = units.get('Workloads/Prod')!;
    const prod = organization.accounts.nodes.filter((node: any) => node.organizationalUnit?.id === prodId);
    expect(prod.length).toBeGreaterThan(0);
    for (const node of prod) {
      expect(node.path.map((parent: { name: string }) => parent.name)).toEqual(['Root', 'Workloads', 'Prod']);
      expect(node.path.map((parent: { __typename: string }) => parent.__typename)).toEqual(['OrganizationRoot', 'OrganizationalUnit', 'OrganizationalUnit']);
      expect(node.path.map((parent: { id: string }) => parent.id)).toEqual([rootId, units.get('Workloads'), prodId]);
    }
    // An account under the root: its path is the root alone.
    const underRoot = organization.accounts.nodes.filter((node: any) => node.organizationalUnit === null);
    const directlyUnderRoot = accounts.filter((account) => account.Paths![0]!.endsWith(`/${rootId}/${account.Id}/`));
    expect(underRoot.map((node: { id: string }) => node.id).sort()).toEqual(directlyUnderRoot.map((account) => account.Id).sort());
    for (const node of underRoot) expect(node.path).toEqual([{ __typename: 'OrganizationRoot', id: rootId, name: 'Root' }]);
    const calls = await stack.calls();
    expect(calls['organizations:ListRoots']).toBe(1);
    // One ListOrganizationalUnitsForParent per parent (the root and each of the 7 OUs), each a single page.
    expect(calls['organizations:ListOrganizationalUnitsForParent']).toBe(1 + units.size);
    expect(countOf(calls, 'organizations:ListParents') + countOf(calls, 'organizations:ListChildren')).toBe(0);
    expect(countOf(calls, 'organizations:ListTagsForResource')).toBe(0);
  });
});

describe('one query each, as issue 17 asks', () => {
  it('lists accounts under Workloads (descendants included) whose enrollment is INACTIVE or FAILED, at the calls of the enrollment scan; warm at 0', async () => {
    const workloads = units.get('Workloads')!;
    const query = `query($ou: String!) { organization { accounts(first: 1000, filter: { organizationalUnitId: $ou, computeOptimizerEnrollment: [INACTIVE, FAILED] }) {
      totalCount nodes { id computeOptimizerEnrollment { status } } } } }`;
    const result = await stack.gql(query, { ou: workloads });
    expect(result.errors).toBeUndefined();
    const client = new ComputeOptimizerClient(sdkConfig(stack.emulatorEndpoint));
    const { accountEnrollmentStatuses } = await client.send(new GetEnrollmentStatusesForOrganizationCommand({}));
    client.destroy();
    const wanted = new Set(['Inactive', 'Failed']);
    const expected = under(workloads).filter((account) =>
      wanted.has(accountEnrollmentStatuses!.find((status) => status.accountId === account.Id)?.status ?? ''),
    );
    const connection = result.data!.organization.accounts;
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(connection.nodes)).toEqual(expected.map((account) => account.Id).sort());
    expect(connection.totalCount).toBe(expected.length);
    const calls = await stack.calls();
    // The calls of reading enrollments — the org-wide scan — and nothing per account (no AssumeRole, no FleetWise).
    expect(calls['compute-optimizer:GetEnrollmentStatusesForOrganization']).toBe(2); // ours, and the test's own reference read
    expect(countOf(calls, 'sts:AssumeRole') + countOf(calls, 'iotfleetwise:') + countOf(calls, 'organizations:ListTagsForResource')).toBe(0);
    await stack.resetCalls();
    // Warm: the same filtered query costs nothing.
    const warm = await stack.gql(query, { ou: workloads });
    expect(warm.data).toEqual(result.data);
    expect(total(await stack.calls())).toBe(0);
  });

  it('lists accounts tagged team=<a team> whose FleetWise registration failed: tags read once per account, FleetWise only for the tagged ones', async () => {
    const tagged = `query($team: String!) { organization { accounts(first: 1000, filter: { tags: [{ key: "team", values: [$team] }] }) {
      nodes { id tags { key value } } } } }`;
    const taggedResult = await stack.gql(tagged, { team: 'payments' });
    const taggedNodes = taggedResult.data!.organization.accounts.nodes;
    expect(taggedNodes.length).toBeGreaterThan(0);
    for (const node of taggedNodes) expect(node.tags).toContainEqual({ key: 'team', value: 'payments' });
    expect((await stack.calls())['organizations:ListTagsForResource']).toBe(accounts.length);
    await stack.resetCalls();

    const query = `query($team: String!) { organization { accounts(first: 1000, filter: {
      tags: [{ key: "team", values: [$team] }], fleetwiseRegistration: [REGISTRATION_FAILURE, UNREADABLE] }) { totalCount nodes { id } } } }`;
    const result = await stack.gql(query, { team: 'payments' });
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.organization.accounts.nodes;
    expect(nodes.every((node: { id: string }) => taggedNodes.some((each: { id: string }) => each.id === node.id))).toBe(true);
    const calls = await stack.calls();
    // Tags come from the cache now; FleetWise is asked for the tagged accounts only.
    expect(countOf(calls, 'organizations:ListTagsForResource')).toBe(0);
    expect(countOf(calls, 'iotfleetwise:GetRegisterAccountStatus')).toBeLessThanOrEqual(taggedNodes.length);
    await stack.resetCalls();
    await stack.gql(query, { team: 'payments' });
    expect(total(await stack.calls())).toBe(0);
  });

  it('summarizes the organization per top-level OU and per OU of the whole tree, with no call beyond the summary\'s own', async () => {
    const result = await stack.gql(`{ organization { statusSummary { totalAccounts
      byOrganizationalUnit { organizationalUnit { name } depth summary { totalAccounts } }
      tree: byOrganizationalUnit(wholeTree: true) { organizationalUnit { namePath } summary { totalAccounts accountStates { value count } } } } } }`);
    expect(result.errors?.filter((error) => error.extensions?.code !== 'AWS_ACCESS_DENIED') ?? []).toEqual([]);
    const summary = result.data!.organization.statusSummary;
    expect(summary.totalAccounts).toBe(accounts.length);
    const topLevel = summary.byOrganizationalUnit;
    expect(topLevel.map((entry: any) => entry.organizationalUnit.name)).toEqual(['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Suspended']);
    for (const entry of topLevel) {
      expect(entry.depth).toBe(1);
      expect(entry.summary.totalAccounts).toBe(under(units.get(entry.organizationalUnit.name)!).length);
    }
    const prod = summary.tree.find((entry: any) => entry.organizationalUnit.namePath === 'Workloads/Prod');
    expect(prod.summary.totalAccounts).toBe(under(units.get('Workloads/Prod')!).length);
    const calls = await stack.calls();
    expect(countOf(calls, 'organizations:ListParents') + countOf(calls, 'organizations:ListChildren')).toBe(0);
  });

  it('pages a filtered set with cursors that stay valid across pages, totalCount counting the filtered set', async () => {
    const prod = units.get('Workloads/Prod')!;
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount: number | undefined;
    do {
      const result: any = await stack.gql(
        `query($ou: String!, $after: String) { organization { accounts(first: 3, after: $after, filter: { organizationalUnitId: $ou }) {
          totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`,
        { ou: prod, after },
      );
      const connection = result.data.organization.accounts;
      totalCount = connection.totalCount;
      seen.push(...connection.nodes.map((node: { id: string }) => node.id));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after !== null);
    expect(seen).toEqual(under(prod).map((account) => account.Id).sort());
    expect(totalCount).toBe(seen.length);
  });

  it('answers an OU by id with its accounts (directOnly or not), parent, children and summary', async () => {
    const workloads = units.get('Workloads')!;
    const result = await stack.gql(
      `query($id: String!) { organization { organizationalUnit(id: $id) { name namePath path { id } parent { id } children { name }
        all: accounts(first: 1000) { totalCount } direct: accounts(first: 1000, filter: { directOnly: true }) { totalCount }
        statusSummary { totalAccounts byOrganizationalUnit { organizationalUnit { name } } } } } }`,
      { id: workloads },
    );
    expect(result.errors?.filter((error) => error.extensions?.code !== 'AWS_ACCESS_DENIED') ?? []).toEqual([]);
    const unit = result.data!.organization.organizationalUnit;
    expect(unit).toMatchObject({ name: 'Workloads', namePath: 'Workloads', parent: null, children: [{ name: 'Prod' }, { name: 'Staging' }] });
    expect(unit.path).toEqual([{ id: rootId }, { id: workloads }]);
    expect(unit.all.totalCount).toBe(under(workloads).length);
    expect(unit.direct.totalCount).toBe(accounts.filter((account) => account.Paths![0]!.endsWith(`/${workloads}/${account.Id}/`)).length);
    expect(unit.statusSummary.totalAccounts).toBe(under(workloads).length);
    expect(unit.statusSummary.byOrganizationalUnit.map((entry: any) => entry.organizationalUnit.name)).toEqual(['Prod', 'Staging']);
  });
});

describe('accountStatusChanged with a filter', () => {
  it('sends the current state of the accounts under an OU only', async () => {
    const prod = units.get('Workloads/Prod')!;
    const expected = under(prod).map((account) => account.Id!).sort();
    const client = wsClient(stack.graphqlUrl);
    try {
      const events = record(client, `subscription($ou: String!) { accountStatusChanged(sources: [COMPUTE_OPTIMIZER_ENROLLMENT], filter: { organizationalUnitId: $ou }) {
        accountId source current } }`, { ou: prod });
      const seen = new Set<string>();
      await events.waitFor((event) => {
        seen.add(event.accountStatusChanged.accountId);
        return seen.size === expected.length;
      }, 'one event per account under Prod');
      expect([...seen].sort()).toEqual(expected);
      events.unsubscribe();
    } finally {
      await client.dispose();
    }
  });
});

describe('bad ids and tag keys', () => {
  it('refuses malformed OU ids and tag keys with BAD_USER_INPUT before any AWS call, and an unknown OU with NOT_FOUND', async () => {
    const cases: Array<[string, string]> = [
      ['{ organization { organizationalUnit(id: "ou-bad") { id } } }', 'BAD_USER_INPUT'],
      ['{ organization { accounts(filter: { organizationalUnitId: "x-1234" }) { totalCount } } }', 'BAD_USER_INPUT'],
      [`{ organization { accounts(filter: { tags: [{ key: "${'k'.repeat(129)}" }] }) { totalCount } } }`, 'BAD_USER_INPUT'],
      ['{ organization { statusSummary(filter: { tags: [{ key: "bad#key" }] }) { totalAccounts } } }', 'BAD_USER_INPUT'],
    ];
    // The organization itself (DescribeOrganization) is read before its fields; nothing else may be.
    await stack.gql('{ organization { id } }');
    await stack.resetCalls();
    for (const [query, code] of cases) {
      const result = await stack.gql(query);
      expect(result.errors?.[0]?.extensions?.code, query).toBe(code);
    }
    expect(total(await stack.calls())).toBe(0);
    const unknown = await stack.gql('{ organization { accounts(filter: { organizationalUnitId: "ou-zzzz-zzzzzzzz" }) { totalCount } } }');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // The unknown OU fails alone: the organization's other fields still answer.
    const unknownUnit = await stack.gql('{ organization { id organizationalUnit(id: "ou-zzzz-zzzzzzzz") { id } } }');
    expect(unknownUnit.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(unknownUnit.data?.organization).toEqual({ id: expect.stringMatching(/^o-/), organizationalUnit: null });
  });
});
