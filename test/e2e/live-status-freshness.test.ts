// What a poll round does to readers, end to end: a whole-organization subscription's pollers refresh what they watch
// from AWS while queries keep answering from the cache. Pollers never come due by themselves here (10 minutes): the
// test starts each round with a poke, and holds the round's AWS calls in the emulator (a hang fault) for as long as
// it needs, so a query either answers while the round waits on AWS or waits with it — never a race with the clock.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchTarget } from '../../src/status/index.js';
import { countOf, startStack, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const ORGANIZATION = /* GraphQL */ `
  {
    organization {
      accounts(first: 100) {
        nodes { id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } creationRequest { state } }
      }
    }
  }
`;

const WHOLE_ORGANIZATION = /* GraphQL */ `
  subscription { accountStatusChanged { accountId source region current error { code } } }
`;

/** The AWS reads of a poll round of each kind (the directory is not polled). */
const ROUND_READS = [
  'iotfleetwise:GetRegisterAccountStatus',
  'compute-optimizer:GetEnrollmentStatusesForOrganization',
  'compute-optimizer:GetEnrollmentStatus',
  'organizations:ListCreateAccountStatus',
];

/** The status a subscription event is about, as the watcher names it. */
function targetOf(event: { accountId: string; source: string; region: string | null }): WatchTarget {
  if (event.source === 'FLEETWISE_REGISTRATION') return { kind: 'fleetwise', accountId: event.accountId, region: event.region! };
  if (event.source === 'COMPUTE_OPTIMIZER_ENROLLMENT') return { kind: 'enrollment', accountId: event.accountId };
  return { kind: 'creation', accountId: event.accountId };
}

describe('a poll round and the readers meanwhile', () => {
  let stack: Stack;
  let client: Client;

  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 12,
      delayMs: 600_000,
      env: { STATUSGRAPH_POLL_FAST_MS: '600000', STATUSGRAPH_POLL_SLOW_MS: '600000' },
    });
    client = wsClient(stack.graphqlUrl);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('answers a warm query from the cache while the whole-organization round re-reads AWS', async () => {
    await stack.gql(ORGANIZATION);
    const warm = await stack.gql(ORGANIZATION);
    const events = record(client, WHOLE_ORGANIZATION);
    // The current state of every account's three statuses (the stream also polls creation requests in progress,
    // which send nothing of their own).
    const accounts: string[] = warm.data!.organization.accounts.nodes.map((node: { id: string }) => node.id);
    const covered = () => {
      const sources = new Map<string, Set<string>>();
      for (const { accountStatusChanged: change } of events.events) sources.set(change.accountId, (sources.get(change.accountId) ?? new Set()).add(change.source));
      return accounts.filter((id) => sources.get(id)?.size === 3).length;
    };
    await expect.poll(covered, { timeout: 20_000 }).toBe(accounts.length);

    // Every read of the round the test starts now waits in the emulator until the test ends.
    await stack.setFaults({ hangRate: 1, operations: ROUND_READS });
    await stack.resetCalls();
    stack.server.watcher.poke(events.events.map((event) => targetOf(event.accountStatusChanged)));
    await expect.poll(async () => countOf(await stack.calls(), 'iotfleetwise:GetRegisterAccountStatus'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => countOf(await stack.calls(), 'organizations:ListCreateAccountStatus'), { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => countOf(await stack.calls(), 'compute-optimizer:GetEnrollmentStatusesForOrganization'), { timeout: 20_000 }).toBe(1);

    // The query gets what the cache held, at once: the round's reads do not take its entries away.
    const during = await stack.gql(ORGANIZATION);
    expect(during.data).toEqual(warm.data);
    expect(during.errors).toEqual(warm.errors);
    const calls = await stack.calls();
    expect(countOf(calls, 'organizations:ListCreateAccountStatus')).toBe(1);
    expect(countOf(calls, 'compute-optimizer:GetEnrollmentStatusesForOrganization')).toBe(1);
    await stack.clearFaults();
    events.unsubscribe();
  });
});

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterFleetwiseAccountInput!) { registerFleetwiseAccount(input: $input) { accountStatus } }
`;

const WHOLE_ORGANIZATION_WITH_CURSORS = /* GraphQL */ `
  subscription { accountStatusChanged(sources: [FLEETWISE_REGISTRATION]) { cursor accountId previous current } }
`;

describe('a whole-organization subscription opened on a cold server', () => {
  let stack: Stack;
  let client: Client;

  beforeAll(async () => {
    // A transitional status is never served from the cache here: what the stream reads first is what AWS says then.
    stack = await startStack({
      memberAccounts: 12,
      delayMs: 600_000,
      env: { STATUSGRAPH_POLL_FAST_MS: '600000', STATUSGRAPH_POLL_SLOW_MS: '600000', STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1' },
    });
    client = wsClient(stack.graphqlUrl);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('delivers, in order, the changes mutations recorded while it was still reading the directory', async () => {
    // An active member with a role to read and no FleetWise registration, found without warming the server's cache.
    const members = (await stack.server.aws.listAccounts()).filter((account) => account.state === 'ACTIVE' && account.id !== '000000000000');
    const registrable: string[] = [];
    for (const member of members) {
      const found = await stack.server.aws.getFleetwiseRegistration(member.id, 'us-east-1').then((record) => record === null, () => false);
      if (found) registrable.push(member.id);
    }
    const accountId = registrable[0]!;
    expect(accountId).toBeDefined();

    // The subscription's directory read waits in the emulator while the mutation runs.
    await stack.setFaults({ holdRate: 1, operations: ['organizations:ListAccounts'] });
    const events = record(client, WHOLE_ORGANIZATION_WITH_CURSORS);
    await expect.poll(() => stack.held(), { timeout: 20_000 }).toBe(1);
    stack.emulator.hold(`fleetwise:${accountId}`);
    const registered = await stack.gql(REGISTER, { input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWiseRole` } });
    expect(registered.data).toEqual({ registerFleetwiseAccount: { accountStatus: 'REGISTRATION_PENDING' } });
    // The registration completes before the stream has read anything.
    stack.emulator.release(`fleetwise:${accountId}`);
    await stack.clearFaults();
    expect(await stack.releaseHeld()).toBe(1);

    await events.waitFor((event) => event.accountStatusChanged.accountId === accountId && event.accountStatusChanged.current === 'REGISTRATION_SUCCESS', 'SUCCESS');
    const seen = events.events.map((event) => event.accountStatusChanged).filter((change) => change.accountId === accountId);
    expect(seen.map((change) => change.current)).toEqual(['REGISTRATION_PENDING', 'REGISTRATION_SUCCESS']);
    expect(seen[1].previous).toBe('REGISTRATION_PENDING');
    expect(Number(seen[1].cursor)).toBeGreaterThan(Number(seen[0].cursor));
    events.unsubscribe();
  });
});
