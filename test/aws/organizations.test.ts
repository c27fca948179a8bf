import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

const MEMBER_ACCOUNTS = 45;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ memberAccounts: MEMBER_ACCOUNTS });
});
afterAll(() => harness.close());
beforeEach(() => harness.resetCalls());

describe('getCallerIdentity', () => {
  it("answers the management account's identity", async () => {
    expect(await harness.services.getCallerIdentity()).toEqual({
      accountId: MANAGEMENT_ACCOUNT_ID,
      arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root`,
      userId: expect.any(String),
    });
  });
});

describe('describeOrganization', () => {
  it('maps the organization, its management account named as such', async () => {
    const organization = await harness.services.describeOrganization();
    expect(organization).toEqual({
      id: expect.stringMatching(/^o-[a-z0-9]{10,32}$/),
      arn: expect.stringContaining(':organization/o-'),
      featureSet: 'ALL',
      managementAccountId: MANAGEMENT_ACCOUNT_ID,
      managementAccountArn: expect.stringContaining(`/${MANAGEMENT_ACCOUNT_ID}`),
      managementAccountEmail: expect.stringContaining('@'),
    });
  });

  it('answers null for an account in no organization', async () => {
    // An account id as access key is that account's root in the emulator; 999999999999 belongs to no organization.
    const outsider = harness.servicesWith({ credentials: { accessKeyId: '999999999999', secretAccessKey: 'test' } });
    expect(await outsider.describeOrganization()).toBeNull();
  });
});

describe('listAccounts', () => {
  it('reads every account, 20 a page, one page after another', async () => {
    const accounts = await harness.services.listAccounts();
    expect(accounts.length).toBeGreaterThan(MEMBER_ACCOUNTS);
    expect(new Set(accounts.map((account) => account.id)).size).toBe(accounts.length);
    expect(accounts.map((account) => account.id)).toContain(MANAGEMENT_ACCOUNT_ID);
    expect((await harness.calls())['organizations:ListAccounts']).toBe(Math.ceil(accounts.length / 20));
  });

  it('maps each account with Dates and the raw state strings', async () => {
    const [management] = (await harness.services.listAccounts()).filter((account) => account.id === MANAGEMENT_ACCOUNT_ID);
    expect(management).toEqual({
      id: MANAGEMENT_ACCOUNT_ID,
      arn: expect.stringContaining(MANAGEMENT_ACCOUNT_ID),
      email: expect.stringContaining('@'),
      name: expect.any(String),
      state: 'ACTIVE',
      // Account.Status was retired on 2026-09-09; Paths place the account in the organization's tree.
      paths: [expect.stringMatching(/^o-[a-z0-9]{10}\/r-[0-9a-z]{4}\/000000000000\/$/)],
      joinedMethod: expect.stringMatching(/^(INVITED|CREATED)$/),
      joinedTimestamp: expect.any(Date),
    });
    const states = new Set((await harness.services.listAccounts()).map((account) => account.state));
    expect(states).toContain('ACTIVE');
    expect(states).toContain('SUSPENDED');
  });
});

describe('describeAccount', () => {
  it('answers the same account listAccounts lists', async () => {
    const accounts = await harness.services.listAccounts();
    const member = accounts.find((account) => account.id !== MANAGEMENT_ACCOUNT_ID)!;
    expect(await harness.services.describeAccount(member.id)).toEqual(member);
  });

  it('answers null for an account outside the organization', async () => {
    expect(await harness.services.describeAccount('123456789012')).toBeNull();
  });
});

describe('listCreateAccountStatuses and describeCreateAccountStatus', () => {
  it('read every creation request, 20 a page', async () => {
    const requests = await harness.services.listCreateAccountStatuses();
    expect(requests.length).toBeGreaterThan(20);
    expect(new Set(requests.map((request) => request.id)).size).toBe(requests.length);
    expect((await harness.calls())['organizations:ListCreateAccountStatus']).toBe(Math.ceil(requests.length / 20));
  });

  it('map a request the same way in both, with Dates', async () => {
    const requests = await harness.services.listCreateAccountStatuses();
    const succeeded = requests.find((request) => request.state === 'SUCCEEDED')!;
    expect(succeeded).toMatchObject({
      id: expect.stringMatching(/^car-[a-z0-9]{8,32}$/),
      accountName: expect.any(String),
      requestedTimestamp: expect.any(Date),
      completedTimestamp: expect.any(Date),
      accountId: expect.stringMatching(/^\d{12}$/),
    });
    expect(await harness.services.describeCreateAccountStatus(succeeded.id)).toEqual(succeeded);
  });

  it('answer null for a request id nobody made', async () => {
    expect(await harness.services.describeCreateAccountStatus('car-doesnotexist000')).toBeNull();
  });
});

describe('createAccount', () => {
  it('starts a creation that settles into a new account of the organization', async () => {
    const accountName = 'statusgraph-created';
    const started = await harness.services.createAccount({
      email: 'statusgraph-created@example.com',
      accountName,
      tags: [{ key: 'team', value: 'platform' }],
    });
    expect(started).toEqual({
      id: expect.stringMatching(/^car-/),
      accountName,
      state: 'IN_PROGRESS',
      requestedTimestamp: expect.any(Date),
    });
    harness.emulator.release(`creation:${started.id}`);
    const settled = (await harness.services.describeCreateAccountStatus(started.id))!;
    expect(settled.state).toBe('SUCCEEDED');
    expect(settled.accountId).toMatch(/^\d{12}$/);
    expect(await harness.services.describeAccount(settled.accountId!)).toMatchObject({
      id: settled.accountId,
      name: accountName,
      joinedMethod: 'CREATED',
    });
  });

  it('reports a failed creation with its reason', async () => {
    const [existing] = (await harness.services.listAccounts()).filter((account) => account.id !== MANAGEMENT_ACCOUNT_ID);
    const started = await harness.services.createAccount({ email: existing!.email!, accountName: 'duplicate-email' });
    harness.emulator.release(`creation:${started.id}`);
    const failed = (await harness.services.describeCreateAccountStatus(started.id))!;
    expect(failed.state).toBe('FAILED');
    expect(failed.failureReason).toBe('EMAIL_ALREADY_EXISTS');
  });
});
