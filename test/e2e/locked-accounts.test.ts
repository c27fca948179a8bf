// Accounts AWS lets no one into — SUSPENDED, PENDING_CLOSURE, CLOSED (issue 14): statusgraph answers their
// member-account statuses from the directory's state, AWS_ACCESS_DENIED naming the state, with no AssumeRole and no
// call in them — counted by the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, startStack, total, type GraphQLResponse, type Stack } from '../support/stack.js';

const MANAGEMENT = '000000000000';
const LOCKED = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);
const ORGANIZATION = /* GraphQL */ `
  { organization { accounts(first: 200) { nodes { id state fleetwiseRegistration { accountStatus } } } } }
`;
const ONE = /* GraphQL */ `
  query($id: AccountId!) { account(id: $id) { id state fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } } }
`;

describe('suspended, closing and closed members', () => {
  let stack: Stack;
  let nodes: { id: string; state: string }[];
  let coldCalls: Record<string, number>;
  let cold: GraphQLResponse<any>;

  beforeAll(async () => {
    // 100 members: the demo makes 2% of them SUSPENDED, 1% PENDING_CLOSURE, 1% CLOSED. Nothing moves by itself.
    stack = await startStack({ memberAccounts: 100, delayMs: 3_600_000 });
    await stack.resetCalls();
    cold = await stack.gql(ORGANIZATION);
    coldCalls = await stack.calls();
    nodes = cold.data!.organization.accounts.nodes;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers their FleetWise registration AWS_ACCESS_DENIED with their state, assuming a role only into the others', () => {
    const locked = nodes.filter((node) => LOCKED.has(node.state));
    expect(new Set(locked.map((node) => node.state))).toEqual(LOCKED);
    for (const node of locked) {
      const index = nodes.indexOf(node);
      const error = cold.errors?.find((each) => each.path?.[3] === index && each.path?.[4] === 'fleetwiseRegistration');
      expect(error?.extensions?.code).toBe('AWS_ACCESS_DENIED');
      expect(error?.message).toContain(`is ${node.state}`);
      expect(error?.message).toContain('no AWS call');
    }
    // One AssumeRole per member AWS may let in (the demo's member without the role included), none into a locked one.
    const open = nodes.filter((node) => node.id !== MANAGEMENT && !LOCKED.has(node.state));
    expect(countOf(coldCalls, 'sts:AssumeRole')).toBe(open.length);
    expect(countOf(coldCalls, 'iotfleetwise:GetRegisterAccountStatus')).toBeLessThanOrEqual(open.length + 1);
  });

  it('answers account(id) of a locked member, and refuses mutations in it, without any AWS call', async () => {
    const suspended = nodes.find((node) => node.state === 'SUSPENDED')!;
    await stack.resetCalls();
    const one = await stack.gql(ONE, { id: suspended.id });
    expect(one.data!.account).toMatchObject({ id: suspended.id, state: 'SUSPENDED', fleetwiseRegistration: null });
    expect(one.errors?.map((error) => [error.path?.at(-1), error.extensions?.code])).toEqual(
      expect.arrayContaining([['fleetwiseRegistration', 'AWS_ACCESS_DENIED']]),
    );
    const register = await stack.gql(
      `mutation($input: RegisterFleetwiseAccountInput!) { registerFleetwiseAccount(input: $input) { accountStatus } }`,
      { input: { accountId: suspended.id, iamRoleArn: `arn:aws:iam::${suspended.id}:role/FleetWise` } },
    );
    expect(register.errors?.[0]?.extensions?.code).toBe('AWS_ACCESS_DENIED');
    expect(register.errors?.[0]?.message).toContain('is SUSPENDED');
    expect(total(await stack.calls())).toBe(0);
  });
});
