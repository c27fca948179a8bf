// The read API end to end: emulator + server on ephemeral ports, queried over HTTP like any client would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, startStack, total, type Stack } from '../support/stack.js';

export const ACCOUNT_FIELDS = /* GraphQL */ `
  fragment AccountFields on Account {
    id arn name email state stateRaw joinedMethod joinedMethodRaw joinedAt
    fleetwiseRegistration {
      region accountStatus accountStatusRaw customerAccountId creationTime lastModificationTime fetchedAt
      iam { roleArn registrationStatus registrationStatusRaw errorMessage }
      timestream { timestreamDatabaseName timestreamTableName timestreamDatabaseArn timestreamTableArn registrationStatus errorMessage }
    }
    computeOptimizerEnrollment {
      status statusRaw statusReason memberAccountsEnrolled numberOfMemberAccountsOptedIn lastUpdatedTimestamp fetchedAt
    }
    creationRequest {
      id accountName state stateRaw requestedTimestamp completedTimestamp accountId govCloudAccountId
      failureReason failureReasonRaw fetchedAt account { id }
    }
  }
`;

const ALL_ACCOUNTS = /* GraphQL */ `
  query AllAccounts($first: Int!) {
    organization {
      id arn featureSet managementAccountId managementAccountArn
      accounts(first: $first) { totalCount nodes { ...AccountFields } }
    }
  }
  ${ACCOUNT_FIELDS}
`;

