// The status summary does not wait for the whole directory: each account's lookups start as soon as its ListAccounts
// page arrives, while the next pages are still being read — and doing so costs no call more than waiting would.
// The emulator answers ListAccounts slowly here, so the order is visible in its call counts while the query runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countOf, startStack, total, type Stack } from '../support/stack.js';

const ACCOUNTS = 100;
/** ListAccounts pages hold 20 accounts. */
const PAGES = ACCOUNTS / 20;
/** Slow enough that a page is still outstanding while the accounts of the earlier ones are looked up. */
const LIST_ACCOUNTS_LATENCY_MS = 250;
const POLL_INTERVAL_MS = 10;
/** An organization whose transitional enrollments are spread over many ListAccounts pages. */
const LARGER_ORGANIZATION = 400;

const SUMMARY_QUERY = /* GraphQL */ `{ organization { statusSummary { totalAccounts sources { source counts { value count } } } } }`;
/** The page asks for the directory first; the summary then joins the read already under way. */
const PAGE_THEN_SUMMARY_QUERY = /* GraphQL */ `
  { organization {
      accounts(first: 1000) { nodes { id fleetwiseRegistration { accountStatus } } }
      statusSummary { totalAccounts }
  } }
`;

/** Runs a query and samples the emulator's call counts until it answers. */
async function sampleCallsDuring(stack: Stack, query: string) {
  const samples: Record<string, number>[] = [];
  let answered = false;
  const answer = stack.gql(query).finally(() => (answered = true));
  while (!answered) {
    samples.push(await stack.calls());
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return { result: await answer, samples };
}

describe('a cold status summary over a directory read page by page', () => {
  let stack: Stack;
  // A fresh server (and so a cold cache) for every test.
  beforeEach(async () => {
    stack = await startStack({
      memberAccounts: ACCOUNTS - 1,
      delayMs: 600_000,
      env: { STATUSGRAPH_AWS_RATE_LIMIT: '1000' },
    });
  }, 60_000);
  afterEach(() => stack?.close());

  async function coldRun(query: string) {
    await stack.resetCalls();
    await stack.setFaults({ latencyMs: LIST_ACCOUNTS_LATENCY_MS, operations: ['organizations:ListAccounts'] });
    try {
      return await sampleCallsDuring(stack, query);
    } finally {
      await stack.clearFaults();
    }
  }

  it('looks up the accounts of the first pages before the last page is read, within the call budget', async () => {
    const { result, samples } = await coldRun(SUMMARY_QUERY);
    expect(result.errors ?? []).toEqual([]);
    expect(result.data!.organization.statusSummary.totalAccounts).toBe(ACCOUNTS);

    const beforeLastPage = samples.filter((calls) => countOf(calls, 'organizations:ListAccounts') < PAGES);
    const registrationsSeenEarly = Math.max(0, ...beforeLastPage.map((calls) => countOf(calls, 'iotfleetwise:GetRegisterAccountStatus')));
    expect(registrationsSeenEarly).toBeGreaterThan(0);

    const calls = await stack.calls();
    expect(countOf(calls, 'organizations:ListAccounts')).toBe(PAGES);
    // One AssumeRole per member not suspended or closing (AWS lets no role into those) and one GetRegisterAccountStatus
    // per account at most (the demo denies some members' roles).
    const active = await stack.gql(`{ organization { accounts(first: 1000, filter: { states: [ACTIVE, PENDING_ACTIVATION] }) { totalCount } } }`);
    expect(countOf(calls, 'sts:AssumeRole')).toBe(active.data!.organization.accounts.totalCount - 1);
    expect(countOf(calls, 'iotfleetwise:GetRegisterAccountStatus')).toBeLessThanOrEqual(ACCOUNTS);
    // One org-wide enrollment scan, not a scan per page.
    expect(calls['compute-optimizer:GetEnrollmentStatusesForOrganization']).toBe(1);
    expect(calls['compute-optimizer:GetEnrollmentStatus']).toBe(1);
  }, 60_000);

  it('streams to a summary that joins a directory read another field started, and answers it warm for free', async () => {
    const { result, samples } = await coldRun(PAGE_THEN_SUMMARY_QUERY);
    expect(result.data!.organization.statusSummary.totalAccounts).toBe(ACCOUNTS);
    expect(result.data!.organization.accounts.nodes).toHaveLength(ACCOUNTS);

    const beforeLastPage = samples.filter((calls) => countOf(calls, 'organizations:ListAccounts') < PAGES);
    expect(Math.max(0, ...beforeLastPage.map((calls) => countOf(calls, 'iotfleetwise:GetRegisterAccountStatus')))).toBeGreaterThan(0);
    expect(countOf(await stack.calls(), 'iotfleetwise:GetRegisterAccountStatus')).toBeLessThanOrEqual(ACCOUNTS);

    await stack.resetCalls();
    await stack.gql(PAGE_THEN_SUMMARY_QUERY);
    const warm = await stack.calls();
    // Only the member whose role is denied is asked again (denials are remembered briefly, not for the settled TTL).
    expect(total(warm) - countOf(warm, 'sts:AssumeRole')).toBe(0);
  }, 60_000);

  it('scans the organization\'s enrollments once, even when its transitional answers expire while the pages arrive', async () => {
    await stack.close();
    // Large enough that the demo's transitional enrollments fall on many pages.
    stack = await startStack({
      memberAccounts: LARGER_ORGANIZATION - 1,
      delayMs: 600_000,
      // Far shorter than the directory read below: a Pending enrollment from a scan made at the first page expires
      // long before the last page arrives.
      env: { STATUSGRAPH_AWS_RATE_LIMIT: '1000', STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '50' },
    });
    const { result } = await coldRun(SUMMARY_QUERY);
    const enrollment = result.data!.organization.statusSummary.sources.find((source: { source: string }) => source.source === 'COMPUTE_OPTIMIZER_ENROLLMENT');
    // The demo organization holds transitional enrollments: the case this test is about.
    expect(enrollment.counts.map((count: { value: string }) => count.value)).toContain('PENDING');
    const calls = await stack.calls();
    // One scan, and no member asked on its own: the management account's own call is the only GetEnrollmentStatus.
    expect(calls['compute-optimizer:GetEnrollmentStatusesForOrganization']).toBe(1);
    expect(calls['compute-optimizer:GetEnrollmentStatus']).toBe(1);
    expect(countOf(calls, 'iotfleetwise:GetRegisterAccountStatus')).toBeLessThanOrEqual(LARGER_ORGANIZATION);
  }, 60_000);
});
