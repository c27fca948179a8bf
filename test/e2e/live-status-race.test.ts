// A poll round's read that began before a mutation and answered after it, end to end: the read's older answer never
// replaces the mutation's value — not in the cache, not on a subscriber's stream, not in history — and the next poll
// still moves the status on. The emulator answers the round's read as it arrives and holds only the answer
// (`holdAnswer`), so the read is stale by construction; pollers never come due by themselves (10 minutes), and every
// transition waits for the test: nothing races the clock.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, startStack, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterFleetwiseAccountInput!) { registerFleetwiseAccount(input: $input) { accountStatus } }
`;

const FLEETWISE_CHANGES = /* GraphQL */ `
  subscription { accountStatusChanged(sources: [FLEETWISE_REGISTRATION]) { accountId previous current error { code } } }
`;

const FLEETWISE_HISTORY = /* GraphQL */ `
  query History($id: AccountId!) {
    account(id: $id) { history(sources: [FLEETWISE_REGISTRATION]) { nodes { previous current observedBy } } }
  }
`;

const REGISTRATION = /* GraphQL */ `
  query Registration($id: AccountId!) { account(id: $id) { fleetwiseRegistration(region: "us-east-1") { accountStatus } } }
`;

const ENROLL = /* GraphQL */ `
  mutation Enroll($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }
`;

const ENROLLMENT_CHANGES = /* GraphQL */ `
  subscription { accountStatusChanged(sources: [COMPUTE_OPTIMIZER_ENROLLMENT]) { accountId previous current error { code } } }
`;

const ENROLLMENT_HISTORY = /* GraphQL */ `
  query History($id: AccountId!) {
    account(id: $id) { history(sources: [COMPUTE_OPTIMIZER_ENROLLMENT]) { nodes { previous current observedBy } } }
  }
