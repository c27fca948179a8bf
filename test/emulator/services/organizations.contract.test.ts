// Organizations through the unmodified SDK client (awsJson1_1): shapes, pagination, every error as the SDK parses it,
// and CreateAccount's IN_PROGRESS → SUCCEEDED / FAILED transitions.
import { GetEnrollmentStatusCommand } from '@aws-sdk/client-compute-optimizer';
import {
  CreateAccountCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListCreateAccountStatusCommand,
  paginateListAccounts,
  paginateListCreateAccountStatus,
  type CreateAccountCommandInput,
  type CreateAccountStatus,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSdkError,
  listAllAccounts,
  MANAGEMENT,
  pollUntil,
  sdkFailure,
  startContractEmulator,
  type Clients,
  type ContractEmulator,
} from './contract-fixture.js';

/** Short enough to watch transitions happen, long enough to see IN_PROGRESS first. */
const DELAY_MS = 300;

let emulator: ContractEmulator;
let management: Clients;
let member: string;

beforeAll(async () => {
  emulator = await startContractEmulator({ delayMs: DELAY_MS });
  management = emulator.clients();
  // A created, active member: its role exists and AWS lets the management account in.
  member = (await listAllAccounts(management.organizations)).find(
    (account) => account.Id !== MANAGEMENT && account.State === 'ACTIVE' && account.JoinedMethod === 'CREATED',
  )!.Id!;
});

afterAll(async () => {
  await emulator.close();
});

async function settled(organizations: OrganizationsClient, id: string): Promise<CreateAccountStatus> {
  const answer = await pollUntil(
    () => organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: id })),
    ({ CreateAccountStatus }) => CreateAccountStatus?.State !== 'IN_PROGRESS',
  );
  return answer.CreateAccountStatus!;
}

describe('DescribeOrganization through the Organizations client', () => {
  it('describes the organization', async () => {
    const { Organization } = await management.organizations.send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({
      Id: expect.stringMatching(/^o-[a-z0-9]{10}$/),
      FeatureSet: 'ALL',
      MasterAccountId: MANAGEMENT,
      MasterAccountArn: expect.stringMatching(/^arn:aws:organizations::000000000000:account\/o-[a-z0-9]{10}\/000000000000$/),
    });
  });

  it('answers AWSOrganizationsNotInUseException 404 to an account in no organization', async () => {
    const outsider = emulator.clients({ accessKeyId: '210987654321', secretAccessKey: 'test' });
    expectSdkError(
      await sdkFailure(outsider.organizations.send(new DescribeOrganizationCommand({}))),
      'AWSOrganizationsNotInUseException',
      404,
    );
  });
});

describe('ListAccounts and DescribeAccount through the Organizations client', () => {
  it('pages through every account with the SDK paginator', async () => {
    const pages = [];
    for await (const page of paginateListAccounts({ client: management.organizations, pageSize: 5 }, {})) pages.push(page);
    const sizes = pages.map((page) => page.Accounts?.length ?? 0);
    expect(sizes.slice(0, -1).every((size) => size === 5)).toBe(true);
    expect(sizes.at(-1)).toBeGreaterThan(0);
    const accounts = pages.flatMap((page) => page.Accounts ?? []);
    expect(accounts.length).toBeGreaterThanOrEqual(13);
    expect(new Set(accounts.map((account) => account.Id)).size).toBe(accounts.length);
    expect(accounts[0]).toMatchObject({ Id: MANAGEMENT, State: 'ACTIVE' });
    // Account.Status was retired on 2026-09-09; only State is answered (unless the emulator is told otherwise).
    expect(accounts.every((account) => account.Status === undefined)).toBe(true);
    for (const account of accounts) {
      expect(account).toMatchObject({
        Id: expect.stringMatching(/^\d{12}$/),
        Name: expect.any(String),
        Email: expect.any(String),
        JoinedMethod: expect.stringMatching(/^(INVITED|CREATED)$/),
      });
      expect(account.JoinedTimestamp).toBeInstanceOf(Date);
    }
  });

  it('describes an account as ListAccounts lists it', async () => {
    const [, listed] = await listAllAccounts(management.organizations);
    const { Account } = await management.organizations.send(new DescribeAccountCommand({ AccountId: listed!.Id }));
    expect(Account).toEqual(listed);
  });

  it('answers a bad AccountId, MaxResults or NextToken with InvalidInputException and its Reason', async () => {
    const badId = await sdkFailure(management.organizations.send(new DescribeAccountCommand({ AccountId: '42' })));
    expectSdkError(badId, 'InvalidInputException', 400);
    expect(badId.Reason).toBe('INVALID_PATTERN');
    const tooMany = await sdkFailure(management.organizations.send(new ListAccountsCommand({ MaxResults: 21 })));
    expectSdkError(tooMany, 'InvalidInputException', 400);
    expect(tooMany.Reason).toBe('MAX_VALUE_EXCEEDED');
    const badToken = await sdkFailure(management.organizations.send(new ListAccountsCommand({ NextToken: 'forged' })));
    expect(badToken.Reason).toBe('INVALID_NEXT_TOKEN');
  });

  it('answers AccountNotFoundException 404 for an account outside the organization', async () => {
    expectSdkError(
      await sdkFailure(management.organizations.send(new DescribeAccountCommand({ AccountId: '999999999999' }))),
      'AccountNotFoundException',
      404,
    );
  });

  it('denies a member session with AccessDeniedException 403', async () => {
    const asMember = await emulator.clientsAsMember(member);
    expectSdkError(await sdkFailure(asMember.organizations.send(new ListAccountsCommand({}))), 'AccessDeniedException', 403);
    expectSdkError(
      await sdkFailure(asMember.organizations.send(new DescribeAccountCommand({ AccountId: member }))),
      'AccessDeniedException',
      403,
    );
  });
});

