// Subscribers after an AWS outage: the statuses a poll found failing are read again as soon as one poll finds the
// service answering, not each when its interval comes round. Every interval here is ten minutes, so nothing is
// polled unless something pokes it, and the emulator's faults (switched by the test) make the outage and its end.
import { ComputeOptimizerClient, GetEnrollmentStatusCommand, UpdateEnrollmentStatusCommand } from '@aws-sdk/client-compute-optimizer';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchTarget } from '../../src/status/index.js';
import { countOf, startStack, total, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const WATCH = /* GraphQL */ `
  subscription Watch($ids: [AccountId!]) {
    accountStatusChanged(accountIds: $ids, sources: [FLEETWISE_REGISTRATION]) { accountId current error { code } }
  }
`;
/** Longer than any test runs: a status is read again only when poked (a mutation, or an outage's end). */
const TEN_MINUTES_MS = '600000';

describe('a FleetWise outage and its end', () => {
  let stack: Stack;
  let client: Client;
  let accounts: string[];

  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 12,
      delayMs: 600_000,
      env: {
        STATUSGRAPH_POLL_FAST_MS: TEN_MINUTES_MS,
        STATUSGRAPH_POLL_SLOW_MS: TEN_MINUTES_MS,
        // Every poll reads AWS, so the calls counted are the reads.
        STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1',
        STATUSGRAPH_CACHE_TTL_SETTLED_MS: '1',
      },
    });
    client = wsClient(stack.graphqlUrl);
    const result = await stack.gql(`{ organization { accounts(first: 100) { nodes { id state fleetwiseRegistration { accountStatus } } } } }`);
    const unreadable = new Set((result.errors ?? []).map((error) => String(error.path?.[3])));
    accounts = (result.data!.organization.accounts.nodes as { id: string; state: string }[])
      .filter((node, index) => node.state === 'ACTIVE' && node.id !== '000000000000' && !unreadable.has(String(index)))
      .map((node) => node.id)
      .slice(0, 3);
    expect(accounts).toHaveLength(3);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('reads every status that failed again once one poll finds FleetWise answering: one call each, to every subscriber', async () => {
    const targets = accounts.map((accountId): WatchTarget => ({ kind: 'fleetwise', accountId, region: 'us-east-1' }));
    const events = record(client, WATCH, { ids: accounts });
    const lastOf = (accountId: string) => events.events.filter((event) => event.accountStatusChanged.accountId === accountId).at(-1)?.accountStatusChanged;
    const allSay = (what: (change: any) => boolean) => () => accounts.every((accountId) => what(lastOf(accountId)));
    await waitUntil(events, allSay((change) => change !== undefined), 'every current state');
    const before = new Map(accounts.map((accountId) => [accountId, lastOf(accountId).current as string | null]));

    // The outage: each status's poll (poked, as a mutation pokes it) fails, and every subscriber hears it.
    await stack.setFaults({ errorRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    stack.server.watcher.poke(targets);
    await waitUntil(events, allSay((change) => change?.error?.code === 'UPSTREAM_UNAVAILABLE'), 'the outage on every status');

    // FleetWise answers again. One status is polled (poked); it finds FleetWise answering, and the two others follow.
    await stack.clearFaults();
    await stack.resetCalls();
    stack.server.watcher.poke([targets[0]!]);
    await waitUntil(events, allSay((change) => !change.error && change.current === before.get(change.accountId)), 'every status recovered');
    // One GetRegisterAccountStatus per status that failed, and nothing else (the member credentials were kept).
    const calls = await stack.calls();
    expect(calls['iotfleetwise:GetRegisterAccountStatus']).toBe(3);
    expect(total(calls)).toBe(3);
    events.unsubscribe();
  });

  it('gives a recovery after an outage no older cursor than one the subscriber already has: cursors never go backwards', async () => {
    // A recovery is a status back to its last recorded value, whose event is older than the changes sent since; a
    // client resuming after "the cursor of the last event received" would be sent those changes again.
    const [recovering, changing] = accounts as [string, string];
    const target: WatchTarget = { kind: 'fleetwise', accountId: recovering, region: 'us-east-1' };
    const WATCH_ALL = `subscription($ids: [AccountId!], $after: String) { accountStatusChanged(accountIds: $ids, after: $after) { accountId source current cursor error { code } } }`;
    const events = record(client, WATCH_ALL, { ids: [recovering, changing] });
    const isFleetwiseOf = (event: any) => event.accountStatusChanged.accountId === recovering && event.accountStatusChanged.source === 'FLEETWISE_REGISTRATION';
    await events.waitFor(isFleetwiseOf, 'the current state');
    // A change recorded after the recovering status's last event, and sent: the other account's enrollment switching
    // (its transition never ends on its own here).
    const enrollment = await stack.gql(`query($id: AccountId!) { account(id: $id) { computeOptimizerEnrollment { status } } }`, { id: changing });
    const status = enrollment.data!.account.computeOptimizerEnrollment.status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE';
    const switched = await stack.gql(
      'mutation($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }',
      { input: { accountId: changing, status } },
    );
    expect(switched.errors).toBeUndefined();
    const live = await events.waitFor(
      (event) => event.accountStatusChanged.accountId === changing && event.accountStatusChanged.source === 'COMPUTE_OPTIMIZER_ENROLLMENT' && event.accountStatusChanged.cursor !== null && events.events.indexOf(event) > 0,
      'the enrollment change',
    );

    // A client that lost its connection resumes after the newest cursor it has: the recovery is not older either.
    const resumed = record(client, WATCH_ALL, { ids: [recovering, changing], after: live.accountStatusChanged.cursor });

    await stack.setFaults({ errorRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    stack.server.watcher.poke([target]);
    await events.waitFor((event) => isFleetwiseOf(event) && event.accountStatusChanged.error?.code === 'UPSTREAM_UNAVAILABLE', 'the outage');
    await resumed.waitFor((event) => isFleetwiseOf(event) && event.accountStatusChanged.error, 'the outage, resumed');
    await stack.clearFaults();
    stack.server.watcher.poke([target]);
    const failedAt = events.events.findIndex((event) => isFleetwiseOf(event) && event.accountStatusChanged.error);
    const recovery = await events.waitFor((event) => isFleetwiseOf(event) && !event.accountStatusChanged.error && events.events.indexOf(event) > failedAt, 'the recovery');

    expect(Number(recovery.accountStatusChanged.cursor)).toBeGreaterThanOrEqual(Number(live.accountStatusChanged.cursor));
    const cursors = events.events.map((event) => event.accountStatusChanged.cursor).filter((cursor) => cursor !== null).map(Number);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    const resumedRecovery = await resumed.waitFor((event) => isFleetwiseOf(event) && !event.accountStatusChanged.error, 'the recovery, resumed');
    expect(Number(resumedRecovery.accountStatusChanged.cursor)).toBeGreaterThanOrEqual(Number(live.accountStatusChanged.cursor));
    events.unsubscribe();
    resumed.unsubscribe();
  });

  it('tells a subscriber that resumes of a status that began failing while it was away: failures are not history', async () => {
    const failing = accounts[2]!;
    const target: WatchTarget = { kind: 'fleetwise', accountId: failing, region: 'us-east-1' };
    const WATCH_ONE = `subscription($ids: [AccountId!], $after: String) { accountStatusChanged(accountIds: $ids, sources: [FLEETWISE_REGISTRATION], after: $after) { accountId current cursor error { code } } }`;
    const away = record(client, WATCH_ONE, { ids: [failing] });
    const opening = await away.waitFor((event) => event.accountStatusChanged.cursor !== null, 'the current state');
    away.unsubscribe();
    // While it is away the status starts failing (another subscriber hears it).
    const staying = record(client, WATCH_ONE, { ids: [failing] });
    await staying.waitFor((event) => event.accountStatusChanged.current !== undefined, 'the current state, staying');
    await stack.setFaults({ errorRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    stack.server.watcher.poke([target]);
    await staying.waitFor((event) => event.accountStatusChanged.error?.code === 'UPSTREAM_UNAVAILABLE', 'the outage, staying');

    const resumed = record(client, WATCH_ONE, { ids: [failing], after: opening.accountStatusChanged.cursor });
    await resumed.waitFor((event) => event.accountStatusChanged.error?.code === 'UPSTREAM_UNAVAILABLE', 'the outage, resumed');
    await stack.clearFaults();
    resumed.unsubscribe();
    staying.unsubscribe();
  });
});

/** Resolves once the events received satisfy `done` (checked at each event). */
async function waitUntil(events: ReturnType<typeof record>, done: () => boolean, what: string): Promise<void> {
  await events.waitFor(() => done(), what);
}

describe('a status that changed in AWS during an outage', () => {
  let stack: Stack;
  let client: Client;

  beforeAll(async () => {
    // The caches keep what they read for their usual TTLs (5 min settled); nothing is polled unless poked.
    stack = await startStack({ memberAccounts: 3, delayMs: 600_000, env: { STATUSGRAPH_POLL_FAST_MS: TEN_MINUTES_MS, STATUSGRAPH_POLL_SLOW_MS: TEN_MINUTES_MS } });
    client = wsClient(stack.graphqlUrl);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('reads AWS again once the outage ends, not the value cached before it: the recovery says what AWS says', async () => {
    const target: WatchTarget = { kind: 'enrollment', accountId: '000000000000' };
    const events = record(client, `subscription { accountStatusChanged(accountIds: ["000000000000"], sources: [COMPUTE_OPTIMIZER_ENROLLMENT]) { current error { code } } }`);
    const opening = await events.waitFor((event) => event.accountStatusChanged.current !== undefined, 'the current state');
    const before = opening.accountStatusChanged.current as string;
    // The enrollment switches in AWS without statusgraph (another tool); a transition stays in flight (10 min).
    const aws = new ComputeOptimizerClient({ endpoint: stack.emulatorEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await aws.send(new UpdateEnrollmentStatusCommand({ status: before === 'ACTIVE' ? 'Inactive' : 'Active' }));

    await stack.setFaults({ errorRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus', 'compute-optimizer:GetEnrollmentStatusesForOrganization'] });
    stack.server.watcher.poke([target]);
    await events.waitFor((event) => event.accountStatusChanged.error?.code === 'UPSTREAM_UNAVAILABLE', 'the outage');
    await stack.clearFaults();
    await stack.resetCalls();
    stack.server.watcher.poke([target]);
    const failedAt = events.events.findIndex((event) => event.accountStatusChanged.error);
    const recovery = await events.waitFor((event) => !event.accountStatusChanged.error && events.events.indexOf(event) > failedAt, 'the recovery');

    expect(countOf(await stack.calls(), 'compute-optimizer:')).toBe(1);
    const now = (await aws.send(new GetEnrollmentStatusCommand({}))).status!.toUpperCase();
    aws.destroy();
    expect(now).not.toBe(before);
    expect(recovery.accountStatusChanged.current).toBe(now);
    events.unsubscribe();
  });
});
