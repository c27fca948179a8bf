// Credentials that recover, end to end: after the AWS endpoint forgets every session (a restarted endpoint; on AWS a
// revoked session or a rotated role), member reads succeed again within one call per member; while the management
// account's own credentials are refused, /readyz says degraded and /metrics counts the refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, startStack, type Stack } from '../support/stack.js';

const MEMBERS_QUERY = /* GraphQL */ `
  query Members($ids: [AccountId!]!) {
    accounts(ids: $ids) { id fleetwiseRegistration { accountStatus fetchedAt } }
  }
`;

describe('credential recovery', () => {
  let stack: Stack;
  let members: string[];

  beforeAll(async () => {
    // Statuses are never served from the cache here: every query reads AWS with the member's credentials.
    stack = await startStack({
      memberAccounts: 12,
      delayMs: 600_000,
      env: { STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1', STATUSGRAPH_CACHE_TTL_SETTLED_MS: '1' },
    });
    const result = await stack.gql(`{ organization { accounts(first: 100) { nodes { id state joinedMethod } } } }`);
    members = (result.data!.organization.accounts.nodes as { id: string; state: string; joinedMethod: string }[])
      .filter((node) => node.id !== '000000000000' && node.state === 'ACTIVE' && node.joinedMethod === 'CREATED')
      .map((node) => node.id);
  });
  afterAll(() => stack?.close());

  it('reads every member again after the endpoint forgot every session, with one AssumeRole per member and no error', async () => {
    const first = await stack.gql(MEMBERS_QUERY, { ids: members });
    const failedBefore = (first.errors ?? []).map((error) => error.path?.[1]);
    const readable = members.length - failedBefore.length;
    expect(readable).toBeGreaterThanOrEqual(3);

    stack.emulator.invalidateSessions();
    await stack.resetCalls();
    const again = await stack.gql(MEMBERS_QUERY, { ids: members });
    expect((again.errors ?? []).map((error) => error.path?.[1])).toEqual(failedBefore);
    expect(again.data!.accounts.map((account: any) => account?.fleetwiseRegistration?.accountStatus ?? null)).toEqual(
      first.data!.accounts.map((account: any) => account?.fleetwiseRegistration?.accountStatus ?? null),
    );
    const calls = await stack.calls();
    // Each readable member: the refused read, one AssumeRole, the read again. The member without a role: its refusal.
    expect(countOf(calls, 'iotfleetwise:GetRegisterAccountStatus')).toBe(2 * readable);
    expect(countOf(calls, 'sts:AssumeRole')).toBe(members.length);

    const metrics = await (await fetch(new URL('/metrics', stack.graphqlUrl))).text();
    expect(metrics).toContain(`statusgraph_aws_credential_renewals_total{account="member",outcome="recovered"} ${readable}`);
  });

  it('reports /readyz degraded while the management account\'s credentials are refused, and ready once they are accepted', async () => {
    const readyz = async () => {
      const response = await fetch(new URL('/readyz', stack.graphqlUrl));
      return { status: response.status, body: await response.json() };
    };
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    await stack.setFaults({ refuseCredentialsRate: 1, accounts: ['000000000000'] });
    try {
      expect(await readyz()).toEqual({ status: 200, body: { status: 'degraded', degraded: ['aws-credentials'] } });
      const refused = await stack.gql(`{ organization { id } }`);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', aws: { code: 'UnrecognizedClientException' } });
    } finally {
      await stack.clearFaults();
    }
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
  });
});
