// Remembered refusals and strangers (issue 14 part 4): a member that refuses statusgraph its role is asked once per
// settled TTL, answered AWS_ACCESS_DENIED with what to deploy, and forgotten at once by an operator; an account id
// outside the organization is NOT_FOUND for mutations (before any call in it) and subscriptions.
import { LOCKED_ACCOUNT_STATES } from '../../src/status/access-refusals.js';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, startStack, total, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const ORGANIZATION = /* GraphQL */ `
  {
    organization {
      accounts(first: 100) { nodes { id state fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } creationRequest { state } } }
      statusSummary { totalAccounts }
    }
  }
`;
const STRANGER = '999999999999';

describe('refusals and strangers', () => {
  let stack: Stack;
  let client: Client;
  let refusing: string;

  beforeAll(async () => {
    // Nothing moves by itself (an hour's delay), so the organization is frozen.
    stack = await startStack({ memberAccounts: 12, delayMs: 3_600_000 });
    client = wsClient(stack.graphqlUrl);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('answers a role refusal with the role to deploy, and a warm repeat of the org query costs no AWS call at all', async () => {
    const cold = await stack.gql(ORGANIZATION);
    // The demo's members without the role, and its suspended or closing members, on their FleetWise path; nothing
    // else fails.
    const denied = (cold.errors ?? []).filter((error) => error.extensions?.code === 'AWS_ACCESS_DENIED');
    expect(cold.errors).toHaveLength(denied.length);
    const nodes = cold.data!.organization.accounts.nodes;
    const refusedRoles = denied.filter((error) => !LOCKED_ACCOUNT_STATES.has(nodes[error.path![3] as number].state));
    expect(refusedRoles.length).toBeGreaterThanOrEqual(1);
    expect(refusedRoles[0]!.message).toContain('OrganizationAccountAccessRole');
    expect(refusedRoles[0]!.message).toContain('StackSet');
    refusing = nodes[refusedRoles[0]!.path![3] as number].id;

    await stack.resetCalls();
    const warm = await stack.gql(ORGANIZATION);
    expect(warm.errors?.map((error) => error.extensions?.code)).toEqual(denied.map(() => 'AWS_ACCESS_DENIED'));
    expect(await stack.calls()).toEqual({});
  });

  it('forgets a refusal at once when an operator says so, and asks AWS again', async () => {
    const forgotten = await stack.gql(`mutation($ids: [AccountId!]!) { forgetAccessRefusals(accountIds: $ids) }`, { ids: [refusing, STRANGER] });
    expect(forgotten.errors).toBeUndefined();
    expect(forgotten.data!.forgetAccessRefusals).toEqual([refusing]);
    await stack.resetCalls();
    const again = await stack.gql(`query($id: AccountId!) { account(id: $id) { fleetwiseRegistration { accountStatus } } }`, { id: refusing });
    expect(again.errors?.[0]?.extensions?.code).toBe('AWS_ACCESS_DENIED');
    expect(countOf(await stack.calls(), 'sts:AssumeRole')).toBe(1);
  });

  it('refuses a mutation for an account outside the organization with NOT_FOUND, before any call in it', async () => {
    await stack.resetCalls();
    const register = await stack.gql(
      `mutation($input: RegisterFleetwiseAccountInput!) { registerFleetwiseAccount(input: $input) { accountStatus } }`,
      { input: { accountId: STRANGER, iamRoleArn: `arn:aws:iam::${STRANGER}:role/FleetWise` } },
    );
    const enroll = await stack.gql(
      `mutation($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }`,
      { input: { accountId: STRANGER, status: 'ACTIVE' } },
    );
    for (const answer of [register, enroll]) expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const calls = await stack.calls();
    expect(countOf(calls, 'sts:AssumeRole') + countOf(calls, 'iotfleetwise:') + countOf(calls, 'compute-optimizer:')).toBe(0);
    expect(total(calls)).toBeLessThanOrEqual(2);
  });

  it('refuses a subscription to an account outside the organization with NOT_FOUND', async () => {
    const events = record(client, `subscription($ids: [AccountId!]) { accountStatusChanged(accountIds: $ids) { accountId } }`, { ids: [STRANGER] });
    await events.waitForCompletion();
    expect(JSON.stringify([...events.fieldErrors, ...events.errors])).toContain('NOT_FOUND');
    expect(events.events.every((event) => !event || !(event as any).accountStatusChanged)).toBe(true);
  });
});
