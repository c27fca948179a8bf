// Enums of the API. AWS adds values over time, so every enum that mirrors an AWS value has UNKNOWN, and the
// object that carries it also exposes the raw AWS text (see `toEnum`).
import { registerEnumType } from 'type-graphql';

export enum RegistrationStatus {
  REGISTRATION_PENDING = 'REGISTRATION_PENDING',
  REGISTRATION_SUCCESS = 'REGISTRATION_SUCCESS',
  REGISTRATION_FAILURE = 'REGISTRATION_FAILURE',
  UNKNOWN = 'UNKNOWN',
}

export enum EnrollmentStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  PENDING = 'PENDING',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}

export enum CreateAccountState {
  IN_PROGRESS = 'IN_PROGRESS',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}

export enum CreateAccountFailureReason {
  ACCOUNT_LIMIT_EXCEEDED = 'ACCOUNT_LIMIT_EXCEEDED',
  EMAIL_ALREADY_EXISTS = 'EMAIL_ALREADY_EXISTS',
  INVALID_ADDRESS = 'INVALID_ADDRESS',
  INVALID_EMAIL = 'INVALID_EMAIL',
  CONCURRENT_ACCOUNT_MODIFICATION = 'CONCURRENT_ACCOUNT_MODIFICATION',
  INTERNAL_FAILURE = 'INTERNAL_FAILURE',
  GOVCLOUD_ACCOUNT_ALREADY_EXISTS = 'GOVCLOUD_ACCOUNT_ALREADY_EXISTS',
  MISSING_BUSINESS_VALIDATION = 'MISSING_BUSINESS_VALIDATION',
  FAILED_BUSINESS_VALIDATION = 'FAILED_BUSINESS_VALIDATION',
  PENDING_BUSINESS_VALIDATION = 'PENDING_BUSINESS_VALIDATION',
  INVALID_IDENTITY_FOR_BUSINESS_VALIDATION = 'INVALID_IDENTITY_FOR_BUSINESS_VALIDATION',
  IDENTITY_INVALID_BUSINESS_VALIDATION = 'IDENTITY_INVALID_BUSINESS_VALIDATION',
  UNKNOWN_BUSINESS_VALIDATION = 'UNKNOWN_BUSINESS_VALIDATION',
  MISSING_PAYMENT_INSTRUMENT = 'MISSING_PAYMENT_INSTRUMENT',
  INVALID_PAYMENT_INSTRUMENT = 'INVALID_PAYMENT_INSTRUMENT',
  UPDATE_EXISTING_RESOURCE_POLICY_WITH_TAGS_NOT_SUPPORTED = 'UPDATE_EXISTING_RESOURCE_POLICY_WITH_TAGS_NOT_SUPPORTED',
  UNKNOWN = 'UNKNOWN',
}

export enum AccountState {
  PENDING_ACTIVATION = 'PENDING_ACTIVATION',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  PENDING_CLOSURE = 'PENDING_CLOSURE',
  CLOSED = 'CLOSED',
  UNKNOWN = 'UNKNOWN',
}

export enum AccountJoinedMethod {
  INVITED = 'INVITED',
  CREATED = 'CREATED',
  UNKNOWN = 'UNKNOWN',
}

export enum StatusSource {
  FLEETWISE_REGISTRATION = 'FLEETWISE_REGISTRATION',
  COMPUTE_OPTIMIZER_ENROLLMENT = 'COMPUTE_OPTIMIZER_ENROLLMENT',
  CREATION_REQUEST = 'CREATION_REQUEST',
}

const UNKNOWN_DESCRIPTION = 'A value AWS returned that this version of statusgraph does not know; the raw text is in the sibling *Raw field.';

registerEnumType(RegistrationStatus, {
  name: 'RegistrationStatus',
  description: 'Status of an IoT FleetWise account, IAM or Timestream registration.',
  valuesConfig: {
    REGISTRATION_PENDING: { description: 'IoT FleetWise is processing the registration (about five minutes on AWS).' },
    REGISTRATION_SUCCESS: { description: 'The resource is registered.' },
    REGISTRATION_FAILURE: { description: 'IoT FleetWise could not register the resource; see errorMessage.' },
    UNKNOWN: { description: UNKNOWN_DESCRIPTION },
  },
});

