// AWS IoT FleetWise account registration as the emulator serves it (awsJson1_0), per account and region.
// RegisterAccount is REGISTRATION_PENDING for the configured delay, then REGISTRATION_SUCCESS — or
// REGISTRATION_FAILURE when the IAM role belongs to another account, which FleetWise cannot use.
import { AwsServiceError, type OperationContext, type ServiceDefinition } from '../core/types.js';
import type { InFlightTransition, StatusHistory } from '../core/world-control.js';
import { completionTime, historyOf, NO_HOLDS, settlesAtOrHeld, Timeline, type TransitionGate, type TransitionSource } from './transitions.js';
import { checkString, validationMessage, type Violation } from './validation.js';

/** The only regions IoT FleetWise is offered in. */
export const FLEETWISE_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1'] as const;
export type RegistrationStatus = 'REGISTRATION_PENDING' | 'REGISTRATION_SUCCESS' | 'REGISTRATION_FAILURE';
type SettledStatus = Exclude<RegistrationStatus, 'REGISTRATION_PENDING'>;

// Constraints of the IoT FleetWise model (aws-facts.md).
const ROLE_ARN_PATTERN = /arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)/;
const ROLE_ARN_PATTERN_TEXT =
  'arn:(aws[a-zA-Z0-9-]*):iam::(\\d{12})?:(role((\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F))[\\w+=,.@-]+)';
const ROLE_ARN_LENGTH = { min: 20, max: 2048 } as const;
const TIMESTREAM_NAME_PATTERN = /[a-zA-Z0-9_.-]+/;
const TIMESTREAM_NAME_LENGTH = { min: 3, max: 255 } as const;
/** The account part of a role ARN that already matched ROLE_ARN_PATTERN. */
const ROLE_ARN_ACCOUNT = /^arn:[^:]*:iam::(\d{12})?:/;
const TIMESTREAM_FAILURE_MESSAGE = 'The Timestream resources were not registered because the IAM registration failed.';

export interface TimestreamResources {
  readonly databaseName: string;
  readonly tableName: string;
}

export interface RegistrationRecord {
  readonly accountId: string;
  readonly region: string;
  readonly roleArn: string;
  /** Deprecated by AWS, still reported for accounts that registered with it. */
  readonly timestream?: TimestreamResources;
  /** When the account first registered in this region. */
  readonly creationTime: Date;
  /** When the last RegisterAccount call was made. */
  readonly requestedAt: Date;
  /** Until this moment the registration is REGISTRATION_PENDING. */
  readonly settlesAt: Date;
  readonly outcome: SettledStatus;
  /** Why IAM registration failed, when it did. */
  readonly errorMessage?: string;
}

export interface RegistrationRequest {
  readonly accountId: string;
  readonly region: string;
  readonly roleArn: string;
  readonly timestream?: TimestreamResources;
}

export class FleetwiseRegistrations implements TransitionSource {
  readonly kind = 'fleetwise';
  /** Per `fleetwise:<account>:<region>` key, the registrations made there, newest last. */
  private readonly timelines = new Map<string, Timeline<RegistrationRecord>>();

  constructor(
    initial: Iterable<RegistrationRecord>,
    private readonly delayMs: number,
    private readonly gate: TransitionGate = NO_HOLDS,
  ) {
    for (const record of initial) this.timelines.set(key(record.accountId, record.region), new Timeline(record));
  }

  find(accountId: string, region: string): RegistrationRecord | undefined {
    return this.timelines.get(key(accountId, region))?.current;
  }

  statusOf(record: RegistrationRecord, now: Date): RegistrationStatus {
    return record.settlesAt > now ? 'REGISTRATION_PENDING' : record.outcome;
  }

