// AWS IoT FleetWise account registration, read and made in the account itself (a member through its member role)
// and per region. FleetWise is offered in three regions only: asking any other is answered here, without a call,
// with RegionNotSupported — which is not the same answer as "never registered" (null).
import {
  GetRegisterAccountStatusCommand,
  RegisterAccountCommand,
  type IamRegistrationResponse,
  type TimestreamRegistrationResponse,
} from './fleetwise-client/index.js';
import type { AwsContext } from './context.js';
import { AwsCallError, type CallTarget } from './errors.js';
import { defined, nullWhen, required } from './response.js';
import type {
  FleetwiseRegistrationRecord,
  IamRegistrationRecord,
  RegisterFleetwiseParams,
  TimestreamRegistrationRecord,
} from './types.js';

const SERVICE = 'iotfleetwise';

/** The regions IoT FleetWise is offered in. */
export const FLEETWISE_REGIONS: readonly string[] = Object.freeze(['us-east-1', 'eu-central-1', 'ap-south-1']);

/** The code of the AwsCallError for a region FleetWise is not offered in. */
export const REGION_NOT_SUPPORTED = 'RegionNotSupported';

/** What AWS answers an account that never registered. */
const NOT_REGISTERED = 'ResourceNotFoundException';

export function isFleetwiseRegion(region: string): boolean {
  return FLEETWISE_REGIONS.includes(region);
}

/** The account's registration in the region, or null when it never registered there. */
export async function getFleetwiseRegistration(
  ctx: AwsContext,
  accountId: string,
  region: string,
): Promise<FleetwiseRegistrationRecord | null> {
  const target = { service: SERVICE, operation: 'GetRegisterAccountStatus', region, accountId };
  assertFleetwiseRegion(target);
  const access = await ctx.accountAccess(accountId);
  const output = await nullWhen(NOT_REGISTERED, () =>
    ctx.callAws(target, (options) => ctx.clients.fleetwise(access, region).send(new GetRegisterAccountStatusCommand({}), options), {
      answerCodes: [NOT_REGISTERED],
    }),
  );
  if (output === null) return null;
  const iam = output.iamRegistrationResponse;
  const timestream = output.timestreamRegistrationResponse;
  return defined({
    accountId,
    region,
    customerAccountId: required(output.customerAccountId, 'customerAccountId', target),
    accountStatus: required(output.accountStatus, 'accountStatus', target),
    iamRegistrationResponse: iam && toIamRegistration(iam, target),
    timestreamRegistrationResponse: timestream && toTimestreamRegistration(timestream, target),
    creationTime: output.creationTime,
    lastModificationTime: output.lastModificationTime,
  });
}

/**
 * Starts the account's registration in the region. RegisterAccount answers with the resources and one overall
 * status; the IAM and Timestream registrations start in that same status, which is what the record says until
 * GetRegisterAccountStatus tells them apart.
 */
export async function registerFleetwiseAccount(
  ctx: AwsContext,
  params: RegisterFleetwiseParams,
): Promise<FleetwiseRegistrationRecord> {
  const { accountId, region } = params;
  const target = { service: SERVICE, operation: 'RegisterAccount', region, accountId };
  assertFleetwiseRegion(target);
  const access = await ctx.accountAccess(accountId);
  const output = await ctx.callAws(target, () =>
    ctx.clients.fleetwise(access, region).send(
      new RegisterAccountCommand({
        iamResources: { roleArn: params.iamRoleArn },
        ...(params.timestream && {
          timestreamResources: {
            timestreamDatabaseName: params.timestream.databaseName,
            timestreamTableName: params.timestream.tableName,
          },
        }),
      }),
    ),
  );
  const registrationStatus = required(output.registerAccountStatus, 'registerAccountStatus', target);
  const iamResources = required(output.iamResources, 'iamResources', target);
  const timestream = output.timestreamResources;
  return defined({
    accountId,
    region,
    customerAccountId: accountId,
    accountStatus: registrationStatus,
    iamRegistrationResponse: {
      roleArn: required(iamResources.roleArn, 'iamResources.roleArn', target),
      registrationStatus,
    },
    timestreamRegistrationResponse: timestream && {
      timestreamDatabaseName: required(timestream.timestreamDatabaseName, 'timestreamResources.timestreamDatabaseName', target),
      timestreamTableName: required(timestream.timestreamTableName, 'timestreamResources.timestreamTableName', target),
      registrationStatus,
    },
    creationTime: output.creationTime,
    lastModificationTime: output.lastModificationTime,
  });
}

function assertFleetwiseRegion(target: CallTarget): void {
  if (isFleetwiseRegion(target.region)) return;
  throw new AwsCallError({
    ...target,
    code: REGION_NOT_SUPPORTED,
    message: `IoT FleetWise is not offered in ${target.region}; it is offered in ${FLEETWISE_REGIONS.join(', ')}`,
    retryable: false,
    throttled: false,
  });
}

function toIamRegistration(iam: IamRegistrationResponse, target: CallTarget): IamRegistrationRecord {
  return defined({
    roleArn: required(iam.roleArn, 'iamRegistrationResponse.roleArn', target),
    registrationStatus: required(iam.registrationStatus, 'iamRegistrationResponse.registrationStatus', target),
    errorMessage: iam.errorMessage,
  });
}

function toTimestreamRegistration(
  timestream: TimestreamRegistrationResponse,
  target: CallTarget,
): TimestreamRegistrationRecord {
  const member = (name: string) => `timestreamRegistrationResponse.${name}`;
  return defined({
    timestreamDatabaseName: required(timestream.timestreamDatabaseName, member('timestreamDatabaseName'), target),
    timestreamTableName: required(timestream.timestreamTableName, member('timestreamTableName'), target),
    timestreamDatabaseArn: timestream.timestreamDatabaseArn,
    timestreamTableArn: timestream.timestreamTableArn,
    registrationStatus: required(timestream.registrationStatus, member('registrationStatus'), target),
    errorMessage: timestream.errorMessage,
  });
}
