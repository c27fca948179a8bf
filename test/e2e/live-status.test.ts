// Mutations and subscriptions end to end: a real graphql-ws client follows changes the mutations start in the emulator.
// Transitions never complete by themselves here (a 10-minute delay): each test holds or releases them through the
// emulator's control API, so the order of events does not depend on how busy the machine is.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, startStack, type Stack } from '../support/stack.js';
import { record, wsClient } from '../support/ws.js';

const ACCOUNT_STATUS = /* GraphQL */ `
  subscription Watch($ids: [AccountId!], $sources: [StatusSource!]) {
    accountStatusChanged(accountIds: $ids, sources: $sources) {
      accountId source region previous current changedAt
      error { code message aws { service operation code } }
      account { id fleetwiseRegistration { accountStatus } }
    }
  }
`;

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterFleetwiseAccountInput!) {
    registerFleetwiseAccount(input: $input) { region accountStatus customerAccountId iam { roleArn registrationStatus } }
  }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateAccountInput!) {
    createAccount(input: $input) { id state accountName }
  }
`;

const ENROLL = /* GraphQL */ `
  mutation Enroll($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }
`;

const FOLLOW = /* GraphQL */ `
  subscription Follow($id: CreateAccountRequestId!) {
    createAccountRequestChanged(id: $id) { id state failureReason accountId account { id joinedMethod } }
  }
