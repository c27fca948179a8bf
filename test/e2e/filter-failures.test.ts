// What an AccountFilter makes of a status it could not read, decided by AWS's error code: a refusal (the member role
// AccessDenied) is an answer — the status is UNREADABLE, which the filter can ask for; throttling (ThrottlingException,
// TooManyRequestsException) and a 5xx are no answer — the account is listed as undecided, neither matched nor silently
// left out; "not found" (ResourceNotFoundException) is a value — NOT_REGISTERED. Faults are the emulator's, per
// operation and per caller account; nothing is cached (TTL 0), so every query asks AWS again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const REGION = 'us-east-1';
const EVERY_REGISTRATION = ['REGISTRATION_SUCCESS', 'REGISTRATION_PENDING', 'REGISTRATION_FAILURE', 'UNKNOWN', 'NOT_REGISTERED', 'UNREADABLE'];

const FILTERED = `query($values: [RegistrationFilterValue!]) { organization {
  accounts(first: 1000, filter: { fleetwiseRegistration: $values }) {
    totalCount nodes { id } undecided { accountId criterion region error { code aws { service operation code } } } }
  statusSummary(filter: { fleetwiseRegistration: $values }) { totalAccounts undecided { accountId error { code } } } } }`;

let stack: Stack;
/** Each account's FleetWise registration read without a filter: its raw status, null (never registered) or the error code. */
const registrations = new Map<string, { status: string | null } | { errorCode: string }>();

const ids = (nodes: readonly { id: string }[]) => nodes.map((node) => node.id).sort();
const membersWhere = (predicate: (reading: { status: string | null } | { errorCode: string }) => boolean) =>
  [...registrations].filter(([, reading]) => predicate(reading)).map(([id]) => id).sort();

beforeAll(async () => {
  stack = await startStack({
    memberAccounts: 12,
    delayMs: 3_600_000,
    env: {
      STATUSGRAPH_CACHE_TTL_SETTLED_MS: '0',
      STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '0',
      // One attempt each: the failure reaches the filter at once (retries are the retry strategy's tests).
      STATUSGRAPH_AWS_MAX_ATTEMPTS: '1',
      STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS: '1',
    },
  });
  const result = await stack.gql(`{ organization { accounts(first: 1000) { nodes { id fleetwiseRegistration(region: "${REGION}") { accountStatus } } } } }`);
  const { accounts } = result.data!.organization;
  accounts.nodes.forEach((node: { id: string; fleetwiseRegistration: { accountStatus: string } | null }, index: number) => {
    const error = result.errors?.find((each) => each.path?.[3] === index);
    registrations.set(node.id, error ? { errorCode: String(error.extensions?.code) } : { status: node.fleetwiseRegistration?.accountStatus ?? null });
  });
}, 120_000);

afterAll(() => stack?.close());
afterEach(() => stack.clearFaults());

describe('an AccountFilter over a status that could not be read', () => {
  it('matches UNREADABLE for an access refusal (the member role AccessDenied): an answer, not an undecided account', async () => {
    const refused = membersWhere((reading) => 'errorCode' in reading && reading.errorCode === 'AWS_ACCESS_DENIED');
    expect(refused.length).toBeGreaterThan(0);
    const result = await stack.gql(FILTERED, { values: ['UNREADABLE'] });
    expect(result.errors).toBeUndefined();
    const { accounts, statusSummary } = result.data!.organization;
    expect(ids(accounts.nodes)).toEqual(refused);
    expect(accounts.undecided).toEqual([]);
    expect(statusSummary).toEqual({ totalAccounts: refused.length, undecided: [] });
  });

  it('matches NOT_REGISTERED, not UNREADABLE, for an account FleetWise answers ResourceNotFoundException', async () => {
    const never = membersWhere((reading) => 'status' in reading && reading.status === null);
    expect(never.length).toBeGreaterThan(0);
    const result = await stack.gql(FILTERED, { values: ['NOT_REGISTERED'] });
    expect(result.errors).toBeUndefined();
    expect(ids(result.data!.organization.accounts.nodes)).toEqual(never);
    const unreadable = await stack.gql(FILTERED, { values: ['UNREADABLE'] });
    for (const id of never) expect(ids(unreadable.data!.organization.accounts.nodes)).not.toContain(id);
  });

  it('lists a throttled account (ThrottlingException) as undecided with THROTTLED: not UNREADABLE, and not silently dropped', async () => {
    const [throttled] = membersWhere((reading) => 'status' in reading);
    await stack.setFaults({ operations: ['iotfleetwise:GetRegisterAccountStatus'], accounts: [throttled], throttleRate: 1 });
    const result = await stack.gql(FILTERED, { values: EVERY_REGISTRATION });
    expect(result.errors).toBeUndefined();
    const { accounts, statusSummary } = result.data!.organization;
    // Every other account matches one of the values; the throttled one none of them, and says why.
    expect(ids(accounts.nodes)).toEqual([...registrations.keys()].filter((id) => id !== throttled).sort());
    expect(accounts.totalCount).toBe(registrations.size - 1);
    expect(accounts.undecided).toEqual([
      {
        accountId: throttled,
        criterion: 'fleetwiseRegistration',
        region: REGION,
        error: { code: 'THROTTLED', aws: { service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', code: 'ThrottlingException' } },
      },
    ]);
    expect(statusSummary.totalAccounts).toBe(registrations.size - 1);
    expect(statusSummary.undecided).toEqual([{ accountId: throttled, error: { code: 'THROTTLED' } }]);
    const unreadable = await stack.gql(FILTERED, { values: ['UNREADABLE'] });
    expect(ids(unreadable.data!.organization.accounts.nodes)).not.toContain(throttled);
  });

  it('lists an account whose lookup AWS answered with a 5xx as undecided with UPSTREAM_UNAVAILABLE', async () => {
    const [failing] = membersWhere((reading) => 'status' in reading);
    await stack.setFaults({ operations: ['iotfleetwise:GetRegisterAccountStatus'], accounts: [failing], errorRate: 1 });
    const result = await stack.gql(FILTERED, { values: EVERY_REGISTRATION });
    expect(result.errors).toBeUndefined();
    const { accounts } = result.data!.organization;
    expect(ids(accounts.nodes)).not.toContain(failing);
    expect(accounts.undecided).toHaveLength(1);
    expect(accounts.undecided[0]).toMatchObject({ accountId: failing, criterion: 'fleetwiseRegistration', error: { code: 'UPSTREAM_UNAVAILABLE' } });
  });

  it('lists every account as undecided on "tags" while ListTagsForResource is throttled (TooManyRequestsException)', async () => {
    await stack.setFaults({ operations: ['organizations:ListTagsForResource'], throttleRate: 1 });
    const result = await stack.gql(`{ organization { accounts(first: 1000, filter: { tags: [{ key: "team" }] }) {
      totalCount undecided { criterion error { code aws { code } } } } } }`);
    expect(result.errors).toBeUndefined();
    const { accounts } = result.data!.organization;
    expect(accounts.totalCount).toBe(0);
    expect(accounts.undecided.length).toBe(registrations.size);
    for (const entry of accounts.undecided) {
      expect(entry).toEqual({ criterion: 'tags', error: { code: 'THROTTLED', aws: { code: 'TooManyRequestsException' } } });
    }
  });
});
