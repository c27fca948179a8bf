// Held and released transitions, status histories and session invalidation, against the real service models with a
// clock the test moves: a held status stays transitional whatever the clock says, and completes at its release.
import { describe, expect, it } from 'vitest';
import { allAccounts, MANAGEMENT, testWorld, type TestWorld } from './world-fixture.js';

const DELAY_MS = 60_000;
/** Longer than any delay: a held transition must not care. */
const A_DAY_MS = 24 * 60 * 60 * 1000;
const ACCOUNT = '123456789012';
const ownRole = `arn:aws:iam::${ACCOUNT}:role/FleetWiseRole`;
const asAccount = { accessKeyId: ACCOUNT, region: 'us-east-1' };

async function registrationStatus(world: TestWorld): Promise<unknown> {
  return (await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, asAccount)).accountStatus;
}

async function creationState(world: TestWorld, id: string): Promise<unknown> {
  const answer = await world.call('organizations', 'DescribeCreateAccountStatus', { CreateAccountRequestId: id });
  return (answer.CreateAccountStatus as Record<string, unknown>).State;
}

describe('holding and releasing transitions', () => {
  it('keeps a FleetWise registration REGISTRATION_PENDING while held, and completes it at the release', async () => {
    const world = testWorld();
    expect(world.control.hold([`fleetwise:${ACCOUNT}`], world.now)).toEqual([]);
    await world.call('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: ownRole } }, asAccount);
    world.advance(A_DAY_MS);
    expect(await registrationStatus(world)).toBe('REGISTRATION_PENDING');
    expect(world.control.transitions(world.now).inFlight).toContainEqual({
      key: `fleetwise:${ACCOUNT}:us-east-1`,
      value: 'REGISTRATION_PENDING',
      settlesAt: undefined,
    });

    const releasedAt = world.now;
    expect(world.control.release(['fleetwise'], world.now)).toEqual([`fleetwise:${ACCOUNT}:us-east-1`]);
    const answer = await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, asAccount);
    expect(answer).toMatchObject({ accountStatus: 'REGISTRATION_SUCCESS', lastModificationTime: releasedAt });
    expect(world.control.transitions(world.now)).toEqual({ holds: [], inFlight: [] });
  });

  it('holds a transition already in flight, and a release completes one that was never held', async () => {
    const world = testWorld();
    await world.call('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: ownRole } }, asAccount);
    world.advance(DELAY_MS - 1);
    expect(world.control.hold(['*'], world.now)).toContain(`fleetwise:${ACCOUNT}:us-east-1`);
    world.advance(A_DAY_MS);
    expect(await registrationStatus(world)).toBe('REGISTRATION_PENDING');
    world.control.release(['*'], world.now);
    expect(await registrationStatus(world)).toBe('REGISTRATION_SUCCESS');

    const other = '210987654321';
    await world.call('iotfleetwise', 'RegisterAccount', {}, { accessKeyId: other, region: 'us-east-1' });
    expect(world.control.release([`fleetwise:${other}:us-east-1`], world.now)).toEqual([`fleetwise:${other}:us-east-1`]);
    expect((await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, { accessKeyId: other })).accountStatus).toBe('REGISTRATION_SUCCESS');
  });

  it('holds a Compute Optimizer opt-in in Pending until released', async () => {
    const world = testWorld();
    world.control.hold([`enrollment:${ACCOUNT}`], world.now);
    await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Active' }, asAccount);
    world.advance(A_DAY_MS);
    expect((await world.call('compute-optimizer', 'GetEnrollmentStatus', {}, asAccount)).status).toBe('Pending');
    // A release of other accounts leaves it held.
    world.control.release(['enrollment:210987654321'], world.now);
    expect((await world.call('compute-optimizer', 'GetEnrollmentStatus', {}, asAccount)).status).toBe('Pending');
    world.control.release([`enrollment:${ACCOUNT}`], world.now);
    expect(await world.call('compute-optimizer', 'GetEnrollmentStatus', {}, asAccount)).toMatchObject({ status: 'Active', lastUpdatedTimestamp: world.now });
  });

  it('holds every CreateAccount request; the account joins the organization only at the release', async () => {
    const world = testWorld();
    world.control.hold(['creation:*'], world.now);
    const before = (await allAccounts(world)).length;
    const id = requestId(await world.call('organizations', 'CreateAccount', { Email: 'held@example.com', AccountName: 'held' }));
    world.advance(A_DAY_MS);
    expect(await creationState(world, id)).toBe('IN_PROGRESS');
    expect(await allAccounts(world)).toHaveLength(before);

    expect(world.control.release([`creation:${id}`], world.now)).toEqual([`creation:${id}`]);
    expect(await creationState(world, id)).toBe('SUCCEEDED');
    const accounts = await allAccounts(world);
    expect(accounts).toHaveLength(before + 1);
    expect(accounts.at(-1)).toMatchObject({ Name: 'held', JoinedTimestamp: world.now });
    // Releasing one request leaves the hold on every other creation in force.
    expect(world.control.transitions(world.now).holds).toEqual(['creation:*']);
  });

  it('keeps the accounts in joining order when a held creation is released after a later one joined', async () => {
    const world = testWorld();
    const first = requestId(await world.call('organizations', 'CreateAccount', { Email: 'a@example.com', AccountName: 'first' }));
    expect(world.control.hold([`creation:${first}`], world.now)).toEqual([`creation:${first}`]);
    await world.call('organizations', 'CreateAccount', { Email: 'b@example.com', AccountName: 'second' });
    world.advance(DELAY_MS);
    const names = async () => (await allAccounts(world)).map((account) => account.Name);
    expect((await names()).at(-1)).toBe('second');
    expect(await names()).not.toContain('first');

    world.control.release([`creation:${first}`], world.now);
    expect((await names()).slice(-2)).toEqual(['second', 'first']);
  });
});

