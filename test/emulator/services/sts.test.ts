import { describe, expect, it } from 'vitest';
import { allAccounts, MANAGEMENT, testWorld, type TestWorld } from './world-fixture.js';

const MEMBER_ROLE = 'OrganizationAccountAccessRole';

const LOCKED_STATES = ['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'];

/** Members in a state AWS lets a role into (not suspended, closing or closed). */
async function memberIds(world: TestWorld): Promise<string[]> {
  return (await allAccounts(world))
    .filter((account) => account.Id !== MANAGEMENT && !LOCKED_STATES.includes(account.State as string))
    .map((account) => account.Id as string);
}

function assumeInput(accountId: string, extra: Record<string, unknown> = {}) {
  return { RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`, RoleSessionName: 'statusgraph', ...extra };
}

/** Members the management account can assume into, found by trying each one. */
async function assumableMembers(world: TestWorld): Promise<string[]> {
  const assumable: string[] = [];
  for (const id of await memberIds(world)) {
    try {
      await world.call('sts', 'AssumeRole', assumeInput(id));
      assumable.push(id);
    } catch {
      // the member without a role
    }
  }
  return assumable;
}

describe('GetCallerIdentity', () => {
  it('names the management account for test/test', async () => {
    expect(await testWorld().call('sts', 'GetCallerIdentity')).toEqual({
      UserId: MANAGEMENT,
      Account: MANAGEMENT,
      Arn: `arn:aws:iam::${MANAGEMENT}:root`,
    });
  });

  it('names the account of a 12-digit access key id', async () => {
    const identity = await testWorld().call('sts', 'GetCallerIdentity', {}, { accessKeyId: '123456789012' });
    expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root' });
  });
});

describe('AssumeRole', () => {
  it('returns temporary credentials bound to the member account, valid for an hour by default', async () => {
    const world = testWorld();
    const [member] = await memberIds(world);
    const answer = await world.call('sts', 'AssumeRole', assumeInput(member!));
    const credentials = answer.Credentials as Record<string, unknown>;
    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(credentials.SecretAccessKey).toEqual(expect.any(String));
    expect(credentials.SessionToken).toEqual(expect.any(String));
    expect(credentials.Expiration).toEqual(new Date(world.now.getTime() + 3_600_000));
    const assumedUser = answer.AssumedRoleUser as Record<string, string>;
    expect(assumedUser.Arn).toBe(`arn:aws:sts::${member}:assumed-role/${MEMBER_ROLE}/statusgraph`);
    expect(assumedUser.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:statusgraph$/);

    const asMember = await world.call('sts', 'GetCallerIdentity', {}, { accessKeyId: credentials.AccessKeyId as string });
    expect(asMember).toEqual({ Account: member, Arn: assumedUser.Arn, UserId: assumedUser.AssumedRoleId });
  });

  it('lets the identity store report the session and its expiry to the core', async () => {
    const world = testWorld();
    const [member] = await memberIds(world);
    const answer = await world.call('sts', 'AssumeRole', assumeInput(member!, { DurationSeconds: '900' }));
    const credentials = answer.Credentials as Record<string, unknown>;
    expect(world.identity.lookup(credentials.AccessKeyId as string)).toMatchObject({
      accountId: member,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: new Date(world.now.getTime() + 900_000),
    });
    world.advance(900_001);
    expect(world.identity.lookup(credentials.AccessKeyId as string)?.expiration).toEqual(credentials.Expiration);
  });

  it('accepts the role name CreateAccount was given', async () => {
    const world = testWorld({ delayMs: 0 });
    const created = await world.call('organizations', 'CreateAccount', {
      Email: 'ops@example.com',
      AccountName: 'ops',
      RoleName: 'PlatformAdmin',
    });
    const accountId = (created.CreateAccountStatus as Record<string, string>).AccountId!;
    await expect(
      world.call('sts', 'AssumeRole', { RoleArn: `arn:aws:iam::${accountId}:role/PlatformAdmin`, RoleSessionName: 'ops' }),
    ).resolves.toHaveProperty('Credentials');
    const error = await world.failure('sts', 'AssumeRole', assumeInput(accountId));
    expect(error).toMatchObject({ code: 'AccessDenied', status: 403 });
  });

  it('denies exactly one demo member, the one with no member role', async () => {
    const world = testWorld();
    expect(await assumableMembers(world)).toHaveLength((await memberIds(world)).length - 1);
  });

  it('denies a suspended, closing or closed member, as AWS lets no one into them', async () => {
    const world = testWorld({ memberAccounts: 200 });
    const locked = (await allAccounts(world)).filter((account) => LOCKED_STATES.includes(account.State as string));
    expect(new Set(locked.map((account) => account.State))).toEqual(new Set(LOCKED_STATES));
    for (const account of locked) {
      expect(await world.failure('sts', 'AssumeRole', assumeInput(account.Id as string))).toMatchObject({ code: 'AccessDenied', status: 403 });
    }
  });

  it.each([
    ['an unknown role', (member: string) => `arn:aws:iam::${member}:role/SomethingElse`],
    ['an account outside the organization', () => `arn:aws:iam::999999999999:role/${MEMBER_ROLE}`],
    ['the management account itself', () => `arn:aws:iam::${MANAGEMENT}:role/${MEMBER_ROLE}`],
  ])('denies %s with AccessDenied 403', async (_case, roleArn) => {
    const world = testWorld();
    const [member] = await memberIds(world);
    const error = await world.failure('sts', 'AssumeRole', { RoleArn: roleArn(member!), RoleSessionName: 'x1' });
    expect(error).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(error.message).toBe(
      `User: arn:aws:iam::${MANAGEMENT}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn(member!)}`,
    );
  });

  it('denies a member assuming into another member', async () => {
    const world = testWorld();
    const [first, second] = await assumableMembers(world);
    const error = await world.failure('sts', 'AssumeRole', assumeInput(second!), { accessKeyId: first! });
    expect(error).toMatchObject({ code: 'AccessDenied', status: 403 });
  });

  it('denies an assumed-role session chaining into another member', async () => {
    const world = testWorld();
    const [first, second] = await assumableMembers(world);
    const session = (await world.call('sts', 'AssumeRole', assumeInput(first!))).Credentials as Record<string, string>;
    const error = await world.failure('sts', 'AssumeRole', assumeInput(second!), { accessKeyId: session.AccessKeyId! });
    expect(error).toMatchObject({ code: 'AccessDenied' });
  });

  it.each([
    ['a session name of one character', { RoleSessionName: 'a' }],
    ['a session name over 64 characters', { RoleSessionName: 's'.repeat(65) }],
    ['a session name with a space', { RoleSessionName: 'my session' }],
    ['a missing session name', { RoleSessionName: undefined }],
    ['a duration under 900 seconds', { DurationSeconds: '899' }],
    ['a duration over 43200 seconds', { DurationSeconds: 43_201 }],
    ['a duration that is no number', { DurationSeconds: 'soon' }],
    ['a role ARN under 20 characters', { RoleArn: 'arn:aws:iam::1:role' }],
    ['a missing role ARN', { RoleArn: undefined }],
    ['a role ARN that names no role', { RoleArn: 'arn:aws:iam::123456789012:user/someone' }],
  ])('rejects %s with ValidationError 400', async (_case, change) => {
    const world = testWorld();
    const [member] = await memberIds(world);
    const error = await world.failure('sts', 'AssumeRole', { ...assumeInput(member!), ...change });
    expect(error).toMatchObject({ code: 'ValidationError', status: 400 });
  });

  it('reports the violated constraint as AWS validation does', async () => {
    const world = testWorld();
    const [member] = await memberIds(world);
    const error = await world.failure('sts', 'AssumeRole', { ...assumeInput(member!), RoleSessionName: 'a' });
    expect(error.message).toBe(
      "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 2',
    );
  });
});
