import { describe, expect, it } from 'vitest';
import {
  allAccounts,
  allCreationRequests,
  MANAGEMENT,
  readAll,
  testWorld,
  ORGANIZATIONS_TOKENS,
  type TestWorld,
} from './world-fixture.js';

const DELAY_MS = 60_000;

async function aMember(world: TestWorld): Promise<string> {
  const accounts = await allAccounts(world);
  return accounts.find((account) => account.Id !== MANAGEMENT)!.Id as string;
}

/** Everything CreateAccount could change, to show a rejected call changed nothing. */
async function snapshot(world: TestWorld) {
  return { accounts: await allAccounts(world), requests: await allCreationRequests(world) };
}

const validAccount = { Email: 'new-team@example.com', AccountName: 'new-team-prod' };

describe('DescribeOrganization', () => {
  it('describes the organization to the management account and to members alike', async () => {
    const world = testWorld();
    const asManagement = await world.call('organizations', 'DescribeOrganization');
    const asMember = await world.call('organizations', 'DescribeOrganization', {}, { accessKeyId: await aMember(world) });
    const organization = asManagement.Organization as Record<string, string>;
    expect(organization.Id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(organization).toMatchObject({
      Arn: `arn:aws:organizations::${MANAGEMENT}:organization/${organization.Id}`,
      FeatureSet: 'ALL',
      MasterAccountId: MANAGEMENT,
      MasterAccountArn: `arn:aws:organizations::${MANAGEMENT}:account/${organization.Id}/${MANAGEMENT}`,
    });
    expect(organization.MasterAccountEmail).toMatch(/@example\.com$/);
    expect(asMember).toEqual(asManagement);
  });

  it('tells an account outside any organization that Organizations is not in use', async () => {
    const error = await testWorld().failure('organizations', 'DescribeOrganization', {}, { accessKeyId: '999999999999' });
    expect(error).toMatchObject({ code: 'AWSOrganizationsNotInUseException', status: 404 });
  });
});

describe('ListAccounts', () => {
  it('pages through every account, management first, 20 a page by default', async () => {
    const world = testWorld({ memberAccounts: 45 });
    const { items, pageSizes } = await readAll(world, 'organizations', 'ListAccounts', 'Accounts', ORGANIZATIONS_TOKENS);
    expect(pageSizes).toEqual([20, 20, 6]);
    expect(items[0]!.Id).toBe(MANAGEMENT);
    expect(new Set(items.map((account) => account.Id)).size).toBe(46);
    for (const account of items) {
      expect(account.Id).toMatch(/^\d{12}$/);
      expect(account.Arn).toMatch(/^arn:aws:organizations::000000000000:account\/o-[a-z0-9]{10}\/\d{12}$/);
      expect(account.JoinedTimestamp).toBeInstanceOf(Date);
      expect(['INVITED', 'CREATED']).toContain(account.JoinedMethod);
    }
  });

  it('honours MaxResults and says there is no next page on the last one', async () => {
    const world = testWorld({ memberAccounts: 4 });
    const { pageSizes } = await readAll(world, 'organizations', 'ListAccounts', 'Accounts', ORGANIZATIONS_TOKENS, { MaxResults: 2 });
    expect(pageSizes).toEqual([2, 2, 1]);
    const single = await world.call('organizations', 'ListAccounts', { MaxResults: 20 });
    expect(single.NextToken).toBeUndefined();
  });

  it.each([0, 21, -1])('rejects MaxResults %s with InvalidInputException', async (maxResults) => {
    const error = await testWorld().failure('organizations', 'ListAccounts', { MaxResults: maxResults });
    expect(error).toMatchObject({ code: 'InvalidInputException', status: 400 });
    expect(error.fields.Reason).toBe(maxResults > 20 ? 'MAX_VALUE_EXCEEDED' : 'MIN_VALUE_EXCEEDED');
  });

  it.each(['not-a-token', Buffer.from('{"op":"ListCreateAccountStatus","at":1}').toString('base64url'), Buffer.from('{"op":"ListAccounts","at":9999}').toString('base64url')])(
    'rejects the token %s as INVALID_NEXT_TOKEN',
    async (token) => {
      const error = await testWorld().failure('organizations', 'ListAccounts', { NextToken: token });
      expect(error).toMatchObject({ code: 'InvalidInputException', fields: { Reason: 'INVALID_NEXT_TOKEN' } });
    },
  );

  it('denies members with AccessDeniedException', async () => {
    const world = testWorld();
    const error = await world.failure('organizations', 'ListAccounts', {}, { accessKeyId: await aMember(world) });
    expect(error).toMatchObject({ code: 'AccessDeniedException', status: 403 });
  });
});

describe('DescribeAccount', () => {
  it('describes a member as ListAccounts does', async () => {
    const world = testWorld();
    const listed = (await allAccounts(world))[3]!;
    const described = await world.call('organizations', 'DescribeAccount', { AccountId: listed.Id });
    expect(described.Account).toEqual(listed);
  });

  it.each([
    ['12345', 'INVALID_PATTERN'],
    ['12345678901a', 'INVALID_PATTERN'],
    [undefined, 'INPUT_REQUIRED'],
  ])('rejects AccountId %s with Reason %s', async (accountId, reason) => {
    const error = await testWorld().failure('organizations', 'DescribeAccount', { AccountId: accountId });
    expect(error).toMatchObject({ code: 'InvalidInputException', status: 400, fields: { Reason: reason } });
  });

  it('answers AccountNotFoundException for an account outside the organization', async () => {
    const error = await testWorld().failure('organizations', 'DescribeAccount', { AccountId: '999999999999' });
    expect(error).toMatchObject({ code: 'AccountNotFoundException', status: 404 });
  });
});

describe('CreateAccount', () => {
  it('starts IN_PROGRESS, then SUCCEEDED after the delay with a new CREATED, ACTIVE account', async () => {
    const world = testWorld();
    world.advance(DELAY_MS); // let the demo's own pending creation finish first
    const accountsBefore = (await allAccounts(world)).length;
    const created = await world.call('organizations', 'CreateAccount', { ...validAccount, RoleName: 'PlatformAdmin' });
    const status = created.CreateAccountStatus as Record<string, unknown>;
    expect(status).toMatchObject({ State: 'IN_PROGRESS', AccountName: 'new-team-prod', RequestedTimestamp: world.now });
    expect(status.Id).toMatch(/^car-[a-z0-9]{32}$/);
    expect(status.AccountId).toBeUndefined();
    expect(status.CompletedTimestamp).toBeUndefined();

    world.advance(DELAY_MS - 1);
    const stillRunning = await world.call('organizations', 'DescribeCreateAccountStatus', { CreateAccountRequestId: status.Id });
    expect((stillRunning.CreateAccountStatus as Record<string, unknown>).State).toBe('IN_PROGRESS');
    expect(await allAccounts(world)).toHaveLength(accountsBefore);

    world.advance(1);
    const done = (await world.call('organizations', 'DescribeCreateAccountStatus', { CreateAccountRequestId: status.Id }))
      .CreateAccountStatus as Record<string, unknown>;
    expect(done).toMatchObject({ State: 'SUCCEEDED', CompletedTimestamp: world.now });
    expect(done.AccountId).toMatch(/^\d{12}$/);
    const accounts = await allAccounts(world);
    expect(accounts).toHaveLength(accountsBefore + 1);
    expect(accounts.at(-1)).toMatchObject({
      Id: done.AccountId,
      Name: 'new-team-prod',
      Email: 'new-team@example.com',
      State: 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: world.now,
    });
  });

  it('fails EMAIL_ALREADY_EXISTS for the email of an existing account, without creating one', async () => {
    const world = testWorld();
    world.advance(DELAY_MS); // let the demo's own pending creation finish first
    const existing = (await allAccounts(world))[2]!;
    const accountsBefore = (await allAccounts(world)).length;
    const created = await world.call('organizations', 'CreateAccount', {
      Email: (existing.Email as string).toUpperCase(),
      AccountName: 'duplicate',
    });
    world.advance(DELAY_MS);
    const id = (created.CreateAccountStatus as Record<string, unknown>).Id;
    const done = (await world.call('organizations', 'DescribeCreateAccountStatus', { CreateAccountRequestId: id }))
      .CreateAccountStatus as Record<string, unknown>;
    expect(done).toMatchObject({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' });
    expect(done.AccountId).toBeUndefined();
    expect(await allAccounts(world)).toHaveLength(accountsBefore);
  });

  it('fails EMAIL_ALREADY_EXISTS for an email an earlier request is still creating an account with', async () => {
    const world = testWorld();
    const first = await world.call('organizations', 'CreateAccount', validAccount);
    const second = await world.call('organizations', 'CreateAccount', { ...validAccount, AccountName: 'again' });
    world.advance(DELAY_MS);
    const states = await Promise.all(
      [first, second].map(async (created) => {
        const id = (created.CreateAccountStatus as Record<string, unknown>).Id;
        const status = await world.call('organizations', 'DescribeCreateAccountStatus', { CreateAccountRequestId: id });
        return (status.CreateAccountStatus as Record<string, unknown>).FailureReason ?? 'SUCCEEDED';
      }),
    );
    expect(states).toEqual(['SUCCEEDED', 'EMAIL_ALREADY_EXISTS']);
  });

  it('fails ACCOUNT_LIMIT_EXCEEDED once the organization would outgrow maxAccounts', async () => {
    // 12 members + management + the demo's own pending creation = 14 accounts: room for exactly one more.
    const world = testWorld({ maxAccounts: 15 });
    const fits = await world.call('organizations', 'CreateAccount', validAccount);
    const overflows = await world.call('organizations', 'CreateAccount', { Email: 'one-more@example.com', AccountName: 'one-more' });
    world.advance(DELAY_MS);
    const outcome = async (created: Record<string, unknown>) =>
      (
        await world.call('organizations', 'DescribeCreateAccountStatus', {
          CreateAccountRequestId: (created.CreateAccountStatus as Record<string, unknown>).Id,
        })
      ).CreateAccountStatus;
    expect(await outcome(fits)).toMatchObject({ State: 'SUCCEEDED' });
    expect(await outcome(overflows)).toMatchObject({ State: 'FAILED', FailureReason: 'ACCOUNT_LIMIT_EXCEEDED' });
    expect(await allAccounts(world)).toHaveLength(15);
  });

  it('allows five creations in progress and refuses the sixth with ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED', async () => {
    const world = testWorld();
    world.advance(DELAY_MS); // let the demo's own pending creation finish first
    for (let i = 0; i < 5; i++) {
      await world.call('organizations', 'CreateAccount', { Email: `batch-${i}@example.com`, AccountName: `batch-${i}` });
    }
    const before = await snapshot(world);
    const error = await world.failure('organizations', 'CreateAccount', { Email: 'batch-6@example.com', AccountName: 'batch-6' });
    expect(error).toMatchObject({
      code: 'ConstraintViolationException',
      status: 409,
      fields: { Reason: 'ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED' },
    });
    expect(await snapshot(world)).toEqual(before);
    world.advance(DELAY_MS);
    await expect(
      world.call('organizations', 'CreateAccount', { Email: 'batch-6@example.com', AccountName: 'batch-6' }),
    ).resolves.toMatchObject({ CreateAccountStatus: { State: 'IN_PROGRESS' } });
  });

  it.each([
    ['a missing Email', { AccountName: 'x' }, 'INPUT_REQUIRED'],
    ['a missing AccountName', { Email: 'ok@example.com' }, 'INPUT_REQUIRED'],
    ['an Email that is no address', { ...validAccount, Email: 'not-an-email' }, 'INVALID_PATTERN'],
    ['an Email with a space', { ...validAccount, Email: 'a b@example.com' }, 'INVALID_PATTERN'],
    ['an Email under 6 characters', { ...validAccount, Email: 'a@b.c' }, 'MIN_LENGTH_EXCEEDED'],
    ['an Email over 64 characters', { ...validAccount, Email: `${'a'.repeat(60)}@example.com` }, 'MAX_LENGTH_EXCEEDED'],
    ['an empty AccountName', { ...validAccount, AccountName: '' }, 'MIN_LENGTH_EXCEEDED'],
    ['an AccountName over 50 characters', { ...validAccount, AccountName: 'n'.repeat(51) }, 'MAX_LENGTH_EXCEEDED'],
    ['an AccountName outside printable ASCII', { ...validAccount, AccountName: 'tab\there' }, 'INVALID_PATTERN'],
    ['a RoleName with a slash', { ...validAccount, RoleName: 'bad/role' }, 'INVALID_PATTERN'],
    ['a RoleName over 64 characters', { ...validAccount, RoleName: 'r'.repeat(65) }, 'MAX_LENGTH_EXCEEDED'],
    ['a reserved RoleName', { ...validAccount, RoleName: 'AWSServiceRoleForSomething' }, 'INVALID_ROLE_NAME'],
    ['an unknown IamUserAccessToBilling', { ...validAccount, IamUserAccessToBilling: 'MAYBE' }, 'INVALID_ENUM'],
    ['a tag without a value', { ...validAccount, Tags: [{ Key: 'team' }] }, 'INPUT_REQUIRED'],
    ['a tag key over 128 characters', { ...validAccount, Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }, 'MAX_LENGTH_EXCEEDED'],
    ['a tag value over 256 characters', { ...validAccount, Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }, 'MAX_LENGTH_EXCEEDED'],
    ['a tag key with a forbidden character', { ...validAccount, Tags: [{ Key: 'cost#center', Value: 'v' }] }, 'INVALID_PATTERN'],
    ['a duplicated tag key', { ...validAccount, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] }, 'DUPLICATE_TAG_KEY'],
    ['a system tag key', { ...validAccount, Tags: [{ Key: 'aws:owner', Value: 'me' }] }, 'INVALID_SYSTEM_TAGS_PARAMETER'],
  ])('rejects %s with InvalidInputException %s and changes nothing', async (_case, input, reason) => {
    const world = testWorld();
    const before = await snapshot(world);
    const error = await world.failure('organizations', 'CreateAccount', input);
    expect(error).toMatchObject({ code: 'InvalidInputException', status: 400, fields: { Reason: reason } });
    expect(await snapshot(world)).toEqual(before);
  });

  it('never echoes the email or account name in a validation message', async () => {
    const error = await testWorld().failure('organizations', 'CreateAccount', { Email: 'secret-person', AccountName: 'n'.repeat(51) });
    expect(error.message).not.toContain('secret-person');
    expect(error.message).not.toContain('n'.repeat(51));
    expect(error.message).toContain('Sensitive Data Redacted');
  });

  it('accepts 50 valid tags and refuses 51 with MAX_TAG_LIMIT_EXCEEDED', async () => {
    const world = testWorld();
    const tags = (count: number) => Array.from({ length: count }, (_, i) => ({ Key: `key-${i}`, Value: `value ${i}` }));
    await expect(world.call('organizations', 'CreateAccount', { ...validAccount, Tags: tags(50) })).resolves.toBeDefined();
    const error = await world.failure('organizations', 'CreateAccount', { Email: 'other@example.com', AccountName: 'x', Tags: tags(51) });
    expect(error).toMatchObject({ code: 'ConstraintViolationException', fields: { Reason: 'MAX_TAG_LIMIT_EXCEEDED' } });
  });

  it('denies members with AccessDeniedException and changes nothing', async () => {
    const world = testWorld();
    const before = await snapshot(world);
    const error = await world.failure('organizations', 'CreateAccount', validAccount, { accessKeyId: await aMember(world) });
    expect(error).toMatchObject({ code: 'AccessDeniedException', status: 403 });
    expect(await snapshot(world)).toEqual(before);
  });
});

describe('DescribeCreateAccountStatus', () => {
  it.each([
    ['car-short', 'INVALID_PATTERN'],
    ['car-UPPERCASE123', 'INVALID_PATTERN'],
    [`car-${'a'.repeat(33)}`, 'INVALID_PATTERN'],
    ['abc-12345678', 'INVALID_PATTERN'],
    [undefined, 'INPUT_REQUIRED'],
  ])('rejects the id %s with Reason %s', async (id, reason) => {
    const error = await testWorld().failure('organizations', 'DescribeCreateAccountStatus', { CreateAccountRequestId: id });
    expect(error).toMatchObject({ code: 'InvalidInputException', fields: { Reason: reason } });
  });

  it('answers CreateAccountStatusNotFoundException for a well-formed unknown id', async () => {
    const error = await testWorld().failure('organizations', 'DescribeCreateAccountStatus', { CreateAccountRequestId: 'car-exampleaccountcreationrequestid' });
    expect(error).toMatchObject({ code: 'CreateAccountStatusNotFoundException', status: 404 });
  });

  it('denies members', async () => {
    const world = testWorld();
    const [request] = await allCreationRequests(world);
    const error = await world.failure(
      'organizations',
      'DescribeCreateAccountStatus',
      { CreateAccountRequestId: request!.Id },
      { accessKeyId: await aMember(world) },
    );
    expect(error).toMatchObject({ code: 'AccessDeniedException', status: 403 });
  });
});

describe('ListCreateAccountStatus', () => {
  it('pages through every request in the order they were made', async () => {
    const world = testWorld({ memberAccounts: 60 });
    const { items, pageSizes } = await readAll(
      world,
      'organizations',
      'ListCreateAccountStatus',
      'CreateAccountStatuses',
      ORGANIZATIONS_TOKENS,
      { MaxResults: 7 },
    );
    expect(pageSizes.slice(0, -1).every((size) => size === 7)).toBe(true);
    const requested = items.map((item) => (item.RequestedTimestamp as Date).getTime());
    expect(requested).toEqual([...requested].sort((a, b) => a - b));
    expect(new Set(items.map((item) => item.Id)).size).toBe(items.length);
  });

  it('filters by States across pages', async () => {
    const world = testWorld({ memberAccounts: 200 });
    const all = await allCreationRequests(world);
    const failed = await allCreationRequests(world, { States: ['FAILED'], MaxResults: 1 });
    expect(failed.length).toBeGreaterThan(1);
    expect(failed).toEqual(all.filter((item) => item.State === 'FAILED'));
    const settled = await allCreationRequests(world, { States: ['SUCCEEDED', 'FAILED'] });
    expect(settled).toEqual(all.filter((item) => item.State !== 'IN_PROGRESS'));
  });

  it('rejects an unknown state with INVALID_ENUM', async () => {
    const error = await testWorld().failure('organizations', 'ListCreateAccountStatus', { States: ['DONE'] });
    expect(error).toMatchObject({ code: 'InvalidInputException', fields: { Reason: 'INVALID_ENUM' } });
  });

  it('rejects a ListAccounts token', async () => {
    const world = testWorld({ memberAccounts: 30 });
    const page = await world.call('organizations', 'ListAccounts');
    const error = await world.failure('organizations', 'ListCreateAccountStatus', { NextToken: page.NextToken });
    expect(error).toMatchObject({ code: 'InvalidInputException', fields: { Reason: 'INVALID_NEXT_TOKEN' } });
  });
});
