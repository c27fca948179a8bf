// STS through the unmodified SDK client: awsQuery requests, XML answers and errors as the SDK parses them.
import { GetEnrollmentStatusCommand } from '@aws-sdk/client-compute-optimizer';
import { DescribeOrganizationCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSdkError,
  listAllAccounts,
  MANAGEMENT,
  MEMBER_ROLE,
  sdkFailure,
  startContractEmulator,
  type Clients,
  type ContractEmulator,
} from './contract-fixture.js';

let emulator: ContractEmulator;
let management: Clients;
/** Members in a state AWS lets a role into (not suspended, closing or closed). */
let members: string[];
/** Members AWS lets no one into: suspended, closing or closed. */
let locked: string[];

beforeAll(async () => {
  emulator = await startContractEmulator({ delayMs: 60_000 });
  management = emulator.clients();
  const accounts = (await listAllAccounts(management.organizations)).filter((account) => account.Id !== MANAGEMENT);
  const isLocked = (state: string | undefined) => ['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'].includes(state ?? '');
  members = accounts.filter((account) => !isLocked(account.State)).map((account) => account.Id!);
  locked = accounts.filter((account) => isLocked(account.State)).map((account) => account.Id!);
});

afterAll(async () => {
  await emulator.close();
});

const assumeRole = (accountId: string, extra: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) =>
  new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`, RoleSessionName: 'contract', ...extra });

/** The members the management account may assume into (all but the demo's one without a role). */
async function assumableMembers(): Promise<string[]> {
  const outcomes = await Promise.allSettled(members.map((id) => management.sts.send(assumeRole(id))));
  return members.filter((_, index) => outcomes[index]!.status === 'fulfilled');
}

describe('GetCallerIdentity through the STS client', () => {
  it('names the management account for test/test', async () => {
    const identity = await management.sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: MANAGEMENT, Arn: `arn:aws:iam::${MANAGEMENT}:root`, UserId: MANAGEMENT });
  });

  it('names the account of a 12-digit access key id', async () => {
    const clients = emulator.clients({ accessKeyId: '210987654321', secretAccessKey: 'test' });
    expect(await clients.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '210987654321' });
  });
});

describe('AssumeRole through the STS client', () => {
  it('returns expiring temporary credentials that act as the member account', async () => {
    const [member] = await assumableMembers();
    const answer = await management.sts.send(assumeRole(member!, { DurationSeconds: 900 }));
    const credentials = answer.Credentials!;
    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(credentials.Expiration).toBeInstanceOf(Date);
    expect(answer.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${member}:assumed-role/${MEMBER_ROLE}/contract`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z0-9]{17}:contract$/),
    });

    const asMember = emulator.clients({
      accessKeyId: credentials.AccessKeyId!,
      secretAccessKey: credentials.SecretAccessKey!,
      sessionToken: credentials.SessionToken!,
    });
    expect(await asMember.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: member,
      Arn: answer.AssumedRoleUser!.Arn,
      UserId: answer.AssumedRoleUser!.AssumedRoleId,
    });
  });

  it('gives a member session the member view: its organization and enrollment, not the account directory', async () => {
    const [member] = await assumableMembers();
    const asMember = await emulator.clientsAsMember(member!);
    const organization = await asMember.organizations.send(new DescribeOrganizationCommand({}));
    expect(organization.Organization?.MasterAccountId).toBe(MANAGEMENT);
    const enrollment = await asMember.computeOptimizer.send(new GetEnrollmentStatusCommand({}));
    expect(enrollment.numberOfMemberAccountsOptedIn).toBeUndefined();
    expectSdkError(await sdkFailure(asMember.organizations.send(new ListAccountsCommand({}))), 'AccessDeniedException', 403);
  });

  it('denies exactly one demo member, the one with no member role, with AccessDenied 403', async () => {
    const assumable = await assumableMembers();
    const [denied] = members.filter((id) => !assumable.includes(id));
    expect(members.length - assumable.length).toBe(1);
    const error = await sdkFailure(management.sts.send(assumeRole(denied!)));
    expectSdkError(error, 'AccessDenied', 403);
    expect(error.message).toContain('is not authorized to perform: sts:AssumeRole');
  });

  it('denies every suspended, closing or closed member with AccessDenied 403, as AWS lets no one into them', async () => {
    expect(locked.length).toBeGreaterThan(0);
    for (const id of locked) expectSdkError(await sdkFailure(management.sts.send(assumeRole(id))), 'AccessDenied', 403);
  });

  it('denies an unknown role and an account outside the organization with AccessDenied 403', async () => {
    const unknownRole = new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${members[0]}:role/Nope`, RoleSessionName: 'contract' });
    expectSdkError(await sdkFailure(management.sts.send(unknownRole)), 'AccessDenied', 403);
    expectSdkError(await sdkFailure(management.sts.send(assumeRole('999999999999'))), 'AccessDenied', 403);
  });

  it('denies a member assuming into another member', async () => {
    const [first, second] = await assumableMembers();
    const asFirst = await emulator.clientsAsMember(first!);
    expectSdkError(await sdkFailure(asFirst.sts.send(assumeRole(second!))), 'AccessDenied', 403);
  });

  it('rejects a bad session name or duration with ValidationError 400', async () => {
    const [member] = await assumableMembers();
    expectSdkError(await sdkFailure(management.sts.send(assumeRole(member!, { RoleSessionName: 'x' }))), 'ValidationError', 400);
    expectSdkError(await sdkFailure(management.sts.send(assumeRole(member!, { DurationSeconds: 60 }))), 'ValidationError', 400);
    expectSdkError(await sdkFailure(management.sts.send(assumeRole(member!, { DurationSeconds: 43_201 }))), 'ValidationError', 400);
  });
});
