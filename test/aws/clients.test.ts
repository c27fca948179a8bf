import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../src/aws/index.js';
import type { OrgAccount } from '../../src/aws/types.js';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

let harness: Harness;
let activeMembers: OrgAccount[];

beforeAll(async () => {
  harness = await startHarness({ memberAccounts: 40 });
  const accounts = await harness.services.listAccounts();
  // Created accounts carry the member role; invited ones only if their owners added it.
  activeMembers = accounts.filter(
    (account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE' && account.joinedMethod === 'CREATED',
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.resetCalls());

/** An active member account this test has not used yet (each test needs its first AssumeRole fresh). */
let nextMember = 0;
function freshMember(): string {
  const member = activeMembers[nextMember++];
  if (!member) throw new Error('the demo organization has too few active members for this suite');
  return member.id;
}

describe('member account credentials', () => {
  it('assume the member role once for every call in that account, across services and regions', async () => {
    const member = freshMember();
    await harness.services.getFleetwiseRegistration(member, 'us-east-1');
    await harness.services.getFleetwiseRegistration(member, 'eu-central-1');
    await harness.services.getEnrollmentStatus(member);
    await harness.services.getEnrollmentStatus(member);
    const calls = await harness.calls();
    expect(calls['sts:AssumeRole']).toBe(1);
    expect(calls['iotfleetwise:GetRegisterAccountStatus']).toBe(2);
    expect(calls['compute-optimizer:GetEnrollmentStatus']).toBe(2);
  });

  it('sign each member\'s concurrent FleetWise requests as that member, though one client per region sends them all', async () => {
    const members = [freshMember(), freshMember(), freshMember(), freshMember(), freshMember(), freshMember()];
    // Every member at once, twice over, so the requests of different accounts interleave on the shared client.
    const records = await Promise.all([...members, ...members].map((id) => harness.services.getFleetwiseRegistration(id, 'us-east-1')));
    const answered = records.filter((record) => record !== null);
    // The emulator answers with the signing account's own registration: a request signed as another member would show.
    expect(answered.length).toBeGreaterThan(0);
    for (const record of answered) expect(record!.customerAccountId).toBe(record!.accountId);
    const calls = await harness.calls();
    expect(calls['sts:AssumeRole']).toBe(members.length);
    expect(calls['iotfleetwise:GetRegisterAccountStatus']).toBe(2 * members.length);
  });

  it('assume the member role once when 50 calls for the account start at the same moment', async () => {
    const member = freshMember();
    await Promise.all(Array.from({ length: 50 }, () => harness.services.getEnrollmentStatus(member)));
    const calls = await harness.calls();
    expect(calls['sts:AssumeRole']).toBe(1);
    expect(calls['compute-optimizer:GetEnrollmentStatus']).toBe(50);
  });

  it('assume one role per member account', async () => {
    const members = [freshMember(), freshMember(), freshMember()];
    await Promise.all(members.map((member) => harness.services.getEnrollmentStatus(member)));
    await Promise.all(members.map((member) => harness.services.getFleetwiseRegistration(member, 'us-east-1')));
    expect((await harness.calls())['sts:AssumeRole']).toBe(3);
  });

  it('are reported to the call hook as an sts AssumeRole call', async () => {
    const member = freshMember();
    const before = harness.events.length;
    await harness.services.getEnrollmentStatus(member);
    expect(harness.events.slice(before).map(({ service, operation, outcome }) => ({ service, operation, outcome }))).toEqual([
      { service: 'sts', operation: 'AssumeRole', outcome: 'success' },
      { service: 'compute-optimizer', operation: 'GetEnrollmentStatus', outcome: 'success' },
    ]);
  });

  it('surface a refused AssumeRole as an AwsCallError for sts AssumeRole and the member account', async () => {
    const member = freshMember();
    const services = harness.servicesWith({ memberRoleName: 'NoSuchRole' });
    const failure = await services.getFleetwiseRegistration(member, 'us-east-1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({
      service: 'sts',
      operation: 'AssumeRole',
      code: 'AccessDenied',
      accountId: member,
      retryable: false,
      throttled: false,
    });
    expect((failure as AwsCallError).accessDenied).toBe(true);
    const calls = await harness.calls();
    expect(calls['iotfleetwise:GetRegisterAccountStatus']).toBeUndefined();
  });

  it('ask again after a refused AssumeRole instead of remembering the failure', async () => {
    const member = freshMember();
    const services = harness.servicesWith({ memberRoleName: 'NoSuchRole' });
    await expect(services.getEnrollmentStatus(member)).rejects.toMatchObject({ operation: 'AssumeRole' });
    await expect(services.getEnrollmentStatus(member)).rejects.toMatchObject({ operation: 'AssumeRole' });
    expect((await harness.calls())['sts:AssumeRole']).toBe(2);
  });
});

describe('the management account', () => {
  it('is the caller, asked once with GetCallerIdentity and remembered', async () => {
    const services = harness.servicesWith({});
    expect(await services.callerAccountId()).toBe(MANAGEMENT_ACCOUNT_ID);
    expect(await services.callerAccountId()).toBe(MANAGEMENT_ACCOUNT_ID);
    await services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID);
    expect((await harness.calls())['sts:GetCallerIdentity']).toBe(1);
  });

  it('uses the base credentials, with no AssumeRole', async () => {
    const services = harness.servicesWith({});
    await services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID);
    await services.getFleetwiseRegistration(MANAGEMENT_ACCOUNT_ID, 'us-east-1');
    expect((await harness.calls())['sts:AssumeRole']).toBeUndefined();
  });
});

