// The call budget of architecture §2, counted by the emulator: org-wide batch calls instead of per-account ones,
// a warm cache that costs nothing, and concurrent identical queries that share every call.
import { OrganizationsClient, paginateListCreateAccountStatus } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, startStack, total, type Stack } from '../support/stack.js';

const FULL_QUERY = /* GraphQL */ `
  query Full($first: Int!) {
    organization {
      id
      accounts(first: $first) {
        totalCount
        nodes {
          id
          fleetwiseRegistration { accountStatus }
          computeOptimizerEnrollment { status }
          creationRequest { state }
        }
      }
    }
  }
`;

/** The full query with the org-wide summary, whose statuses start loading as each ListAccounts page arrives. */
const SUMMARY_QUERY = /* GraphQL */ `
  query Summary($first: Int!) {
    organization {
      accounts(first: $first) { nodes { id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } creationRequest { state } } }
      statusSummary { totalAccounts sources { source counts { value count } } }
    }
  }
`;

/** Creation requests on record, read straight from the emulator with the SDK (not through statusgraph). */
async function creationRequestsOnRecord(endpoint: string): Promise<number> {
  const client = new OrganizationsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  let count = 0;
  for await (const page of paginateListCreateAccountStatus({ client }, {})) count += page.CreateAccountStatuses?.length ?? 0;
  client.destroy();
  return count;
}

/** The architecture's per-operation bounds for A accounts, R creation requests and G regions. */
function budget(accounts: number, requests: number, regions: number) {
  const members = accounts - 1;
  return {
    'organizations:ListAccounts': Math.ceil(accounts / 20),
    'organizations:ListCreateAccountStatus': Math.ceil(requests / 20),
    'compute-optimizer:GetEnrollmentStatusesForOrganization': Math.ceil(members / 1000),
    'compute-optimizer:GetEnrollmentStatus': 1,
    'sts:AssumeRole': members,
    'iotfleetwise:GetRegisterAccountStatus': accounts * regions,
  };
}

describe.each([
  { accounts: 1_000, concurrent: 1 },
  { accounts: 100, concurrent: 100 },
])('a cold full query of a $accounts-account organization, $concurrent at once', ({ accounts, concurrent }) => {
  let stack: Stack;
  let requests: number;
  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: accounts - 1,
      delayMs: 600_000,
      env: {
        // Calls in different member accounts have their own AWS quotas; this test counts calls, not pacing.
        STATUSGRAPH_AWS_RATE_LIMIT: '1000',
        // "Within the TTL" must hold however long the cold query took on a busy machine.
        STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '600000',
        STATUSGRAPH_CACHE_TTL_SETTLED_MS: '600000',
        // This test counts calls: on a machine with both cores busy, 1,000 AssumeRoles answered by an emulator in the
        // same process can outlast the 10-second default per attempt, and a timed-out attempt is retried (one more
        // call). No answer waits for this timeout; it only stops the machine's speed from changing the count.
        STATUSGRAPH_AWS_TIMEOUT_MS: '120000',
        // Likewise the query deadline: a cold 1,000-account query on a busy machine can take longer than 15 s.
        STATUSGRAPH_QUERY_DEADLINE_MS: '600000',
      },
    });
    requests = await creationRequestsOnRecord(stack.emulatorEndpoint);
    await stack.resetCalls();
  }, 120_000);
  afterAll(() => stack?.close());

  it('stays within the budget of architecture §2, operation by operation and in total', async () => {
    const results = await Promise.all(Array.from({ length: concurrent }, () => stack.gql(FULL_QUERY, { first: accounts })));
    for (const result of results) {
      expect(result.data!.organization.accounts.nodes).toHaveLength(accounts);
      // Only the demo's account without a member role may fail.
      expect((result.errors ?? []).every((error) => error.extensions?.code === 'AWS_ACCESS_DENIED')).toBe(true);
    }
    const calls = await stack.calls();
    const bounds = budget(accounts, requests, 1);
    for (const [operation, bound] of Object.entries(bounds)) {
      expect.soft(calls[operation] ?? 0, operation).toBeLessThanOrEqual(bound);
    }
    // Knowing whether we are in an organization at all costs one DescribeOrganization.
    expect(calls['organizations:DescribeOrganization'] ?? 0).toBeLessThanOrEqual(1);
    const allowed = new Set([...Object.keys(bounds), 'organizations:DescribeOrganization']);
    expect(Object.keys(calls).filter((operation) => !allowed.has(operation))).toEqual([]);
    expect(total(calls)).toBeLessThanOrEqual(Object.values(bounds).reduce((a, b) => a + b, 0));
    // Per-account fallbacks were not used: the org-wide scan answered every member.
    expect(calls['compute-optimizer:GetEnrollmentStatus']).toBe(1);
    expect(calls['compute-optimizer:GetEnrollmentStatusesForOrganization']).toBe(1);
    expect(countOf(calls, 'organizations:DescribeCreateAccountStatus')).toBe(0);
  }, 180_000);

  it('answers the same query again within the cache TTL with no call but the denied AssumeRole', async () => {
    await stack.resetCalls();
    await stack.gql(FULL_QUERY, { first: accounts });
    const calls = await stack.calls();
    expect(total(calls) - countOf(calls, 'sts:AssumeRole')).toBe(0);
    expect(countOf(calls, 'sts:AssumeRole')).toBeLessThanOrEqual(1);
  }, 60_000);
});