function requestId(answer: Record<string, unknown>): string {
  return (answer.CreateAccountStatus as Record<string, unknown>).Id as string;
}

describe('status histories', () => {
  it('tells every value a registration took, and when', async () => {
    const world = testWorld();
    const key = `fleetwise:${ACCOUNT}:us-east-1`;
    expect(world.control.history([key], world.now)[key]).toEqual([{ at: new Date(0), value: null }]);
    const registeredAt = world.now;
    await world.call('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: ownRole } }, asAccount);
    world.advance(DELAY_MS);
    expect(world.control.history([key], world.now)[key]).toEqual([
      { at: new Date(0), value: null },
      { at: registeredAt, value: 'REGISTRATION_PENDING' },
      { at: world.now, value: 'REGISTRATION_SUCCESS' },
    ]);
  });

  it('shows an opt-in that an opt-out replaced before it completed as Pending, then Inactive', async () => {
    const world = testWorld();
    const optedIn = world.now;
    await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Active' }, asAccount);
    world.advance(1_000);
    await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Inactive' }, asAccount);
    world.advance(DELAY_MS);
    expect(world.control.history([`enrollment:${ACCOUNT}`], world.now)[`enrollment:${ACCOUNT}`]).toEqual([
      { at: new Date(0), value: 'Inactive' },
      { at: optedIn, value: 'Pending' },
      { at: new Date(optedIn.getTime() + 1_000), value: 'Inactive' },
    ]);
  });

  it('answers null for a creation request it never had', () => {
    const world = testWorld();
    expect(world.control.history(['creation:car-unknown0'], world.now)).toEqual({ 'creation:car-unknown0': null });
  });
});

describe('session invalidation', () => {
  it('forgets every assumed-role session, as a restarted endpoint does', async () => {
    const world = testWorld();
    const member = (await allAccounts(world)).find((account) => account.Id !== MANAGEMENT && account.JoinedMethod === 'CREATED')!.Id as string;
    const assumed = await world.call('sts', 'AssumeRole', { RoleArn: `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`, RoleSessionName: 'test' });
    const accessKeyId = (assumed.Credentials as Record<string, string>).AccessKeyId!;
    expect(world.identity.lookup(accessKeyId)).toBeDefined();
    expect(world.control.invalidateSessions()).toBe(1);
    expect(world.identity.lookup(accessKeyId)).toBeUndefined();
    expect(world.identity.lookup('test')).toBeDefined();
  });
});
