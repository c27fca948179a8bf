import { describe, expect, it } from 'vitest';
import {
  allAccounts,
  allMemberEnrollments,
  COMPUTE_OPTIMIZER_TOKENS,
  countBy,
  MANAGEMENT,
  readAll,
  testWorld,
  type TestWorld,
} from './world-fixture.js';

const DELAY_MS = 60_000;

async function memberWithStatus(world: TestWorld, status: string): Promise<string> {
  const found = (await allMemberEnrollments(world)).find((entry) => entry.status === status);
  if (found === undefined) throw new Error(`no member is ${status}`);
  return found.accountId as string;
}

describe('GetEnrollmentStatus', () => {
  it('reports the management account Active with its members enrolled and how many are opted in', async () => {
    const world = testWorld();
    const status = await world.call('compute-optimizer', 'GetEnrollmentStatus');
    const activeMembers = (await allMemberEnrollments(world)).filter((entry) => entry.status === 'Active').length;
    expect(status).toMatchObject({
      status: 'Active',
      memberAccountsEnrolled: true,
      numberOfMemberAccountsOptedIn: activeMembers,
    });
    expect(status.lastUpdatedTimestamp).toBeInstanceOf(Date);
  });

  it('reports a member its own status, without organization counts', async () => {
    const world = testWorld();
    const failed = await memberWithStatus(world, 'Failed');
    const status = await world.call('compute-optimizer', 'GetEnrollmentStatus', {}, { accessKeyId: failed });
    expect(status).toMatchObject({ status: 'Failed', memberAccountsEnrolled: false });
    expect(status.statusReason).toEqual(expect.any(String));
    expect(status.numberOfMemberAccountsOptedIn).toBeUndefined();
  });

  it('reports Inactive, never updated, for an account that never opted in', async () => {
    const status = await testWorld().call('compute-optimizer', 'GetEnrollmentStatus', {}, { accessKeyId: '999999999999' });
    expect(status).toMatchObject({ status: 'Inactive', memberAccountsEnrolled: false });
    expect(status.lastUpdatedTimestamp).toBeUndefined();
  });

  it('is the same in every region', async () => {
    const world = testWorld();
    const member = await memberWithStatus(world, 'Inactive');
    await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Active' }, { accessKeyId: member, region: 'eu-west-1' });
    const elsewhere = await world.call('compute-optimizer', 'GetEnrollmentStatus', {}, { accessKeyId: member, region: 'ap-southeast-2' });
    expect(elsewhere.status).toBe('Pending');
  });
});

describe('GetEnrollmentStatusesForOrganization', () => {
  it('lists every member once, and not the management account', async () => {
    const world = testWorld({ memberAccounts: 150 });
    const members = (await allAccounts(world)).map((account) => account.Id).filter((id) => id !== MANAGEMENT);
    const { items, pageSizes } = await readAll(
      world,
      'compute-optimizer',
      'GetEnrollmentStatusesForOrganization',
      'accountEnrollmentStatuses',
      COMPUTE_OPTIMIZER_TOKENS,
    );
    expect(pageSizes).toEqual([100, 50]);
    expect(items.map((entry) => entry.accountId)).toEqual(members);
    for (const entry of items) expect(entry.lastUpdatedTimestamp).toBeInstanceOf(Date);
  });

  it('filters by status across pages', async () => {
    const world = testWorld({ memberAccounts: 300 });
    const all = await allMemberEnrollments(world);
    const filtered = await allMemberEnrollments(world, { filters: [{ name: 'Status', values: ['Pending', 'Failed'] }], maxResults: 2 });
    expect(filtered).toEqual(all.filter((entry) => entry.status === 'Pending' || entry.status === 'Failed'));
    expect(Object.keys(countBy(filtered, 'status')).sort()).toEqual(['Failed', 'Pending']);
  });

  it.each([
    ['maxResults over 1000', { maxResults: 1001 }],
    ['a negative maxResults', { maxResults: -1 }],
    ['an unknown filter name', { filters: [{ name: 'AccountId', values: ['x'] }] }],
    ['an unknown status', { filters: [{ name: 'Status', values: ['Enrolled'] }] }],
    ['a filter without values', { filters: [{ name: 'Status', values: [] }] }],
    ['a token of ours for another operation', { nextToken: Buffer.from('{"op":"ListAccounts","at":1}').toString('base64url') }],
    ['a token that is no token', { nextToken: '%%%' }],
  ])('rejects %s with InvalidParameterValueException 400', async (_case, input) => {
    const error = await testWorld().failure('compute-optimizer', 'GetEnrollmentStatusesForOrganization', input);
    expect(error).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
  });

  it('denies members with AccessDeniedException 403', async () => {
    const world = testWorld();
    const member = await memberWithStatus(world, 'Active');
    const error = await world.failure('compute-optimizer', 'GetEnrollmentStatusesForOrganization', {}, { accessKeyId: member });
    expect(error).toMatchObject({ code: 'AccessDeniedException', status: 403 });
  });
});

