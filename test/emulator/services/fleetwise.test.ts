import { describe, expect, it } from 'vitest';
import { testWorld } from './world-fixture.js';

const DELAY_MS = 60_000;
/** An account outside the demo organization, so it starts unregistered everywhere. */
const ACCOUNT = '123456789012';
const as = (region = 'us-east-1') => ({ accessKeyId: ACCOUNT, region });
const ownRole = `arn:aws:iam::${ACCOUNT}:role/FleetWiseRole`;

describe('GetRegisterAccountStatus', () => {
  it('answers ResourceNotFoundException naming the account for one that never registered', async () => {
    const error = await testWorld().failure('iotfleetwise', 'GetRegisterAccountStatus', {}, as());
    expect(error).toMatchObject({
      code: 'ResourceNotFoundException',
      status: 400,
      fields: { resourceId: ACCOUNT, resourceType: 'Account' },
    });
  });

  it('keeps registrations apart per region', async () => {
    const world = testWorld();
    await world.call('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: ownRole } }, as('eu-central-1'));
    await expect(world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, as('eu-central-1'))).resolves.toBeDefined();
    const error = await world.failure('iotfleetwise', 'GetRegisterAccountStatus', {}, as('us-east-1'));
    expect(error.code).toBe('ResourceNotFoundException');
  });
});