  /** Starts a registration; the caller has checked that none is pending. Registering again keeps the creation time. */
  register(request: RegistrationRequest, now: Date): RegistrationRecord {
    const statusKey = key(request.accountId, request.region);
    const previous = this.find(request.accountId, request.region);
    const roleAccount = ROLE_ARN_ACCOUNT.exec(request.roleArn)?.[1];
    const ownRole = roleAccount === request.accountId;
    const record: RegistrationRecord = {
      accountId: request.accountId,
      region: request.region,
      roleArn: request.roleArn,
      ...(request.timestream !== undefined && { timestream: request.timestream }),
      creationTime: previous?.creationTime ?? now,
      requestedAt: now,
      settlesAt: completionTime(this.gate, statusKey, now, this.delayMs),
      outcome: ownRole ? 'REGISTRATION_SUCCESS' : 'REGISTRATION_FAILURE',
      ...(!ownRole && { errorMessage: foreignRoleMessage(request.roleArn, request.accountId) }),
    };
    const timeline = this.timelines.get(statusKey);
    if (timeline) timeline.push(record);
    else this.timelines.set(statusKey, new Timeline(record));
    return record;
  }

  inFlight(now: Date): InFlightTransition[] {
    const found: InFlightTransition[] = [];
    for (const [statusKey, timeline] of this.timelines) {
      const record = timeline.current!;
      if (record.settlesAt > now) found.push({ key: statusKey, value: 'REGISTRATION_PENDING', settlesAt: settlesAtOrHeld(record.settlesAt) });
    }
    return found;
  }

  history(statusKey: string, now: Date): StatusHistory | undefined {
    const timeline = this.timelines.get(statusKey);
    if (timeline === undefined) return statusKey.split(':').length === 3 ? historyOf([], null, false, now) : undefined;
    const phases = timeline.records.map((record) => ({
      startsAt: record.requestedAt,
      value: 'REGISTRATION_PENDING',
      settlesAt: record.settlesAt,
      settled: record.outcome,
    }));
    return historyOf(phases, null, timeline.truncated, now);
  }

  /** Moves the completion of a registration still pending at `now`. */
  reschedule(statusKey: string, now: Date, settlesAt: Date): void {
    const timeline = this.timelines.get(statusKey);
    const record = timeline?.current;
    if (record !== undefined && record.settlesAt > now) timeline!.replaceCurrent({ ...record, settlesAt });
  }
}

/** Registrations are kept per account and region, under their transition key. */
function key(accountId: string, region: string): string {
  return `fleetwise:${accountId}:${region}`;
}

/** Why FleetWise cannot use a role of another account: it must assume the role from the registering account. */
export function foreignRoleMessage(roleArn: string, accountId: string): string {
  return `The IAM role ${roleArn} does not belong to account ${accountId}. Register a role in the same account.`;
}

