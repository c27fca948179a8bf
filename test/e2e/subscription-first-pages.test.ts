// A whole-organization subscription on a cold server starts from the directory's first pages: the statuses of the
// accounts of a ListAccounts page are watched — and their current state sent — as that page arrives, while the later
// pages are still being read (the emulator holds them), for no AWS call more than waiting for the last page would
// cost. Pollers never come due by themselves (10 minutes); transitions never end (10 minutes).
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, startStack, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const WHOLE_ORGANIZATION = /* GraphQL */ `
  subscription { accountStatusChanged { cursor accountId source current error { code } } }
`;

/** ListAccounts answers 20 accounts a page: 46 accounts are three pages. */
const PAGE_SIZE = 20;

describe('a whole-organization subscription on a cold server', () => {
  let stack: Stack;
  let client: Client;

  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 45,
      delayMs: 600_000,
      env: { STATUSGRAPH_POLL_FAST_MS: '600000', STATUSGRAPH_POLL_SLOW_MS: '600000' },
    });
    client = wsClient(stack.graphqlUrl);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('sends the first page\'s accounts while the later pages are still being read', async () => {
    // The directory in AWS's order, read around statusgraph (its cache stays cold).
    const directory = (await stack.server.aws.listAccounts()).map((account) => account.id);
    expect(directory.length).toBeGreaterThan(2 * PAGE_SIZE);
    const firstPage = new Set(directory.slice(0, PAGE_SIZE));
    await stack.resetCalls();

    // The subscription's first ListAccounts page is answered; the second waits in the emulator.
    await stack.setFaults({ holdRate: 1, operations: ['organizations:ListAccounts'] });
    const events = record(client, WHOLE_ORGANIZATION);
    await expect.poll(() => stack.held(), { timeout: 20_000 }).toBe(1);
    expect(await stack.releaseHeld()).toBe(1);
    await expect.poll(() => stack.held(), { timeout: 20_000 }).toBe(1);

    // Every status of every account of the first page arrives meanwhile, and nothing of the others.
    const sent = () => new Set(events.events.map((event) => `${event.accountStatusChanged.accountId} ${event.accountStatusChanged.source}`));
    const expected = [...firstPage].flatMap((id) => ['FLEETWISE_REGISTRATION', 'COMPUTE_OPTIMIZER_ENROLLMENT', 'CREATION_REQUEST'].map((source) => `${id} ${source}`));
    await expect.poll(() => expected.filter((each) => !sent().has(each)), { timeout: 20_000 }).toEqual([]);
    expect(events.events.filter((event) => !firstPage.has(event.accountStatusChanged.accountId))).toEqual([]);
    expect(await stack.held()).toBe(1);
    expect(countOf(await stack.calls(), 'organizations:ListAccounts')).toBe(2);

    // The rest of the directory, then every account's statuses.
    await stack.clearFaults();
    await stack.releaseHeld();
    const everyStatus = directory.flatMap((id) => ['FLEETWISE_REGISTRATION', 'COMPUTE_OPTIMIZER_ENROLLMENT', 'CREATION_REQUEST'].map((source) => `${id} ${source}`));
    await expect.poll(() => everyStatus.filter((each) => !sent().has(each)), { timeout: 20_000 }).toEqual([]);
    events.unsubscribe();
    // Cursors never go backwards, though each page catches up from history on its own: a client that resumes after the
    // last cursor it saw must miss nothing (a later page's earlier events went out after an earlier page's later ones).
    const cursors = events.events.flatMap((event) => (event.accountStatusChanged.cursor == null ? [] : [Number(event.accountStatusChanged.cursor)]));
    expect(cursors.length).toBeGreaterThan(0);
    expect(cursors.filter((cursor, index) => index > 0 && cursor < cursors[index - 1]!)).toEqual([]);

    // What opening the stream after the whole directory cost (measured on this organization): each ListAccounts
    // page once, one org-wide enrollment scan, one read of the creation index, one AssumeRole and one FleetWise read
    // per readable member, the management account's own enrollment — and no account looked up on its own.
    expect(await stack.calls()).toEqual({
      'organizations:ListAccounts': Math.ceil(directory.length / PAGE_SIZE),
      'organizations:ListCreateAccountStatus': 2,
      'sts:AssumeRole': 42,
      'iotfleetwise:GetRegisterAccountStatus': 42,
      'compute-optimizer:GetEnrollmentStatusesForOrganization': 1,
      'compute-optimizer:GetEnrollmentStatus': 1,
    });
  });
});