registerEnumType(EnrollmentStatus, {
  name: 'EnrollmentStatus',
  description: 'Compute Optimizer enrollment (opt-in) status of an account. AWS spells these Active, Inactive, Pending, Failed.',
  valuesConfig: {
    ACTIVE: { description: 'Opted in.' },
    INACTIVE: { description: 'Not opted in.' },
    PENDING: { description: 'Enrollment is in progress.' },
    FAILED: { description: 'Enrollment failed; see statusReason.' },
    UNKNOWN: { description: UNKNOWN_DESCRIPTION },
  },
});

registerEnumType(CreateAccountState, {
  name: 'CreateAccountState',
  description: 'State of an asynchronous Organizations CreateAccount request.',
  valuesConfig: {
    IN_PROGRESS: { description: 'AWS is creating the account.' },
    SUCCEEDED: { description: 'The account exists; accountId names it.' },
    FAILED: { description: 'The account was not created; failureReason says why.' },
    UNKNOWN: { description: UNKNOWN_DESCRIPTION },
  },
});

registerEnumType(CreateAccountFailureReason, {
  name: 'CreateAccountFailureReason',
  description: 'Why Organizations could not create an account (AWS documentation lists the meaning of each value).',
  valuesConfig: { UNKNOWN: { description: UNKNOWN_DESCRIPTION } },
});

registerEnumType(AccountState, {
  name: 'AccountState',
  description: 'Lifecycle state of an account in the organization.',
  valuesConfig: { UNKNOWN: { description: UNKNOWN_DESCRIPTION } },
});

registerEnumType(AccountJoinedMethod, {
  name: 'AccountJoinedMethod',
  description: 'How the account became a member of the organization.',
  valuesConfig: {
    INVITED: { description: 'Invited from outside the organization: it has no creation request.' },
    CREATED: { description: 'Created by the organization with CreateAccount.' },
    UNKNOWN: { description: UNKNOWN_DESCRIPTION },
  },
});

registerEnumType(StatusSource, {
  name: 'StatusSource',
  description: 'The AWS service a status comes from.',
  valuesConfig: {
    FLEETWISE_REGISTRATION: { description: 'IoT FleetWise account registration (per region).' },
    COMPUTE_OPTIMIZER_ENROLLMENT: { description: 'Compute Optimizer enrollment.' },
    CREATION_REQUEST: { description: 'The Organizations request that created the account.' },
  },
});

/**
 * Maps an AWS value onto a GraphQL enum; AWS's mixed case (Active) matches its upper-case name (ACTIVE).
 * Anything else is UNKNOWN, never a failed response.
 */
export function toEnum<E extends Record<string, string>>(enumObject: E & { UNKNOWN: string }, raw: string): E[keyof E];
export function toEnum<E extends Record<string, string>>(
  enumObject: E & { UNKNOWN: string },
  raw: string | undefined | null,
): E[keyof E] | undefined;
export function toEnum<E extends Record<string, string>>(
  enumObject: E & { UNKNOWN: string },
  raw: string | undefined | null,
): E[keyof E] | undefined {
  if (raw == null) return undefined;
  // A page maps the same few AWS values hundreds of times; each distinct one is upper-cased and looked up once.
  let known = MAPPED.get(enumObject);
  if (!known) MAPPED.set(enumObject, (known = new Map()));
  let value = known.get(raw);
  if (value === undefined) {
    const name = raw.toUpperCase();
    value = Object.prototype.hasOwnProperty.call(enumObject, name) ? enumObject[name]! : enumObject.UNKNOWN;
    // AWS's values are few; a stream of unknown ones is mapped each time rather than remembered without bound.
    if (known.size < MAX_MAPPED_PER_ENUM) known.set(raw, value);
  }
  return value as E[keyof E];
}

/** AWS values already mapped, per enum. */
const MAPPED = new WeakMap<object, Map<string, string>>();
/** Distinct AWS values remembered per enum. @default 256 */
const MAX_MAPPED_PER_ENUM = 256;