`;

describe('live status', () => {
  let stack: Stack;
  let client: Client;
  /** Active member accounts that can be read (a member role exists) and never registered with FleetWise. */
  let unregistered: string[];
  let takenEmail: string;

  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 40,
      delayMs: 600_000,
      env: {
        STATUSGRAPH_POLL_FAST_MS: '100',
        STATUSGRAPH_POLL_SLOW_MS: '300',
        STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '100',
        STATUSGRAPH_CACHE_TTL_SETTLED_MS: '300',
      },
    });
    client = wsClient(stack.graphqlUrl);
    const result = await stack.gql(`{ organization { accounts(first: 100) { nodes { id email state joinedMethod fleetwiseRegistration { accountStatus } } } } }`);
    const failedPaths = new Set((result.errors ?? []).map((error) => String(error.path?.[3])));
    const nodes: any[] = result.data!.organization.accounts.nodes;
    unregistered = nodes
      .filter((node, index) => node.state === 'ACTIVE' && node.id !== '000000000000' && !node.fleetwiseRegistration && !failedPaths.has(String(index)))
      .map((node) => node.id);
    takenEmail = nodes.find((node) => node.email).email;
    expect(unregistered.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('follows registerFleetwiseAccount from "none" through REGISTRATION_PENDING to REGISTRATION_SUCCESS', async () => {
    const accountId = unregistered[0]!;
    const events = record(client, ACCOUNT_STATUS, { ids: [accountId], sources: ['FLEETWISE_REGISTRATION'] });
    const first = await events.waitFor(() => true, 'the current state');
    expect(first.accountStatusChanged).toMatchObject({ accountId, source: 'FLEETWISE_REGISTRATION', region: 'us-east-1', previous: null, current: null });

    stack.emulator.hold(`fleetwise:${accountId}`);
    const registered = await stack.gql(REGISTER, {
      input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWiseRole` },
    });
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.registerFleetwiseAccount).toMatchObject({ accountStatus: 'REGISTRATION_PENDING', customerAccountId: accountId });

    const pending = await events.waitFor((event) => event.accountStatusChanged?.current === 'REGISTRATION_PENDING', 'PENDING');
    expect(pending.accountStatusChanged.previous).toBeNull();
    expect(stack.emulator.release(`fleetwise:${accountId}`)).toEqual([`fleetwise:${accountId}:us-east-1`]);
    const success = await events.waitFor((event) => event.accountStatusChanged?.current === 'REGISTRATION_SUCCESS', 'SUCCESS');
    expect(success.accountStatusChanged.previous).toBe('REGISTRATION_PENDING');
    // Nested fields of each event are read with that event's own loaders, not the first event's.
    expect(success.accountStatusChanged.account.fleetwiseRegistration.accountStatus).toBe('REGISTRATION_SUCCESS');
    events.unsubscribe();
  });

  it('follows createAccount from IN_PROGRESS to SUCCEEDED, and the subscription completes', async () => {
    stack.emulator.hold('creation');
    const created = await stack.gql(CREATE, {
      input: { email: 'new-team@example.com', accountName: 'new team', idempotencyKey: 'create-new-team-1' },
    });
    expect(created.errors).toBeUndefined();
    const request = created.data!.createAccount;
    expect(request.state).toBe('IN_PROGRESS');

    const events = record(client, FOLLOW, { id: request.id });
    const first = await events.waitFor(() => true, 'the current state');
    expect(first.createAccountRequestChanged).toMatchObject({ id: request.id, state: 'IN_PROGRESS', accountId: null });
    expect(stack.emulator.release(`creation:${request.id}`)).toEqual([`creation:${request.id}`]);
    const done = await events.waitFor((event) => event.createAccountRequestChanged?.state === 'SUCCEEDED', 'SUCCEEDED');
    expect(done.createAccountRequestChanged.accountId).toMatch(/^\d{12}$/);
    expect(done.createAccountRequestChanged.account).toEqual({ id: done.createAccountRequestChanged.accountId, joinedMethod: 'CREATED' });
    await events.waitForCompletion();
    expect(events.events.map((event) => event.createAccountRequestChanged.state)).toEqual(['IN_PROGRESS', 'SUCCEEDED']);
    stack.emulator.release('creation');
  });

  it('follows a createAccount with an email already in use to FAILED with EMAIL_ALREADY_EXISTS', async () => {
    const created = await stack.gql(CREATE, {
      input: { email: takenEmail, accountName: 'duplicate', idempotencyKey: 'create-duplicate-1' },
    });
    const events = record(client, FOLLOW, { id: created.data!.createAccount.id });
    await events.waitFor(() => true, 'the current state');
    stack.emulator.release(`creation:${created.data!.createAccount.id}`);
    const failed = await events.waitFor((event) => event.createAccountRequestChanged?.state === 'FAILED', 'FAILED');
    expect(failed.createAccountRequestChanged.failureReason).toBe('EMAIL_ALREADY_EXISTS');
    await events.waitForCompletion();
  });

  it('sends CreateAccount once for one idempotencyKey, however the client retries', async () => {
    await stack.resetCalls();
    const input = { email: 'retry@example.com', accountName: 'retry', idempotencyKey: 'create-retry-1' };
    const [first, second] = await Promise.all([stack.gql(CREATE, { input }), stack.gql(CREATE, { input })]);
    const third = await stack.gql(CREATE, { input });
    expect(first.data!.createAccount.id).toBe(second.data!.createAccount.id);
    expect(third.data!.createAccount.id).toBe(first.data!.createAccount.id);
    expect((await stack.calls())['organizations:CreateAccount']).toBe(1);

    const reused = await stack.gql(CREATE, { input: { ...input, accountName: 'other' } });
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
    expect((await stack.calls())['organizations:CreateAccount']).toBe(1);
    stack.emulator.release(`creation:${first.data!.createAccount.id}`);
  });

  describe('refuses bad mutation input before any AWS call', () => {
    it.each([
      ['a role ARN that is not an ARN', REGISTER, { input: { accountId: '000000000000', iamRoleArn: 'not-an-arn-at-all-really' } }, 'input.iamRoleArn'],
      ['a Timestream name with spaces', REGISTER, { input: { accountId: '000000000000', iamRoleArn: 'arn:aws:iam::000000000000:role/R', timestream: { databaseName: 'my db', tableName: 'tbl' } } }, 'input.timestream.databaseName'],
      ['a malformed email', CREATE, { input: { email: 'secret-person-at-example', accountName: 'x', idempotencyKey: 'k1' } }, 'input.email'],
      ['an account name over 50 characters', CREATE, { input: { email: 'a@example.com', accountName: 'n'.repeat(51), idempotencyKey: 'k2' } }, 'input.accountName'],
      ['51 tags', CREATE, { input: { email: 'a@example.com', accountName: 'n', idempotencyKey: 'k3', tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } }, 'input.tags'],
      ['a tag key over 128 characters', CREATE, { input: { email: 'a@example.com', accountName: 'n', idempotencyKey: 'k4', tags: [{ key: 'k'.repeat(129), value: 'v' }] } }, 'input.tags.0.key'],
      ['a tag key with the prefix AWS reserves', CREATE, { input: { email: 'a@example.com', accountName: 'n', idempotencyKey: 'k5', tags: [{ key: 'team', value: 'v' }, { key: 'AWS:cost', value: 'v' }] } }, 'input.tags.1.key'],
      ['an idempotency key with spaces', CREATE, { input: { email: 'a@example.com', accountName: 'n', idempotencyKey: 'not ok' } }, 'input.idempotencyKey'],
    ])('%s', async (_name, mutation, variables, field) => {
      await stack.resetCalls();
      const result = await stack.gql(mutation, variables);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(result.errors)).not.toContain('secret-person');
      const calls = await stack.calls();
      expect(countOf(calls, 'organizations:CreateAccount') + countOf(calls, 'iotfleetwise:RegisterAccount')).toBe(0);
    });
  });

  it('returns AWS refusals as typed errors: a registration while one is pending is a ConflictException', async () => {
    const accountId = unregistered[1]!;
    const input = { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWiseRole` };
    await stack.gql(REGISTER, { input });
    const again = await stack.gql(REGISTER, { input });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      aws: { service: 'iotfleetwise', operation: 'RegisterAccount', code: 'ConflictException' },
    });
  });

  it('sends one account\'s failure to its subscribers as an error event while the others keep receiving', async () => {
    const [failing, healthy] = [unregistered[0]!, unregistered[2]!];
    const failingEvents = record(client, ACCOUNT_STATUS, { ids: [failing], sources: ['FLEETWISE_REGISTRATION'] });
    const healthyEvents = record(client, ACCOUNT_STATUS, { ids: [healthy], sources: ['FLEETWISE_REGISTRATION'] });
    await failingEvents.waitFor(() => true, 'the current state');
    await healthyEvents.waitFor(() => true, 'the current state');

    await stack.setFaults({ errorRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'], accounts: [failing] });
    try {
      // Nudge both pollers: the failing account was registered by an earlier test; register the healthy one now.
      await stack.gql(REGISTER, { input: { accountId: healthy, iamRoleArn: `arn:aws:iam::${healthy}:role/FleetWiseRole` } });
      stack.emulator.release(`fleetwise:${healthy}`);
      const failure = await failingEvents.waitFor((event) => event.accountStatusChanged?.error, 'an error event');
      expect(failure.accountStatusChanged.error).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        aws: { service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', code: 'InternalServerException' },
      });
      expect(failure.accountStatusChanged.current).toBeNull();
      await healthyEvents.waitFor((event) => event.accountStatusChanged?.current === 'REGISTRATION_SUCCESS', 'the healthy account to succeed');
      expect(healthyEvents.events.every((event) => !event.accountStatusChanged?.error)).toBe(true);
      expect(failingEvents.completed).toBe(false);
    } finally {
      await stack.clearFaults();
    }
    // Recovery arrives on the same stream.
    await failingEvents.waitFor((event) => event.accountStatusChanged?.current === 'REGISTRATION_SUCCESS' && event !== failingEvents.events[0], 'recovery');
    failingEvents.unsubscribe();
    healthyEvents.unsubscribe();
  });

  it('watches every account when no ids are given, starting with the current state of each', async () => {
    const events = record(client, `subscription { accountStatusChanged(sources: [CREATION_REQUEST]) { accountId source current } }`);
    const total = (await stack.gql(`{ organization { accounts { totalCount } } }`)).data!.organization.accounts.totalCount;
    await expect.poll(() => new Set(events.events.map((event) => event.accountStatusChanged.accountId)).size, { timeout: 10_000 }).toBe(total);
    events.unsubscribe();
  });
});

describe('one poller per watched status', () => {
  let stack: Stack;
  let client: Client;

  beforeAll(async () => {
    // Pollers never come due by themselves (10 minutes): each round here is one the test starts, so its calls can be
    // counted exactly on a machine of any speed.
    // 40 members: the demo leaves about one in eight not enrolled.
    stack = await startStack({
      memberAccounts: 40,
      delayMs: 600_000,
      env: { STATUSGRAPH_POLL_FAST_MS: '600000', STATUSGRAPH_POLL_SLOW_MS: '600000' },
    });
    client = wsClient(stack.graphqlUrl);
  });
  afterAll(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('polls once per round however many subscribe, and stops with the last subscriber', async () => {
    const organization = await stack.gql(`{ organization { accounts(first: 100) { nodes { id state computeOptimizerEnrollment { status } } } } }`);
    const failed = new Set((organization.errors ?? []).map((error) => String(error.path?.[3])));
    const nodes: any[] = organization.data!.organization.accounts.nodes;
    const accountId: string = nodes.find((node, index) => node.state === 'ACTIVE' && node.id !== '000000000000' && node.computeOptimizerEnrollment?.status === 'INACTIVE' && !failed.has(String(index))).id;
    // Pending until the test releases it.
    stack.emulator.hold(`enrollment:${accountId}`);
    const enrolled = await stack.gql(ENROLL, { input: { accountId, status: 'ACTIVE' } });
    expect(enrolled.errors).toBeUndefined();
    const watch = { ids: [accountId], sources: ['COMPUTE_OPTIMIZER_ENROLLMENT'] };
    const isNow = (status: string) => (event: any) => event.accountStatusChanged?.current?.toUpperCase() === status;

    const single = record(client, ACCOUNT_STATUS, watch);
    await single.waitFor(isNow('PENDING'), 'the current state');
    // 500 subscribers over 5 sockets (a socket carries at most 100 subscriptions).
    const clients = Array.from({ length: 5 }, () => wsClient(stack.graphqlUrl));
    const many = clients.flatMap((extra) => Array.from({ length: 100 }, () => record(extra, ACCOUNT_STATUS, watch)));
    await Promise.all(many.map((events) => events.waitFor(isNow('PENDING'), 'the current state')));
    expect(stack.server.watcher.size).toBe(1);

    // One round: the transition completes, the poller looks once, and every subscriber hears the change from it.
    await stack.resetCalls();
    stack.emulator.release(`enrollment:${accountId}`);
    stack.server.watcher.poke([{ kind: 'enrollment', accountId }]);
    await Promise.all([single, ...many].map((events) => events.waitFor(isNow('ACTIVE'), 'the change')));
    expect(countOf(await stack.calls(), 'compute-optimizer:GetEnrollmentStatus')).toBe(1);

    for (const events of many) events.unsubscribe();
    await Promise.all(clients.map((extra) => extra.dispose()));
    single.unsubscribe();
    await expect.poll(() => stack.server.watcher.size, { timeout: 5_000 }).toBe(0);
    await stack.resetCalls();
    stack.server.watcher.poke([{ kind: 'enrollment', accountId }]);
    await stack.gql('{ __typename }');
    expect(countOf(await stack.calls(), 'compute-optimizer:GetEnrollmentStatus')).toBe(0);
  });
});