describe('endpoint', () => {
  it('sends every service, FleetWise included, to the endpoint in the options', async () => {
    const other = await startHarness({ memberAccounts: 12 });
    try {
      await other.resetCalls();
      const services = harness.servicesWith({ endpoint: other.endpoint });
      // A member the management account can enter: created (so it has the role) and active.
      const [member] = (await services.listAccounts()).filter(
        (account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE' && account.joinedMethod === 'CREATED',
      );
      await services.getFleetwiseRegistration(member!.id, 'us-east-1');
      await services.getEnrollmentStatus(member!.id);
      await services.describeOrganization();
      expect(Object.keys(await other.calls()).sort()).toEqual([
        'compute-optimizer:GetEnrollmentStatus',
        'iotfleetwise:GetRegisterAccountStatus',
        'organizations:DescribeOrganization',
        'organizations:ListAccounts',
        'sts:AssumeRole',
        'sts:GetCallerIdentity',
      ]);
      expect(await harness.calls()).toEqual({});
    } finally {
      await other.close();
    }
  });
});

describe('settings from the environment', () => {
  it('sends every member\'s FleetWise calls to the endpoint AWS_ENDPOINT_URL_IOTFLEETWISE names, and the rest to AWS_ENDPOINT_URL', async () => {
    // A stand-in FleetWise that records who calls it and answers "registered".
    const signers: string[] = [];
    const fleetwise = createServer((request, response) => {
      signers.push(/Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? 'unsigned');
      request.resume().on('end', () => {
        response.setHeader('content-type', 'application/x-amz-json-1.0');
        response.end(JSON.stringify({ customerAccountId: '111111111111', accountStatus: 'REGISTRATION_SUCCESS', creationTime: 1, lastModificationTime: 1 }));
      });
    });
    await new Promise<void>((resolve) => fleetwise.listen(0, '127.0.0.1', resolve));
    const saved = { general: process.env.AWS_ENDPOINT_URL, fleetwise: process.env.AWS_ENDPOINT_URL_IOTFLEETWISE };
    process.env.AWS_ENDPOINT_URL = harness.endpoint;
    process.env.AWS_ENDPOINT_URL_IOTFLEETWISE = `http://127.0.0.1:${(fleetwise.address() as AddressInfo).port}`;
    try {
      // No endpoint in the options: each client finds its own in the environment, as the SDK's do.
      const services = harness.servicesWith({ endpoint: undefined });
      const members = [freshMember(), freshMember(), freshMember()];
      for (const member of members) {
        expect(await services.getFleetwiseRegistration(member, 'us-east-1')).toMatchObject({ accountStatus: 'REGISTRATION_SUCCESS' });
      }
      // Per-member clients share their service's settings; every one of them still honours the variable, and
      // signs with its own member's credentials.
      expect(signers).toHaveLength(members.length);
      expect(new Set(signers).size).toBe(members.length);
      const calls = await harness.calls();
      expect(calls['sts:AssumeRole']).toBe(members.length);
      expect(calls['iotfleetwise:GetRegisterAccountStatus']).toBeUndefined();
    } finally {
      for (const [name, value] of [['AWS_ENDPOINT_URL', saved.general], ['AWS_ENDPOINT_URL_IOTFLEETWISE', saved.fleetwise]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      fleetwise.close();
    }
  });
});

describe('destroy', () => {
  it('leaves the services unable to call AWS, failing with an AwsCallError', async () => {
    const services = harness.servicesWith({});
    await services.describeOrganization();
    services.destroy();
    const failure = await services.describeOrganization().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({ code: 'AwsServicesDestroyed', retryable: false });
  });
});