describe('RegisterAccount', () => {
  it('is REGISTRATION_PENDING until the delay has passed, then REGISTRATION_SUCCESS', async () => {
    const world = testWorld();
    const registeredAt = world.now;
    const answer = await world.call('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: ownRole } }, as());
    expect(answer).toEqual({
      registerAccountStatus: 'REGISTRATION_PENDING',
      timestreamResources: undefined,
      iamResources: { roleArn: ownRole },
      creationTime: registeredAt,
      lastModificationTime: registeredAt,
    });
    world.advance(DELAY_MS - 1);
    expect(await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, as())).toMatchObject({
      customerAccountId: ACCOUNT,
      accountStatus: 'REGISTRATION_PENDING',
      iamRegistrationResponse: { roleArn: ownRole, registrationStatus: 'REGISTRATION_PENDING' },
    });
    world.advance(1);
    expect(await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, as())).toEqual({
      customerAccountId: ACCOUNT,
      accountStatus: 'REGISTRATION_SUCCESS',
      timestreamRegistrationResponse: undefined,
      iamRegistrationResponse: { roleArn: ownRole, registrationStatus: 'REGISTRATION_SUCCESS', errorMessage: undefined },
      creationTime: registeredAt,
      lastModificationTime: world.now,
    });
  });

  it('fails with an errorMessage when the role belongs to another account', async () => {
    const world = testWorld();
    const foreignRole = 'arn:aws:iam::210987654321:role/FleetWiseRole';
    await world.call('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: foreignRole } }, as());
    world.advance(DELAY_MS);
    const status = await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, as());
    expect(status.accountStatus).toBe('REGISTRATION_FAILURE');
    const iam = status.iamRegistrationResponse as Record<string, string>;
    expect(iam.registrationStatus).toBe('REGISTRATION_FAILURE');
    expect(iam.errorMessage).toContain(foreignRole);
    expect(iam.errorMessage).toContain(ACCOUNT);
  });

  it('reports the deprecated Timestream resources with their ARNs', async () => {
    const world = testWorld();
    const answer = await world.call(
      'iotfleetwise',
      'RegisterAccount',
      { iamResources: { roleArn: ownRole }, timestreamResources: { timestreamDatabaseName: 'fleet', timestreamTableName: 'signals' } },
      as('eu-central-1'),
    );
    expect(answer.timestreamResources).toEqual({ timestreamDatabaseName: 'fleet', timestreamTableName: 'signals' });
    world.advance(DELAY_MS);
    const status = await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, as('eu-central-1'));
    expect(status.timestreamRegistrationResponse).toEqual({
      timestreamDatabaseName: 'fleet',
      timestreamTableName: 'signals',
      timestreamDatabaseArn: `arn:aws:timestream:eu-central-1:${ACCOUNT}:database/fleet`,
      timestreamTableArn: `arn:aws:timestream:eu-central-1:${ACCOUNT}:database/fleet/table/signals`,
      registrationStatus: 'REGISTRATION_SUCCESS',
      errorMessage: undefined,
    });
  });

  it('refuses a second registration while one is pending with ConflictException, and allows it afterwards', async () => {
    const world = testWorld();
    const firstAt = world.now;
    await world.call('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: ownRole } }, as());
    world.advance(DELAY_MS / 2);
    const error = await world.failure('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: ownRole } }, as());
    expect(error).toMatchObject({ code: 'ConflictException', status: 400, fields: { resource: ACCOUNT } });
    world.advance(DELAY_MS / 2);
    const again = await world.call('iotfleetwise', 'RegisterAccount', { iamResources: { roleArn: ownRole } }, as());
    expect(again).toMatchObject({ registerAccountStatus: 'REGISTRATION_PENDING', creationTime: firstAt, lastModificationTime: world.now });
  });

  it('registers with the service-linked role when no IAM role is named', async () => {
    const world = testWorld();
    const answer = await world.call('iotfleetwise', 'RegisterAccount', {}, as());
    expect(answer.iamResources).toEqual({
      roleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/iotfleetwise.amazonaws.com/AWSServiceRoleForIoTFleetWise`,
    });
    world.advance(DELAY_MS);
    expect((await world.call('iotfleetwise', 'GetRegisterAccountStatus', {}, as())).accountStatus).toBe('REGISTRATION_SUCCESS');
  });

  it.each([
    ['a role ARN that is not an IAM role', { iamResources: { roleArn: `arn:aws:iam::${ACCOUNT}:user/someone` } }, 'iamResources.roleArn'],
    ['a role ARN under 20 characters', { iamResources: { roleArn: 'arn:aws:iam:::role/' } }, 'iamResources.roleArn'],
    ['a role ARN over 2048 characters', { iamResources: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(2048)}` } }, 'iamResources.roleArn'],
    ['iamResources without a role ARN', { iamResources: {} }, 'iamResources.roleArn'],
    [
      'a Timestream database name under 3 characters',
      { timestreamResources: { timestreamDatabaseName: 'db', timestreamTableName: 'table' } },
      'timestreamResources.timestreamDatabaseName',
    ],
    [
      'a Timestream table name with a space',
      { timestreamResources: { timestreamDatabaseName: 'fleet', timestreamTableName: 'my table' } },
      'timestreamResources.timestreamTableName',
    ],
    [
      'a Timestream table name over 255 characters',
      { timestreamResources: { timestreamDatabaseName: 'fleet', timestreamTableName: 't'.repeat(256) } },
      'timestreamResources.timestreamTableName',
    ],
  ])('rejects %s with ValidationException naming the field, and registers nothing', async (_case, input, field) => {
    const world = testWorld();
    const error = await world.failure('iotfleetwise', 'RegisterAccount', input, as());
    expect(error).toMatchObject({ code: 'ValidationException', status: 400, fields: { reason: 'fieldValidationFailed' } });
    expect((error.fields.fieldList as Array<{ name: string }>).map((item) => item.name)).toEqual([field]);
    expect((await world.failure('iotfleetwise', 'GetRegisterAccountStatus', {}, as())).code).toBe('ResourceNotFoundException');
  });

  it('rejects an iamResources member that is no structure as unparseable', async () => {
    const error = await testWorld().failure('iotfleetwise', 'RegisterAccount', { iamResources: 'role' }, as());
    expect(error).toMatchObject({ code: 'ValidationException', fields: { reason: 'cannotParse' } });
  });
});

describe('the IoT FleetWise service definition', () => {
  it('is offered only in us-east-1, eu-central-1 and ap-south-1, over awsJson1_0', () => {
    const service = testWorld().service('iotfleetwise');
    expect(service).toMatchObject({
      protocols: ['awsJson1_0'],
      targetPrefix: 'IoTAutobahnControlPlane',
      errorNamespace: 'com.amazonaws.iotfleetwise',
      regions: ['us-east-1', 'eu-central-1', 'ap-south-1'],
      throttling: { code: 'ThrottlingException', status: 400 },
    });
  });
});