describe('the read API on the 12-account demo organization', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ memberAccounts: 12, delayMs: 60_000 });
  });
  afterAll(() => stack?.close());

  it('answers every field of every account, with every demo state present', async () => {
    const result = await stack.gql(ALL_ACCOUNTS, { first: 100 });
    expect((result.errors ?? []).filter((error) => error.extensions?.code !== 'AWS_ACCESS_DENIED')).toEqual([]);
    const org = result.data!.organization;
    expect(org.id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(org.managementAccountId).toBe('000000000000');
    expect(org.accounts.totalCount).toBe(13);
    const nodes: any[] = org.accounts.nodes;

    const fleetwise = new Set(nodes.map((node) => node.fleetwiseRegistration?.accountStatus ?? 'NONE'));
    expect(fleetwise).toEqual(new Set(['REGISTRATION_SUCCESS', 'REGISTRATION_PENDING', 'REGISTRATION_FAILURE', 'NONE']));
    const enrollment = new Set(nodes.map((node) => node.computeOptimizerEnrollment?.status));
    expect(enrollment).toEqual(new Set(['ACTIVE', 'INACTIVE', 'PENDING', 'FAILED']));
    const joined = new Set(nodes.map((node) => node.joinedMethod));
    expect(joined).toEqual(new Set(['CREATED', 'INVITED']));

    for (const node of nodes) {
      expect(node.id).toMatch(/^\d{12}$/);
      if (node.joinedMethod === 'INVITED') expect(node.creationRequest).toBeNull();
      if (node.creationRequest) {
        expect(node.creationRequest.accountId).toBe(node.id);
        expect(node.creationRequest.account).toEqual({ id: node.id });
      }
      if (node.fleetwiseRegistration) {
        expect(node.fleetwiseRegistration.customerAccountId).toBe(node.id);
        expect(new Date(node.fleetwiseRegistration.fetchedAt).getTime()).not.toBeNaN();
      }
      if (node.fleetwiseRegistration?.accountStatus === 'REGISTRATION_FAILURE') {
        expect(node.fleetwiseRegistration.iam.errorMessage).toBeTruthy();
      }
    }
    const management = nodes.find((node) => node.id === '000000000000');
    expect(management.computeOptimizerEnrollment.memberAccountsEnrolled).toBe(true);
    expect(management.computeOptimizerEnrollment.numberOfMemberAccountsOptedIn).toBeGreaterThan(0);
  });

  it('marks the one account without a member role as AWS_ACCESS_DENIED on its FleetWise path and keeps the rest', async () => {
    const result = await stack.gql(ALL_ACCOUNTS, { first: 100 });
    const denied = (result.errors ?? []).filter((error) => error.extensions?.code === 'AWS_ACCESS_DENIED');
    expect(denied.length).toBeGreaterThanOrEqual(1);
    for (const error of denied) {
      expect(error.path).toEqual(['organization', 'accounts', 'nodes', expect.any(Number), 'fleetwiseRegistration']);
      expect(error.extensions?.aws).toMatchObject({ service: 'sts', operation: 'AssumeRole' });
    }
    expect(result.data!.organization.accounts.nodes).toHaveLength(13);
  });

  it('pages through organization.accounts with cursors, in id order, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: any = await stack.gql(
        `query Page($after: String) { organization { accounts(first: 5, after: $after) {
          totalCount edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } }`,
        { after },
      );
      const connection = result.data.organization.accounts;
      expect(connection.totalCount).toBe(13);
      expect(connection.nodes.map((node: any) => node.id)).toEqual(connection.edges.map((edge: any) => edge.node.id));
      seen.push(...connection.nodes.map((node: any) => node.id));
      expect(connection.pageInfo.hasPreviousPage).toBe(page > 0);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(13);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(13);
  });

  it('filters accounts by state', async () => {
    const all = await stack.gql(`{ organization { accounts(first: 100) { nodes { id state } } } }`);
    const active = await stack.gql(`{ organization { accounts(first: 100, states: [ACTIVE]) { totalCount nodes { state } } } }`);
    const expected = all.data!.organization.accounts.nodes.filter((node: any) => node.state === 'ACTIVE').length;
    expect(active.data!.organization.accounts.totalCount).toBe(expected);
    expect(active.data!.organization.accounts.nodes.every((node: any) => node.state === 'ACTIVE')).toBe(true);
  });

  it('answers accounts(ids) in the order asked, with null for an id outside the organization', async () => {
    const listed = await stack.gql(`{ organization { accounts(first: 2) { nodes { id } } } }`);
    const [first, second] = listed.data!.organization.accounts.nodes.map((node: any) => node.id);
    const result = await stack.gql(`query($ids: [AccountId!]!) { accounts(ids: $ids) { id } }`, {
      ids: [second, '999999999999', first],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.accounts).toEqual([{ id: second }, null, { id: first }]);
  });

  it('answers viewer with the management account', async () => {
    const result = await stack.gql(`{ viewer { id joinedMethod computeOptimizerEnrollment { status memberAccountsEnrolled } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.viewer.id).toBe('000000000000');
    expect(result.data!.viewer.computeOptimizerEnrollment.status).toBe('ACTIVE');
  });

  it('answers createAccountRequest by id, including a failed request that made no account', async () => {
    const listed = await stack.gql(`{ organization { accounts(first: 100) { nodes { creationRequest { id } } } } }`);
    const someId = listed.data!.organization.accounts.nodes.find((node: any) => node.creationRequest)!.creationRequest.id;
    const found = await stack.gql(`query($id: CreateAccountRequestId!) { createAccountRequest(id: $id) { id state accountId account { id } } }`, { id: someId });
    expect(found.data!.createAccountRequest).toMatchObject({ id: someId, state: 'SUCCEEDED' });

    const unknown = await stack.gql(`{ createAccountRequest(id: "car-0000000000000000") { id } }`);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.createAccountRequest).toBeNull();
  });

  it('summarizes every status value over the organization', async () => {
    const result = await stack.gql(`{ organization { statusSummary { totalAccounts accountStates { value count }
      sources { source region counts { value count } } } } }`);
    expect(result.errors).toBeUndefined();
    const summary = result.data!.organization.statusSummary;
    expect(summary.totalAccounts).toBe(13);
    for (const source of summary.sources) {
      expect(source.counts.reduce((sum: number, entry: any) => sum + entry.count, 0)).toBe(13);
    }
    const fleetwise = summary.sources.find((source: any) => source.source === 'FLEETWISE_REGISTRATION');
    expect(fleetwise.region).toBe('us-east-1');
    expect(fleetwise.counts.map((entry: any) => entry.value)).toEqual(
      expect.arrayContaining(['REGISTRATION_SUCCESS', 'REGISTRATION_PENDING', 'REGISTRATION_FAILURE', 'NONE', 'ERROR']),
    );
  });

  it('costs no FleetWise or Compute Optimizer call for an account outside the organization', async () => {
    await stack.resetCalls();
    const result = await stack.gql(`{ account(id: "999999999999") { id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.account).toBeNull();
    const calls = await stack.calls();
    expect(countOf(calls, 'iotfleetwise:')).toBe(0);
    expect(countOf(calls, 'compute-optimizer:')).toBe(0);
  });

  describe('bad input', () => {
    it.each([
      ['an account id of 3 digits', `{ account(id: "123") { id } }`],
      ['an account id with letters', `{ account(id: "12345678901a") { id } }`],
      ['an account id as a number', `{ account(id: 123456789012) { id } }`],
      ['a malformed creation request id', `{ createAccountRequest(id: "car-UPPER") { id } }`],
      ['a page larger than 1,000', `{ organization { accounts(first: 1001) { totalCount } } }`],
      ['a cursor this API never returned', `{ organization { accounts(after: "bm9wZQ") { totalCount } } }`],
      ['a malformed region', `{ viewer { fleetwiseRegistration(region: "moon") { region } } }`],
    ])('refuses %s with BAD_USER_INPUT before any AWS call', async (_name, query) => {
      await stack.resetCalls();
      const result = await stack.gql(query);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const calls = await stack.calls();
      expect(countOf(calls, 'iotfleetwise:') + countOf(calls, 'compute-optimizer:') + countOf(calls, 'organizations:')).toBe(0);
    });

    it('refuses a bad id passed as a variable with BAD_USER_INPUT', async () => {
      const result = await stack.gql(`query($id: AccountId!) { account(id: $id) { id } }`, { id: '12' });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('answers a region FleetWise is not offered in with REGION_NOT_SUPPORTED, not null', async () => {
      await stack.resetCalls();
      const result = await stack.gql(`{ viewer { id fleetwiseRegistration(region: "eu-west-1") { region } } }`);
      expect(result.data!.viewer.id).toBe('000000000000');
      expect(result.errors?.[0]?.extensions?.code).toBe('REGION_NOT_SUPPORTED');
      expect(countOf(await stack.calls(), 'iotfleetwise:')).toBe(0);
    });
  });

  it('serves /healthz, /readyz and Prometheus /metrics', async () => {
    const base = new URL(stack.graphqlUrl);
    expect((await fetch(new URL('/healthz', base))).status).toBe(200);
    const ready = await fetch(new URL('/readyz', base));
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(new URL('/metrics', base))).text();
    expect(metrics).toMatch(/statusgraph_aws_requests_total\{service="organizations",operation="ListAccounts",outcome="success"\} \d+/);
    expect(metrics).toContain('statusgraph_aws_request_duration_seconds_bucket');
    expect(metrics).toMatch(/statusgraph_cache_lookups_total\{kind="[a-z-]+",outcome="hit"\}/);
    expect(metrics).toContain('statusgraph_loader_batch_size_bucket');
  });

  it('second identical query within the TTL costs zero AWS calls', async () => {
    await stack.gql(ALL_ACCOUNTS, { first: 100 });
    await stack.resetCalls();
    const again = await stack.gql(ALL_ACCOUNTS, { first: 100 });
    expect(again.data!.organization.accounts.nodes).toHaveLength(13);
    const calls = await stack.calls();
    // The account without a member role fails AssumeRole each time: failures are not cached, by design.
    expect(total(calls) - countOf(calls, 'sts:AssumeRole')).toBe(0);
  });
});
