import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../src/emulator/core/types.js';
import { distribute } from '../../../src/emulator/services/demo-organization.js';
import { SeededRandom } from '../../../src/emulator/services/random.js';
import {
  allAccounts,
  allCreationRequests,
  allMemberEnrollments,
  countBy,
  MANAGEMENT,
  testWorld,
  type TestWorld,
} from './world-fixture.js';

const DELAY_MS = 60_000;

/** What GetRegisterAccountStatus says for each member in a region: a status, or NOT_REGISTERED. */
async function registrationStatuses(world: TestWorld, region: string): Promise<Record<string, number>> {
  const members = (await allAccounts(world)).filter((account) => account.Id !== MANAGEMENT);
  const statuses = await Promise.all(
    members.map(async (account) => {
      try {
        const status = await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, { accessKeyId: account.Id as string, region });
        return { status: status.accountStatus };
      } catch (error) {
        if (error instanceof AwsServiceError && error.code === 'ResourceNotFoundException') return { status: 'NOT_REGISTERED' };
        throw error;
      }
    }),
  );
  return countBy(statuses, 'status');
}

function share(counts: Record<string, number>, key: string): number {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return (counts[key] ?? 0) / total;
}

describe('the demo organization of 12 members', () => {
  it('has every account state, created and invited members, and realistic names and emails', async () => {
    const accounts = await allAccounts(testWorld());
    expect(accounts).toHaveLength(13);
    const members = accounts.filter((account) => account.Id !== MANAGEMENT);
    expect(Object.keys(countBy(members, 'State')).sort()).toEqual(['ACTIVE', 'CLOSED', 'PENDING_ACTIVATION', 'PENDING_CLOSURE', 'SUSPENDED']);
    expect(countBy(members, 'State').ACTIVE).toBeGreaterThan(members.length / 2);
    expect(Object.keys(countBy(members, 'JoinedMethod')).sort()).toEqual(['CREATED', 'INVITED']);
    for (const account of members) {
      expect(account.Name).toMatch(/^[a-z-]+-(prod|staging|dev|sandbox|qa|dr)$/);
      expect(account.Email).toMatch(/^aws\+[a-z0-9-]+@([a-z]+\.)?example\.com$/);
    }
  });

  it('has a SUCCEEDED request for each created member, none for invited ones, one FAILED and one IN_PROGRESS', async () => {
    const world = testWorld();
    const accounts = await allAccounts(world);
    const requests = await allCreationRequests(world);
    const succeeded = requests.filter((request) => request.State === 'SUCCEEDED');
    const created = accounts.filter((account) => account.Id !== MANAGEMENT && account.JoinedMethod === 'CREATED');
    expect(succeeded.map((request) => request.AccountId).sort()).toEqual(created.map((account) => account.Id).sort());
    for (const request of succeeded) {
      const account = accounts.find((candidate) => candidate.Id === request.AccountId)!;
      expect(request).toMatchObject({ AccountName: account.Name, CompletedTimestamp: account.JoinedTimestamp });
    }
    const failed = requests.filter((request) => request.State === 'FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ FailureReason: 'EMAIL_ALREADY_EXISTS', AccountId: undefined });
    const inProgress = requests.filter((request) => request.State === 'IN_PROGRESS');
    expect(inProgress).toHaveLength(1);
    expect(inProgress[0]).toMatchObject({ RequestedTimestamp: world.now, AccountId: undefined });
  });

  it('has every Compute Optimizer status among members, and the management account Active with members enrolled', async () => {
    const world = testWorld();
    expect(Object.keys(countBy(await allMemberEnrollments(world), 'status')).sort()).toEqual(['Active', 'Failed', 'Inactive', 'Pending']);
    expect(await world.call('compute-optimizer', 'GetEnrollmentStatus')).toMatchObject({ status: 'Active', memberAccountsEnrolled: true });
  });

  it('has registered, pending, failed and unregistered members in us-east-1, and some registered in eu-central-1', async () => {
    const world = testWorld();
    expect(Object.keys(await registrationStatuses(world, 'us-east-1')).sort()).toEqual([
      'NOT_REGISTERED',
      'REGISTRATION_FAILURE',
      'REGISTRATION_PENDING',
      'REGISTRATION_SUCCESS',
    ]);
    expect((await registrationStatuses(world, 'eu-central-1')).REGISTRATION_SUCCESS).toBeGreaterThan(0);
    expect(await world.call('iotfleetwise', 'GetRegisterAccountStatus')).toMatchObject({ accountStatus: 'REGISTRATION_SUCCESS' });
  });

  it('settles everything in flight after the delay, like any other transition', async () => {
    const world = testWorld();
    world.advance(DELAY_MS);
    const requests = await allCreationRequests(world);
    expect(requests.filter((request) => request.State === 'IN_PROGRESS')).toEqual([]);
    const accounts = await allAccounts(world);
    expect(accounts).toHaveLength(14);
    expect(accounts.at(-1)).toMatchObject({ State: 'ACTIVE', JoinedMethod: 'CREATED', JoinedTimestamp: world.now });
    expect(countBy(await allMemberEnrollments(world), 'status').Pending).toBeUndefined();
    expect((await registrationStatuses(world, 'us-east-1')).REGISTRATION_PENDING).toBeUndefined();
  });

  it('gives exactly one member no role for the management account, an invited one', async () => {
    const world = testWorld();
    // Suspended, closing and closed accounts let no one in, role or not.
    const members = (await allAccounts(world)).filter(
      (account) => account.Id !== MANAGEMENT && !['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'].includes(account.State as string),
    );
    const denied = [];
    for (const member of members) {
      try {
        await world.call('sts', 'AssumeRole', {
          RoleArn: `arn:aws:iam::${member.Id}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'demo',
        });
      } catch {
        denied.push(member);
      }
    }
    expect(denied).toHaveLength(1);
    // An invited one when any invited member can be reached (in 12 members, the few invited may all be closing).
    if (members.some((member) => member.JoinedMethod === 'INVITED')) expect(denied[0]!.JoinedMethod).toBe('INVITED');
  });
});

describe('the demo organization of 1,000 members', () => {
  const world = testWorld({ memberAccounts: 1000 });

  it('is mostly active, with a few of each other account state', async () => {
    const states = countBy((await allAccounts(world)).filter((account) => account.Id !== MANAGEMENT), 'State');
    expect(share(states, 'ACTIVE')).toBeGreaterThan(0.9);
    for (const state of ['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'PENDING_ACTIVATION']) {
      expect(states[state]).toBeGreaterThan(0);
      expect(share(states, state)).toBeLessThan(0.05);
    }
  });

  it('has about a quarter invited members', async () => {
    const joined = countBy((await allAccounts(world)).filter((account) => account.Id !== MANAGEMENT), 'JoinedMethod');
    expect(share(joined, 'INVITED')).toBeCloseTo(0.25, 2);
  });

  it('has mostly settled creation requests, a few failed ones, and one in progress', async () => {
    const states = countBy(await allCreationRequests(world), 'State');
    expect(states.IN_PROGRESS).toBe(1);
    expect(states.FAILED).toBe(10);
    expect(share(states, 'SUCCEEDED')).toBeGreaterThan(0.95);
  });

  it('has most members enrolled in Compute Optimizer and a few pending or failed', async () => {
    const statuses = countBy(await allMemberEnrollments(world), 'status');
    expect(share(statuses, 'Active')).toBeGreaterThan(0.8);
    expect(share(statuses, 'Inactive')).toBeCloseTo(0.12, 2);
    expect(share(statuses, 'Pending')).toBeCloseTo(0.02, 2);
    expect(share(statuses, 'Failed')).toBeCloseTo(0.02, 2);
  });

  it('has about half the members registered with FleetWise in us-east-1, a few failed or pending', async () => {
    const statuses = await registrationStatuses(world, 'us-east-1');
    expect(share(statuses, 'REGISTRATION_SUCCESS')).toBeCloseTo(0.45, 1);
    expect(share(statuses, 'REGISTRATION_FAILURE')).toBeCloseTo(0.04, 2);
    expect(share(statuses, 'REGISTRATION_PENDING')).toBeCloseTo(0.02, 2);
    expect(share(await registrationStatuses(world, 'eu-central-1'), 'REGISTRATION_SUCCESS')).toBeCloseTo(0.1, 2);
  });
});

describe('determinism', () => {
  async function everything(world: TestWorld) {
    return {
      organization: await world.call('organizations', 'DescribeOrganization'),
      accounts: await allAccounts(world),
      requests: await allCreationRequests(world),
      enrollments: await allMemberEnrollments(world),
      registrations: await registrationStatuses(world, 'us-east-1'),
    };
  }

  it('builds the same organization from the same member count and seed', async () => {
    expect(await everything(testWorld({ seed: 11, memberAccounts: 50 }))).toEqual(
      await everything(testWorld({ seed: 11, memberAccounts: 50 })),
    );
  });

  it('builds a different organization from another seed', async () => {
    const [a, b] = [await allAccounts(testWorld({ seed: 11 })), await allAccounts(testWorld({ seed: 12 }))];
    expect(a.map((account) => account.Id)).not.toEqual(b.map((account) => account.Id));
  });

  it('hands out the same ids to the same CreateAccount calls', async () => {
    const create = async () =>
      (await testWorld().call('organizations', 'CreateAccount', { Email: 'x@example.com', AccountName: 'x' })).CreateAccountStatus;
    expect(await create()).toEqual(await create());
  });

  it('without a seed, builds the same demo but hands out new ids at every start, as AWS never reuses one', async () => {
    const [first, second] = [testWorld({ seed: undefined }), testWorld({ seed: undefined })];
    expect(await allAccounts(first)).toEqual(await allAccounts(second));
    const create = async (world: TestWorld) =>
      (await world.call('organizations', 'CreateAccount', { Email: 'x@example.com', AccountName: 'x' })).CreateAccountStatus as { Id: string };
    expect((await create(first)).Id).not.toBe((await create(second)).Id);
    const unit = async (world: TestWorld) => {
      const [root] = (await world.call('organizations', 'ListRoots')).Roots as Array<{ Id: string }>;
      return ((await world.call('organizations', 'CreateOrganizationalUnit', { ParentId: root!.Id, Name: 'New' })).OrganizationalUnit as { Id: string }).Id;
    };
    expect(await unit(first)).not.toBe(await unit(second));
  });
});

describe('a 10,000-member organization', () => {
  it('lists its last page from a token as any other page', async () => {
    const world = testWorld({ memberAccounts: 10_000 });
    const token = Buffer.from(JSON.stringify({ op: 'ListAccounts', at: 9_990 })).toString('base64url');
    const page = await world.call('organizations', 'ListAccounts', { NextToken: token });
    expect((page.Accounts as unknown[]).length).toBe(11);
    expect(page.NextToken).toBeUndefined();
  });
});

describe('distribute', () => {
  it('gives each less common value its share, at least one, and the common value the rest', () => {
    const values = distribute(12, 'common', [['rare', 0.01], ['some', 0.25]], new SeededRandom(1));
    expect(countBy(values.map((value) => ({ value })), 'value')).toEqual({ common: 8, rare: 1, some: 3 });
  });

  it('keeps at least one of the common value when there is no room for every rare one', () => {
    const values = distribute(2, 'common', [['a', 0.1], ['b', 0.1]], new SeededRandom(1));
    expect(values.sort()).toEqual(['a', 'common']);
  });
});
