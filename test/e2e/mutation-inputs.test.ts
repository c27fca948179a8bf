// Mutation inputs checked before any AWS call, and told truthfully (issue 16, points 7 and 8): every invalid
// createAccount field at once; includeMemberAccounts on a member account and a FleetWise role of another account
// refused with extensions.field; an ambiguous CreateAccount failure says what its idempotency key now stands for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, total, type Stack } from '../support/stack.js';

const CREATE = 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }';
const ENROLL = 'mutation($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }';
const REGISTER = 'mutation($input: RegisterFleetwiseAccountInput!) { registerFleetwiseAccount(input: $input) { accountStatus } }';

describe('mutation inputs', () => {
  let stack: Stack;
  let member: string;
  beforeAll(async () => {
    stack = await startStack({ memberAccounts: 3 });
    const listed = await stack.gql<{ organization: { accounts: { nodes: { id: string }[] } } }>('{ organization { accounts { nodes { id } } } }');
    member = listed.data!.organization.accounts.nodes.map((node) => node.id).find((id) => id !== '000000000000')!;
  });
  afterAll(() => stack?.close());

  /** Runs a mutation and returns its first error, asserting it made no AWS call. */
  async function refusedWithoutAwsCall(query: string, input: Record<string, unknown>) {
    await stack.resetCalls();
    const answer = await stack.gql(query, { input });
    expect(total(await stack.calls())).toBe(0);
    expect(answer.errors).toHaveLength(1);
    return answer.errors![0]!;
  }

  it('reports every invalid createAccount field at once, naming none of their values', async () => {
    const error = await refusedWithoutAwsCall(CREATE, { email: 'not-an-email', accountName: 'x'.repeat(60), idempotencyKey: 'bad key!' });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    expect(error.extensions!.fields).toEqual(['input.email', 'input.accountName', 'input.idempotencyKey']);
    expect(error.message).not.toContain('not-an-email');
  });

  it('refuses includeMemberAccounts on a member account with extensions.field', async () => {
    const error = await refusedWithoutAwsCall(ENROLL, { accountId: member, status: 'ACTIVE', includeMemberAccounts: true });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.includeMemberAccounts' });
  });

  it('refuses a FleetWise role in another account', async () => {
    const error = await refusedWithoutAwsCall(REGISTER, { accountId: member, iamRoleArn: 'arn:aws:iam::999999999999:role/FleetWise' });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.iamRoleArn' });
  });

  it('tells the client what an ambiguous CreateAccount failure made of its key, and answers a retry the same', async () => {
    await stack.setFaults({ errorRate: 1, operations: ['organizations:CreateAccount'] });
    try {
      const input = { email: 'ambiguous@example.com', accountName: 'Ambiguous', idempotencyKey: 'ambiguous-1' };
      const first = await stack.gql(CREATE, { input });
      const retried = await stack.gql(CREATE, { input });
      for (const answer of [first, retried]) {
        expect(answer.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', field: 'input.idempotencyKey', outcome: 'UNKNOWN' });
        expect(answer.errors![0]!.message).toContain('may or may not have been created');
      }
      expect((await stack.calls())['organizations:CreateAccount']).toBe(1);
    } finally {
      await stack.clearFaults();
    }
  });
});