describe('CreateAccount through the Organizations client', () => {
  it('goes IN_PROGRESS → SUCCEEDED, and the new account joins with its role, Compute Optimizer Inactive', async () => {
    const { CreateAccountStatus: started } = await management.organizations.send(
      new CreateAccountCommand({ Email: 'contract-new@example.com', AccountName: 'contract-new', RoleName: 'Admin' }),
    );
    expect(started).toMatchObject({ State: 'IN_PROGRESS', AccountName: 'contract-new', Id: expect.stringMatching(/^car-[a-z0-9]{32}$/) });
    expect(started!.RequestedTimestamp).toBeInstanceOf(Date);

    const done = await settled(management.organizations, started!.Id!);
    expect(done).toMatchObject({ State: 'SUCCEEDED', AccountId: expect.stringMatching(/^\d{12}$/) });
    expect(done.CompletedTimestamp).toBeInstanceOf(Date);

    const joined = (await listAllAccounts(management.organizations)).find((account) => account.Id === done.AccountId);
    expect(joined).toMatchObject({ Name: 'contract-new', State: 'ACTIVE', JoinedMethod: 'CREATED' });

    const session = await management.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${done.AccountId}:role/Admin`, RoleSessionName: 'contract' }),
    );
    const asNewAccount = emulator.clients({
      accessKeyId: session.Credentials!.AccessKeyId!,
      secretAccessKey: session.Credentials!.SecretAccessKey!,
      sessionToken: session.Credentials!.SessionToken!,
    });
    expect((await asNewAccount.computeOptimizer.send(new GetEnrollmentStatusCommand({}))).status).toBe('Inactive');
  });

  it('fails EMAIL_ALREADY_EXISTS for the email of an existing account', async () => {
    const [, existing] = await listAllAccounts(management.organizations);
    const { CreateAccountStatus: started } = await management.organizations.send(
      new CreateAccountCommand({ Email: existing!.Email, AccountName: 'duplicate' }),
    );
    const done = await settled(management.organizations, started!.Id!);
    expect(done).toMatchObject({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' });
    expect(done.AccountId).toBeUndefined();
  });

  it('fails ACCOUNT_LIMIT_EXCEEDED when the organization would outgrow its account quota', async () => {
    // 12 members, the management account and the demo's own pending creation fill a quota of 14.
    const full = await startContractEmulator({ delayMs: DELAY_MS, maxAccounts: 14 });
    try {
      const { organizations } = full.clients();
      const { CreateAccountStatus: started } = await organizations.send(
        new CreateAccountCommand({ Email: 'one-too-many@example.com', AccountName: 'one-too-many' }),
      );
      const done = await settled(organizations, started!.Id!);
      expect(done).toMatchObject({ State: 'FAILED', FailureReason: 'ACCOUNT_LIMIT_EXCEEDED' });
      expect(await listAllAccounts(organizations)).toHaveLength(14);
    } finally {
      await full.close();
    }
  });

  it('rejects invalid input with InvalidInputException and its Reason', async () => {
    const cases: Array<[CreateAccountCommandInput, string]> = [
      [{ Email: 'not-an-email', AccountName: 'x' }, 'INVALID_PATTERN'],
      [{ Email: 'ok@example.com', AccountName: 'n'.repeat(51) }, 'MAX_LENGTH_EXCEEDED'],
      [{ Email: 'ok@example.com', AccountName: 'x', RoleName: 'bad/name' }, 'INVALID_PATTERN'],
      [{ Email: 'ok@example.com', AccountName: 'x', Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] }, 'DUPLICATE_TAG_KEY'],
    ];
    for (const [input, reason] of cases) {
      const error = await sdkFailure(management.organizations.send(new CreateAccountCommand(input)));
      expectSdkError(error, 'InvalidInputException', 400);
      expect(error.Reason).toBe(reason);
    }
  });

  it('denies a member session with AccessDeniedException 403', async () => {
    const asMember = await emulator.clientsAsMember(member);
    expectSdkError(
      await sdkFailure(asMember.organizations.send(new CreateAccountCommand({ Email: 'm@example.com', AccountName: 'm' }))),
      'AccessDeniedException',
      403,
    );
  });

  it('refuses a sixth creation in progress with ConstraintViolationException 409', async () => {
    // A delay long enough that five creations are still in progress when the sixth arrives.
    const slow = await startContractEmulator({ delayMs: 60_000 });
    try {
      const { organizations } = slow.clients();
      const inProgress = (await organizations.send(new ListCreateAccountStatusCommand({ States: ['IN_PROGRESS'] })))
        .CreateAccountStatuses!.length;
      for (let i = inProgress; i < 5; i++) {
        await organizations.send(new CreateAccountCommand({ Email: `slow-${i}@example.com`, AccountName: `slow-${i}` }));
      }
      const error = await sdkFailure(organizations.send(new CreateAccountCommand({ Email: 'sixth@example.com', AccountName: 'sixth' })));
      expectSdkError(error, 'ConstraintViolationException', 409);
      expect(error.Reason).toBe('ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED');
    } finally {
      await slow.close();
    }
  });
});

describe('DescribeCreateAccountStatus and ListCreateAccountStatus through the Organizations client', () => {
  it('answers a malformed request id with InvalidInputException and an unknown one with CreateAccountStatusNotFoundException', async () => {
    const malformed = await sdkFailure(
      management.organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: 'car-x' })),
    );
    expectSdkError(malformed, 'InvalidInputException', 400);
    expect(malformed.Reason).toBe('INVALID_PATTERN');
    expectSdkError(
      await sdkFailure(
        management.organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: 'car-exampleaccountcreationrequestid' })),
      ),
      'CreateAccountStatusNotFoundException',
      404,
    );
  });

  it('pages through the requests with the SDK paginator, filtered by state', async () => {
    const all = [];
    for await (const page of paginateListCreateAccountStatus({ client: management.organizations, pageSize: 2 }, {})) {
      expect(page.CreateAccountStatuses!.length).toBeLessThanOrEqual(2);
      all.push(...page.CreateAccountStatuses!);
    }
    expect(all.length).toBeGreaterThan(2);
    const failed = [];
    for await (const page of paginateListCreateAccountStatus({ client: management.organizations, pageSize: 1 }, { States: ['FAILED'] })) {
      failed.push(...page.CreateAccountStatuses!);
    }
    expect(failed.length).toBeGreaterThan(0);
    expect(failed).toEqual(all.filter((status) => status.State === 'FAILED'));
    for (const status of failed) expect(status.FailureReason).toBeDefined();
  });

  it('denies a member session with AccessDeniedException 403', async () => {
    const asMember = await emulator.clientsAsMember(member);
    expectSdkError(
      await sdkFailure(asMember.organizations.send(new ListCreateAccountStatusCommand({}))),
      'AccessDeniedException',
      403,
    );
  });
});
