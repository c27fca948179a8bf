// A warm query answers its status fields straight from the status cache: the same answer as through the DataLoaders,
// with no loader batch and no AWS call. (On a cold query the loaders batch as before.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, total, type Stack } from '../support/stack.js';

const ACCOUNT_FIELDS = /* GraphQL */ `
  fragment AccountFields on Account {
    id state
    fleetwiseRegistration { accountStatus customerAccountId lastModificationTime fetchedAt iam { registrationStatus } }
    computeOptimizerEnrollment { status statusReason fetchedAt }
    creationRequest { id state failureReason fetchedAt account { id } }
  }
`;

const PAGE_WITH_SUMMARY = /* GraphQL */ `
  query Page {
    organization {
      accounts(first: 100) { nodes { ...AccountFields } }
      statusSummary { totalAccounts sources { source region counts { value count } } }
    }
  }
  ${ACCOUNT_FIELDS}
`;

function withoutFetchedAt(data: unknown): unknown {
  return JSON.parse(JSON.stringify(data, (key, value: unknown) => (key === 'fetchedAt' ? undefined : value)));
}

function fetchedAts(data: unknown): string[] {
  const stamps: string[] = [];
  JSON.stringify(data, (key, value: unknown) => {
    if (key === 'fetchedAt' && typeof value === 'string') stamps.push(value);
    return value;
  });
  return stamps;
}

/** Loader batches so far, per loader, from the server's own /metrics. */
async function loaderBatches(stack: Stack): Promise<Record<string, number>> {
  const text = await (await fetch(new URL('/metrics', stack.graphqlUrl))).text();
  const batches: Record<string, number> = {};
  for (const match of text.matchAll(/^statusgraph_loader_batch_size_count\{loader="([A-Za-z]+)"\} (\d+)$/gm)) {
    batches[match[1]!] = Number(match[2]);
  }
  return batches;
}

describe('a warm page of accounts with its status summary', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 30,
      delayMs: 600_000,
      // Every status stays fresh between the two queries, transitional ones included.
      env: { STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '600000', STATUSGRAPH_CACHE_TTL_SETTLED_MS: '600000' },
    });
  }, 60_000);
  afterAll(() => stack?.close());

  it('gives the cold answer again from the cache, with no loader batch and no AWS call', async () => {
    const cold = await stack.gql(PAGE_WITH_SUMMARY);
    const afterCold = await loaderBatches(stack);
    expect(afterCold['fleetwise']).toBeGreaterThan(0);

    await stack.resetCalls();
    const warmStartedAt = new Date().toISOString();
    const warm = await stack.gql(PAGE_WITH_SUMMARY);
    // The same statuses; every one read before the warm query began (a member's enrollment is stamped when the org-wide
    // scan stored it, a millisecond before the scan itself, so fetchedAt is compared by that rule, not for equality).
    expect(withoutFetchedAt(warm.data)).toEqual(withoutFetchedAt(cold.data));
    const stamps = fetchedAts(warm.data);
    expect(stamps.length).toBeGreaterThan(0);
    for (const stamp of stamps) expect(stamp < warmStartedAt).toBe(true);
    // The one member whose role is refused is a remembered failure, not a cached status: it alone takes the loader path.
    expect(warm.errors?.map((error) => error.path)).toEqual(cold.errors?.map((error) => error.path));
    const afterWarm = await loaderBatches(stack);
    for (const loader of ['enrollment', 'creationRequestForAccount']) expect(afterWarm[loader] ?? 0, loader).toBe(afterCold[loader] ?? 0);
    expect((afterWarm['fleetwise'] ?? 0) - (afterCold['fleetwise'] ?? 0)).toBeLessThanOrEqual(2);
    const calls = await stack.calls();
    expect(total(calls) - (calls['sts:AssumeRole'] ?? 0)).toBe(0);
  }, 60_000);
});