`;

const SCAN = 'compute-optimizer:GetEnrollmentStatusesForOrganization';
/** One account's enrollment, asked in that account (a prefix of SCAN: counted by its exact name). */
const ENROLLMENT_READ = 'compute-optimizer:GetEnrollmentStatus';

const READ = 'iotfleetwise:GetRegisterAccountStatus';

describe('a poll round read that a mutation overtook', () => {
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

  /** An active member with a role to read and no FleetWise registration, found without warming the server's cache. */
  async function unregisteredMember(): Promise<string> {
    const members = (await stack.server.aws.listAccounts()).filter((account) => account.state === 'ACTIVE' && account.id !== '000000000000');
    for (const member of members) {
      const unregistered = await stack.server.aws.getFleetwiseRegistration(member.id, 'us-east-1').then((found) => found === null, () => false);
      if (unregistered) return member.id;
    }
    throw new Error('no unregistered member');
  }

  it('keeps REGISTRATION_PENDING when the round read null before the registration and answered after it', async () => {
    const accountId = await unregisteredMember();
    const target = { kind: 'fleetwise', accountId, region: 'us-east-1' } as const;
    const events = record(client, FLEETWISE_CHANGES);
    await events.waitFor((event) => event.accountStatusChanged.accountId === accountId, 'the current state');

    // The round's read of this account is answered (null) as it arrives; its answer waits in the emulator.
    await stack.setFaults({ holdRate: 1, holdAnswer: true, operations: [READ], accounts: [accountId] });
    await stack.resetCalls();
    stack.server.watcher.poke([target]);
    await expect.poll(() => stack.held(), { timeout: 20_000 }).toBe(1);
    await stack.clearFaults();

    // The registration answers while the round's read is under way; it stays pending until the test says.
    stack.emulator.hold(`fleetwise:${accountId}`);
    const registered = await stack.gql(REGISTER, { input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWiseRole` } });
    expect(registered.data).toEqual({ registerFleetwiseAccount: { accountStatus: 'REGISTRATION_PENDING' } });
    await events.waitFor((event) => event.accountStatusChanged.accountId === accountId && event.accountStatusChanged.current === 'REGISTRATION_PENDING', 'PENDING');

    // The round's older answer arrives now. The mutation poked the poller while its round was under way: it polls
    // again once that round is done (one more read), and AWS still says REGISTRATION_PENDING.
    expect(await stack.releaseHeld()).toBe(1);
    await expect.poll(async () => countOf(await stack.calls(), READ), { timeout: 20_000 }).toBe(2);
    // The cache holds it: a query answers REGISTRATION_PENDING with no call.
    expect((await stack.gql(REGISTRATION, { id: accountId })).data).toEqual({ account: { fleetwiseRegistration: { accountStatus: 'REGISTRATION_PENDING' } } });
    expect(countOf(await stack.calls(), READ)).toBe(2);

    // The next real poll still moves it on.
    stack.emulator.release(`fleetwise:${accountId}`);
    stack.server.watcher.poke([target]);
    await events.waitFor((event) => event.accountStatusChanged.accountId === accountId && event.accountStatusChanged.current === 'REGISTRATION_SUCCESS', 'SUCCESS');
    events.unsubscribe();

    const seen = events.events.map((event) => event.accountStatusChanged).filter((change) => change.accountId === accountId);
    expect(seen.map((change) => change.current)).toEqual([null, 'REGISTRATION_PENDING', 'REGISTRATION_SUCCESS']);
    expect(seen.every((change) => change.error === null)).toBe(true);
    const history = await stack.gql(FLEETWISE_HISTORY, { id: accountId });
    expect(history.data!.account.history.nodes).toEqual([
      { previous: 'REGISTRATION_PENDING', current: 'REGISTRATION_SUCCESS', observedBy: 'POLL' },
      { previous: null, current: 'REGISTRATION_PENDING', observedBy: 'MUTATION' },
      { previous: null, current: null, observedBy: 'POLL' },
    ]);
    // The stale answer cost nothing extra: the round's read, the poll the mutation asked for, the one that saw SUCCESS.
    expect(countOf(await stack.calls(), READ)).toBe(3);
    expect((await stack.gql(REGISTRATION, { id: accountId })).data).toEqual({ account: { fleetwiseRegistration: { accountStatus: 'REGISTRATION_SUCCESS' } } });
    expect(countOf(await stack.calls(), READ)).toBe(3);
  });

  it('keeps an enrollment change when the round\'s org-wide scan read the status before it and answered after', async () => {
    const members = (await stack.server.aws.listAccounts()).filter((account) => account.state === 'ACTIVE' && account.id !== '000000000000');
    const statuses = await stack.server.aws.listOrganizationEnrollmentStatuses();
    const accountId = members.find((member) => statuses.find((record) => record.accountId === member.id)?.status === 'Active')?.id;
    expect(accountId).toBeDefined();
    const events = record(client, ENROLLMENT_CHANGES);
    // Every account's current state first: on a busy machine some first readings are still to come when this
    // member's arrives, and a round of theirs could take the held scan below, leaving the poked round a second one.
    const organization = (await stack.server.aws.listAccounts()).map((account) => account.id);
    const heard = () => new Set(events.events.map((event) => event.accountStatusChanged.accountId as string));
    await events.waitFor(() => organization.every((id) => heard().has(id)), 'every account\'s current state');
    await expect.poll(() => stack.server.watcher.pollsInFlight, { timeout: 20_000 }).toBe(0);
    const watched = [...heard()];
    // A round over every member's enrollment: one org-wide scan, answered (Active for this member) as it arrives.
    await stack.setFaults({ holdRate: 1, holdAnswer: true, operations: [SCAN] });
    await stack.resetCalls();
    stack.server.watcher.poke(watched.map((id) => ({ kind: 'enrollment', accountId: id })));
    await expect.poll(() => stack.held(), { timeout: 20_000 }).toBe(1);
    await stack.clearFaults();

    const opted = await stack.gql(ENROLL, { input: { accountId, status: 'INACTIVE' } });
    expect(opted.data).toEqual({ updateComputeOptimizerEnrollment: { status: 'INACTIVE' } });
    await events.waitFor((event) => event.accountStatusChanged.accountId === accountId && event.accountStatusChanged.current === 'INACTIVE', 'INACTIVE');

    // The scan's older answer arrives: it is not this member's status any more, so the member is asked in its own
    // account; then the poll the mutation asked for reads it once more. (The round asked the management account
    // directly too: the scan is for members.)
    expect(await stack.releaseHeld()).toBe(1);
    await expect.poll(async () => (await stack.calls())[ENROLLMENT_READ], { timeout: 20_000 }).toBe(3);
    // The third call counted is not yet the third answer handled: a change in AWS before the poll is done would be
    // read by it, and the poke below would find it in flight and poll once more.
    await expect.poll(() => stack.server.watcher.pollsInFlight, { timeout: 20_000 }).toBe(0);

    // The next real poll still moves it on: opted in again outside statusgraph, Pending until the test says.
    stack.emulator.hold(`enrollment:${accountId}`);
    await stack.server.aws.updateEnrollmentStatus({ accountId: accountId!, status: 'Active' });
    stack.server.watcher.poke([{ kind: 'enrollment', accountId: accountId! }]);
    await events.waitFor((event) => event.accountStatusChanged.accountId === accountId && event.accountStatusChanged.current === 'PENDING', 'PENDING');
    stack.emulator.release(`enrollment:${accountId}`);
    events.unsubscribe();

    const seen = events.events.map((event) => event.accountStatusChanged).filter((change) => change.accountId === accountId);
    expect(seen.map((change) => change.current)).toEqual(['ACTIVE', 'INACTIVE', 'PENDING']);
    const history = await stack.gql(ENROLLMENT_HISTORY, { id: accountId });
    expect(history.data!.account.history.nodes.map((node: { current: string; observedBy: string }) => `${node.current} ${node.observedBy}`)).toEqual([
      'PENDING POLL',
      'INACTIVE MUTATION',
      'ACTIVE POLL',
    ]);
    const calls = await stack.calls();
    expect(countOf(calls, SCAN)).toBe(1);
    expect(calls[ENROLLMENT_READ]).toBe(4);
  });
});