/** The service-linked role FleetWise uses when RegisterAccount names no IAM role. */
export function serviceLinkedRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/iotfleetwise.amazonaws.com/AWSServiceRoleForIoTFleetWise`;
}

export function fleetwiseService(registrations: FleetwiseRegistrations): ServiceDefinition {
  return {
    signingName: 'iotfleetwise',
    protocols: ['awsJson1_0'],
    targetPrefix: 'IoTAutobahnControlPlane',
    errorNamespace: 'com.amazonaws.iotfleetwise',
    regions: FLEETWISE_REGIONS,
    throttling: { code: 'ThrottlingException', status: 400 },
    operations: {
      GetRegisterAccountStatus: (_input, ctx) => getRegisterAccountStatus(registrations, ctx),
      RegisterAccount: (input, ctx) => registerAccount(registrations, input, ctx),
    },
  };
}

function getRegisterAccountStatus(registrations: FleetwiseRegistrations, ctx: OperationContext): Record<string, unknown> {
  const { accountId, region } = ctx.caller;
  const record = registrations.find(accountId, region);
  if (record === undefined) {
    throw new AwsServiceError(
      'ResourceNotFoundException',
      `Account ${accountId} is not registered with AWS IoT FleetWise in ${region}.`,
      400,
      { resourceId: accountId, resourceType: 'Account' },
    );
  }
  const status = registrations.statusOf(record, ctx.now);
  const failed = status === 'REGISTRATION_FAILURE';
  return {
    customerAccountId: accountId,
    accountStatus: status,
    timestreamRegistrationResponse:
      record.timestream === undefined
        ? undefined
        : {
            timestreamDatabaseName: record.timestream.databaseName,
            timestreamTableName: record.timestream.tableName,
            timestreamDatabaseArn: timestreamDatabaseArn(record),
            timestreamTableArn: `${timestreamDatabaseArn(record)}/table/${record.timestream.tableName}`,
            registrationStatus: status,
            errorMessage: failed ? TIMESTREAM_FAILURE_MESSAGE : undefined,
          },
    iamRegistrationResponse: {
      roleArn: record.roleArn,
      registrationStatus: status,
      errorMessage: failed ? record.errorMessage : undefined,
    },
    creationTime: record.creationTime,
    lastModificationTime: status === 'REGISTRATION_PENDING' ? record.requestedAt : record.settlesAt,
  };
}

function registerAccount(
  registrations: FleetwiseRegistrations,
  input: Record<string, unknown>,
  ctx: OperationContext,
): Record<string, unknown> {
  const { accountId, region } = ctx.caller;
  const iamResources = readStructure(input.iamResources, 'iamResources');
  const timestreamResources = readStructure(input.timestreamResources, 'timestreamResources');
  const found = [
    iamResources &&
      checkString(iamResources.roleArn, 'iamResources.roleArn', {
        required: true,
        minLength: ROLE_ARN_LENGTH.min,
        maxLength: ROLE_ARN_LENGTH.max,
        pattern: ROLE_ARN_PATTERN,
        patternText: ROLE_ARN_PATTERN_TEXT,
      }),
    ...(['timestreamDatabaseName', 'timestreamTableName'] as const).map(
      (member) =>
        timestreamResources &&
        checkString(timestreamResources[member], `timestreamResources.${member}`, {
          required: true,
          minLength: TIMESTREAM_NAME_LENGTH.min,
          maxLength: TIMESTREAM_NAME_LENGTH.max,
          pattern: TIMESTREAM_NAME_PATTERN,
        }),
    ),
  ].filter((check): check is Violation => check !== undefined);
  if (found.length > 0) throw fieldValidationError(found);

  const existing = registrations.find(accountId, region);
  if (existing !== undefined && registrations.statusOf(existing, ctx.now) === 'REGISTRATION_PENDING') {
    throw new AwsServiceError(
      'ConflictException',
      `A registration of account ${accountId} is already in progress in ${region}.`,
      400,
      { resource: accountId, resourceType: 'Account' },
    );
  }
  const timestream =
    timestreamResources === undefined
      ? undefined
      : {
          databaseName: timestreamResources.timestreamDatabaseName as string,
          tableName: timestreamResources.timestreamTableName as string,
        };
  const record = registrations.register(
    {
      accountId,
      region,
      roleArn: (iamResources?.roleArn as string | undefined) ?? serviceLinkedRoleArn(accountId),
      ...(timestream !== undefined && { timestream }),
    },
    ctx.now,
  );
  const status = registrations.statusOf(record, ctx.now);
  return {
    registerAccountStatus: status,
    timestreamResources:
      timestream === undefined
        ? undefined
        : { timestreamDatabaseName: timestream.databaseName, timestreamTableName: timestream.tableName },
    iamResources: { roleArn: record.roleArn },
    creationTime: record.creationTime,
    lastModificationTime: status === 'REGISTRATION_PENDING' ? record.requestedAt : record.settlesAt,
  };
}

function timestreamDatabaseArn(record: RegistrationRecord): string {
  return `arn:aws:timestream:${record.region}:${record.accountId}:database/${record.timestream?.databaseName ?? ''}`;
}

/** An optional structure member; anything but an object there cannot be parsed. */
function readStructure(value: unknown, name: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsServiceError('ValidationException', `Value at '${name}' must be a structure.`, 400, {
      reason: 'cannotParse',
    });
  }
  return value as Record<string, unknown>;
}

function fieldValidationError(found: readonly Violation[]): AwsServiceError {
  return new AwsServiceError('ValidationException', validationMessage(found), 400, {
    reason: found.some((item) => item.kind === 'type') ? 'cannotParse' : 'fieldValidationFailed',
    fieldList: found.map((item) => ({ name: item.path, message: item.message })),
  });
}