describe('a cold full query that outlasts every transitional reading', () => {
  let stack: Stack;
  let scanPages: number;
  beforeAll(async () => {
    // Transitional readings (the demo's creation request IN_PROGRESS, pending registrations) expire 1 ms after they are
    // read, so every one of them has expired by the time the directory's later pages arrive — as in a cold
    // 10,000-account query with the default 5 s.
    stack = await startStack({
      memberAccounts: 199,
      delayMs: 600_000,
      env: { STATUSGRAPH_AWS_RATE_LIMIT: '1000', STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1', STATUSGRAPH_QUERY_DEADLINE_MS: '600000' },
    });
    scanPages = Math.ceil((await creationRequestsOnRecord(stack.emulatorEndpoint)) / 20);
    await stack.resetCalls();
  }, 120_000);
  afterAll(() => stack?.close());

  it('reads each status once: the creation request the index scan found in progress is not asked about again', async () => {
    // The directory's second page waits in the emulator until the first page's creation-index scan has been read
    // whole: the rest of the directory (each page's creation batch, then the directory's end) comes after the scan
    // found the request in progress.
    await stack.setFaults({ holdRate: 1, operations: ['organizations:ListAccounts'] });
    const answer = stack.gql(SUMMARY_QUERY, { first: 200 });
    await expect.poll(() => stack.held(), { timeout: 30_000 }).toBe(1);
    expect(await stack.releaseHeld()).toBe(1);
    await expect.poll(() => stack.held(), { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await stack.calls())['organizations:ListCreateAccountStatus'] ?? 0, { timeout: 30_000 }).toBe(scanPages);
    await stack.clearFaults();
    expect(await stack.releaseHeld()).toBe(1);
    const result = await answer;
    expect(result.data!.organization.accounts.nodes).toHaveLength(200);
    const calls = await stack.calls();
    expect(countOf(calls, 'organizations:DescribeCreateAccountStatus')).toBe(0);
    expect(calls['compute-optimizer:GetEnrollmentStatusesForOrganization']).toBe(1);
    expect(calls['iotfleetwise:GetRegisterAccountStatus'] ?? 0).toBeLessThanOrEqual(200);
  }, 180_000);
});

describe('partial failure and throttling', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ memberAccounts: 30, delayMs: 600_000, env: { STATUSGRAPH_CACHE_TTL_SETTLED_MS: '1', STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1' } });
  });
  afterAll(() => stack?.close());

  it('fails only the FleetWise paths when every GetRegisterAccountStatus fails, keeping the other statuses', async () => {
    await stack.setFaults({ errorRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    try {
      const result = await stack.gql(FULL_QUERY, { first: 100 });
      const nodes = result.data!.organization.accounts.nodes;
      expect(nodes).toHaveLength(31);
      expect(nodes.every((node: any) => node.computeOptimizerEnrollment?.status)).toBe(true);
      const errors = result.errors ?? [];
      expect(errors.length).toBe(31);
      for (const error of errors) {
        expect(error.path?.at(-1)).toBe('fleetwiseRegistration');
        expect(['UPSTREAM_UNAVAILABLE', 'AWS_ACCESS_DENIED']).toContain(error.extensions?.code);
      }
      const upstream = errors.find((error) => error.extensions?.code === 'UPSTREAM_UNAVAILABLE')!;
      expect(upstream.extensions?.aws).toEqual({ service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', code: 'InternalServerException' });
    } finally {
      await stack.clearFaults();
    }
  });

});

describe('under throttling', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 30,
      delayMs: 600_000,
      // At a 30% throttle rate, 3 attempts leave 2.7% of calls failed; 8 leave 0.007%.
      env: { STATUSGRAPH_AWS_MAX_ATTEMPTS: '8' },
    });
  });
  afterAll(() => stack?.close());

  it('absorbs 30% throttling on every operation with retries: no error reaches the client', async () => {
    await stack.setFaults({ throttleRate: 0.3 });
    try {
      const result = await stack.gql(FULL_QUERY, { first: 100 });
      const errors = (result.errors ?? []).filter((error) => error.extensions?.code !== 'AWS_ACCESS_DENIED');
      expect(errors).toEqual([]);
      expect(result.data!.organization.accounts.nodes).toHaveLength(31);
    } finally {
      await stack.clearFaults();
    }
    // What is asserted is that no error reaches the client, not how long it takes: a call throttled five or six times in
    // a row backs off (full jitter, up to 20 s a retry) for longer than the default 30 s in an unlucky draw — it did once
    // in the full suite on a busy machine.
  }, 180_000);
});
