import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsCallError, FLEETWISE_REGIONS } from '../../src/aws/index.js';
import type { FleetwiseRegistrationRecord, OrgAccount } from '../../src/aws/types.js';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

let harness: Harness;
let activeMembers: OrgAccount[];
/** Each active member's registration in us-east-1, read once. */
let registrations: Map<string, FleetwiseRegistrationRecord | null>;

beforeAll(async () => {
  harness = await startHarness({ memberAccounts: 40 });
  activeMembers = (await harness.services.listAccounts()).filter(
    (account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE' && account.joinedMethod === 'CREATED',
  );
  // Every active member the management account can enter, invited ones included (the one without the role is skipped).
  const readable = (await harness.services.listAccounts()).filter(
    (account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE',
  );
  const read = async (accountId: string) =>
    [accountId, await harness.services.getFleetwiseRegistration(accountId, 'us-east-1')] as const;
  const settled = await Promise.allSettled(readable.map((member) => read(member.id)));
  registrations = new Map(settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : [])));
});
afterAll(() => harness.close());
beforeEach(() => harness.resetCalls());

const membersWhere = (predicate: (registration: FleetwiseRegistrationRecord | null) => boolean) =>
  [...registrations].filter(([, registration]) => predicate(registration)).map(([accountId]) => accountId);

describe('isFleetwiseRegion', () => {
  it('knows the three regions FleetWise is offered in', () => {
    expect(FLEETWISE_REGIONS).toEqual(['us-east-1', 'eu-central-1', 'ap-south-1']);
    for (const region of FLEETWISE_REGIONS) expect(harness.services.isFleetwiseRegion(region)).toBe(true);
    expect(harness.services.isFleetwiseRegion('us-west-2')).toBe(false);
  });
});

describe('getFleetwiseRegistration', () => {
  it('maps a successful registration, IAM and Timestream parts included, with Dates', async () => {
    const registered = (await harness.services.getFleetwiseRegistration(MANAGEMENT_ACCOUNT_ID, 'us-east-1'))!;
    expect(registered).toEqual({
      accountId: MANAGEMENT_ACCOUNT_ID,
      region: 'us-east-1',
      customerAccountId: MANAGEMENT_ACCOUNT_ID,
      accountStatus: 'REGISTRATION_SUCCESS',
      iamRegistrationResponse: {
        roleArn: expect.stringMatching(new RegExp(`^arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/`)),
        registrationStatus: 'REGISTRATION_SUCCESS',
      },
      timestreamRegistrationResponse: {
        timestreamDatabaseName: expect.any(String),
        timestreamTableName: expect.any(String),
        timestreamDatabaseArn: expect.stringContaining(':timestream:'),
        timestreamTableArn: expect.stringContaining(':timestream:'),
        registrationStatus: 'REGISTRATION_SUCCESS',
      },
      creationTime: expect.any(Date),
      lastModificationTime: expect.any(Date),
    });
  });

  it("maps a failed registration with the IAM part's error message", () => {
    const failed = [...registrations.values()].find((registration) => registration?.accountStatus === 'REGISTRATION_FAILURE');
    expect(failed?.iamRegistrationResponse).toMatchObject({
      registrationStatus: 'REGISTRATION_FAILURE',
      errorMessage: expect.any(String),
    });
  });

  it('answers null for an account that never registered in the region', async () => {
    const [unregistered] = membersWhere((registration) => registration === null);
    expect(await harness.services.getFleetwiseRegistration(unregistered!, 'us-east-1')).toBeNull();
    expect(harness.events.at(-1)).toMatchObject({ outcome: 'success', errorCode: 'ResourceNotFoundException' });
  });

  it('reads the region asked for, in the account asked for', async () => {
    const member = activeMembers[0]!.id;
    await harness.services.getFleetwiseRegistration(member, 'eu-central-1');
    await harness.services.getFleetwiseRegistration(member, 'ap-south-1');
    expect((await harness.calls())['iotfleetwise:GetRegisterAccountStatus']).toBe(2);
  });

  it('refuses a region FleetWise is not offered in with RegionNotSupported, before any call', async () => {
    const member = activeMembers[1]!.id;
    const failure = await harness.services.getFleetwiseRegistration(member, 'us-west-2').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({
      service: 'iotfleetwise',
      operation: 'GetRegisterAccountStatus',
      code: 'RegionNotSupported',
      accountId: member,
      region: 'us-west-2',
      retryable: false,
      throttled: false,
    });
    expect(await harness.calls()).toEqual({});
  });
});

describe('registerFleetwiseAccount', () => {
  it('registers an account: pending at once, successful after the transition', async () => {
    const [unregistered] = membersWhere((registration) => registration === null).slice(1);
    const roleArn = `arn:aws:iam::${unregistered!}:role/IoTFleetWiseServiceRole`;
    const started = await harness.services.registerFleetwiseAccount({
      accountId: unregistered!,
      region: 'us-east-1',
      iamRoleArn: roleArn,
    });
    expect(started).toEqual({
      accountId: unregistered,
      region: 'us-east-1',
      customerAccountId: unregistered,
      accountStatus: 'REGISTRATION_PENDING',
      iamRegistrationResponse: { roleArn, registrationStatus: 'REGISTRATION_PENDING' },
      creationTime: expect.any(Date),
      lastModificationTime: expect.any(Date),
    });
    expect((await harness.services.getFleetwiseRegistration(unregistered!, 'us-east-1'))?.accountStatus).toBe('REGISTRATION_PENDING');
    harness.emulator.release(`fleetwise:${unregistered!}:us-east-1`);
    const settled = (await harness.services.getFleetwiseRegistration(unregistered!, 'us-east-1'))!;
    expect(settled.accountStatus).toBe('REGISTRATION_SUCCESS');
    expect(settled.iamRegistrationResponse).toEqual({ roleArn, registrationStatus: 'REGISTRATION_SUCCESS' });
  });

  it('passes the deprecated Timestream resources through', async () => {
    const [unregistered] = membersWhere((registration) => registration === null).slice(2);
    const started = await harness.services.registerFleetwiseAccount({
      accountId: unregistered!,
      region: 'us-east-1',
      iamRoleArn: `arn:aws:iam::${unregistered!}:role/IoTFleetWiseServiceRole`,
      timestream: { databaseName: 'vehicle-db', tableName: 'signals' },
    });
    expect(started.timestreamRegistrationResponse).toEqual({
      timestreamDatabaseName: 'vehicle-db',
      timestreamTableName: 'signals',
      registrationStatus: 'REGISTRATION_PENDING',
    });
  });

  it('refuses a region FleetWise is not offered in, before any call', async () => {
    const member = activeMembers[2]!.id;
    await expect(
      harness.services.registerFleetwiseAccount({
        accountId: member,
        region: 'sa-east-1',
        iamRoleArn: `arn:aws:iam::${member}:role/IoTFleetWiseServiceRole`,
      }),
    ).rejects.toMatchObject({ code: 'RegionNotSupported', operation: 'RegisterAccount' });
    expect(await harness.calls()).toEqual({});
  });
});