describe('UpdateEnrollmentStatus', () => {
  it('takes an account from Inactive through Pending to Active after the delay', async () => {
    const world = testWorld();
    const member = await memberWithStatus(world, 'Inactive');
    const as = { accessKeyId: member };
    const answer = await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Active' }, as);
    expect(answer.status).toBe('Pending');
    world.advance(DELAY_MS - 1);
    expect(await world.call('compute-optimizer', 'GetEnrollmentStatus', {}, as)).toMatchObject({
      status: 'Pending',
      lastUpdatedTimestamp: new Date(world.now.getTime() - DELAY_MS + 1),
    });
    world.advance(1);
    expect(await world.call('compute-optimizer', 'GetEnrollmentStatus', {}, as)).toMatchObject({
      status: 'Active',
      lastUpdatedTimestamp: world.now,
    });
  });

  it('opts an account out at once', async () => {
    const world = testWorld();
    const member = await memberWithStatus(world, 'Active');
    const answer = await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Inactive' }, { accessKeyId: member });
    expect(answer.status).toBe('Inactive');
    const statuses = await allMemberEnrollments(world);
    expect(statuses.find((entry) => entry.accountId === member)).toMatchObject({ status: 'Inactive', lastUpdatedTimestamp: world.now });
  });

  it('enrolls every member along with the management account when includeMemberAccounts is set', async () => {
    const world = testWorld({ memberAccounts: 40 });
    world.advance(DELAY_MS); // the demo's pending creation adds a 41st member, never enrolled
    await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Inactive' });
    const answer = await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Active', includeMemberAccounts: true });
    expect(answer.status).toBe('Pending');
    const during = countBy(await allMemberEnrollments(world), 'status');
    expect(Object.keys(during).sort()).toEqual(['Active', 'Pending']);
    world.advance(DELAY_MS);
    expect(countBy(await allMemberEnrollments(world), 'status')).toEqual({ Active: 41 });
    expect(await world.call('compute-optimizer', 'GetEnrollmentStatus')).toMatchObject({
      status: 'Active',
      memberAccountsEnrolled: true,
      numberOfMemberAccountsOptedIn: 41,
    });
  });

  it('leaves an Active account Active', async () => {
    const world = testWorld();
    const member = await memberWithStatus(world, 'Active');
    const answer = await world.call('compute-optimizer', 'UpdateEnrollmentStatus', { status: 'Active' }, { accessKeyId: member });
    expect(answer.status).toBe('Active');
  });

  it.each([
    ['Pending', { status: 'Pending' }],
    ['Failed', { status: 'Failed' }],
    ['an unknown status', { status: 'On' }],
    ['no status', {}],
  ])('rejects %s with InvalidParameterValueException and changes nothing', async (_case, input) => {
    const world = testWorld();
    const before = await world.call('compute-optimizer', 'GetEnrollmentStatus');
    const error = await world.failure('compute-optimizer', 'UpdateEnrollmentStatus', input);
    expect(error).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
    expect(await world.call('compute-optimizer', 'GetEnrollmentStatus')).toEqual(before);
  });

  it('refuses includeMemberAccounts from a member account', async () => {
    const world = testWorld();
    const member = await memberWithStatus(world, 'Inactive');
    const error = await world.failure(
      'compute-optimizer',
      'UpdateEnrollmentStatus',
      { status: 'Active', includeMemberAccounts: true },
      { accessKeyId: member },
    );
    expect(error).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
    expect((await world.call('compute-optimizer', 'GetEnrollmentStatus', {}, { accessKeyId: member })).status).toBe('Inactive');
  });
});
