// AccountFilter: the one input that chooses a set of accounts, wherever the API selects some (organization.accounts,
// statusSummary, OrganizationalUnit.accounts, accountStatusChanged). Ids and tag keys are checked against AWS's
// patterns and limits before any AWS call (BAD_USER_INPUT naming the field); the domain applies it (status/account-filter.ts).
import { ArrayMaxSize, IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { AccountFilter } from '../../status/index.js';
import { AccountJoinedMethod, AccountState } from '../enums.js';

/** A root (`r-`) or OU (`ou-<root>-<8–32>`) id, as Organizations' ParentId pattern has it. */
export const PARENT_ID_PATTERN = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
/** Organizations' TagKey / TagValue character set. */
const TAG_TEXT_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export enum EnrollmentFilterValue {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  PENDING = 'PENDING',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
  UNREADABLE = 'UNREADABLE',
}
export enum RegistrationFilterValue {
  REGISTRATION_PENDING = 'REGISTRATION_PENDING',
  REGISTRATION_SUCCESS = 'REGISTRATION_SUCCESS',
  REGISTRATION_FAILURE = 'REGISTRATION_FAILURE',
  UNKNOWN = 'UNKNOWN',
  NOT_REGISTERED = 'NOT_REGISTERED',
  UNREADABLE = 'UNREADABLE',
}
export enum CreationRequestFilterValue {
  IN_PROGRESS = 'IN_PROGRESS',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
  NONE = 'NONE',
  UNREADABLE = 'UNREADABLE',
}
const UNREADABLE_DESCRIPTION =
  'AWS refused to read the status (AWS_ACCESS_DENIED: IAM, an SCP or the member role; or another refusal it would repeat). ' +
  'A passing failure (THROTTLED, UPSTREAM_UNAVAILABLE) is no answer: the account is listed in `undecided` instead.';
const UNKNOWN_DESCRIPTION = 'A value AWS returned that this version of statusgraph does not know.';
registerEnumType(EnrollmentFilterValue, {
  name: 'EnrollmentFilterValue',
  description: 'A Compute Optimizer enrollment an AccountFilter can ask for.',
  valuesConfig: {
    ACTIVE: { description: 'Enrolled (AWS: Active).' },
    INACTIVE: { description: 'Not enrolled (AWS: Inactive).' },
    PENDING: { description: 'Being enrolled (AWS: Pending).' },
    FAILED: { description: 'Enrollment failed (AWS: Failed).' },
    UNKNOWN: { description: UNKNOWN_DESCRIPTION },
    UNREADABLE: { description: UNREADABLE_DESCRIPTION },
  },
});
registerEnumType(RegistrationFilterValue, {
  name: 'RegistrationFilterValue',
  description: 'An IoT FleetWise registration an AccountFilter can ask for.',
  valuesConfig: {
    REGISTRATION_PENDING: { description: 'IoT FleetWise is processing the registration.' },
    REGISTRATION_SUCCESS: { description: 'Registered.' },
    REGISTRATION_FAILURE: { description: 'The registration failed.' },
    NOT_REGISTERED: { description: 'The account never registered in the region.' },
    UNKNOWN: { description: UNKNOWN_DESCRIPTION },
    UNREADABLE: { description: UNREADABLE_DESCRIPTION },
  },
});
registerEnumType(CreationRequestFilterValue, {
  name: 'CreationRequestFilterValue',
  description: 'A creation request state an AccountFilter can ask for.',
  valuesConfig: {
    IN_PROGRESS: { description: 'The request is still creating the account.' },
    SUCCEEDED: { description: 'The request created the account.' },
    FAILED: { description: 'The request failed.' },
    NONE: { description: 'The account has no creation request (it was invited).' },
    UNKNOWN: { description: UNKNOWN_DESCRIPTION },
    UNREADABLE: { description: UNREADABLE_DESCRIPTION },
  },
});

@InputType({ description: 'Accounts carrying a tag key with one of several values.' })
export class TagFilterInput {
  @Field(() => String, { description: 'Tag key, 1–128 characters of AWS\'s tag alphabet.' })
  @Length(1, 128, { message: 'must be 1 to 128 characters' })
  @Matches(TAG_TEXT_PATTERN, { message: 'must use letters, digits, spaces and _ . : / = + - @ only' })
  key!: string;

  @Field(() => [String], { defaultValue: [], description: 'Accepted values (any of them); empty: any value of the key.' })
  @ArrayMaxSize(50, { message: 'must list at most 50 values' })
  @Length(0, 256, { each: true, message: 'must be at most 256 characters each' })
  values!: string[];
}

@InputType({ description: 'Chooses accounts. Every criterion given must hold; within one, any listed value does.' })
export class AccountFilterInput {
  @Field(() => String, { nullable: true, description: 'Accounts under this OU (ou-…) or root (r-…), descendants included unless directOnly.' })
  @IsOptional()
  @Matches(PARENT_ID_PATTERN, { message: 'must be a root id (r-…) or an OU id (ou-…-…)' })
  organizationalUnitId?: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Only accounts directly in organizationalUnitId, not in its descendants.' })
  directOnly!: boolean;

  @Field(() => [TagFilterInput], { nullable: true, description: 'Tag criteria, all of which must hold (AND); within one, any value (OR).' })
  @IsOptional()
  @ArrayMaxSize(50, { message: 'must list at most 50 tags' })
  @ValidateNested({ each: true })
  tags?: TagFilterInput[];

  @Field(() => [AccountState], { nullable: true, description: 'Accounts in one of these states.' })
  states?: AccountState[];

  @Field(() => [AccountJoinedMethod], { nullable: true, description: 'Accounts that joined one of these ways.' })
  joinedMethods?: AccountJoinedMethod[];

  @Field(() => String, { nullable: true, description: 'A case-insensitive substring of the account name or id.' })
  @IsOptional()
  @Length(1, 64, { message: 'must be 1 to 64 characters' })
  nameOrId?: string;

  @Field(() => [EnrollmentFilterValue], { nullable: true, description: 'Compute Optimizer enrollments wanted.' })
  computeOptimizerEnrollment?: EnrollmentFilterValue[];

  @Field(() => [RegistrationFilterValue], { nullable: true, description: 'IoT FleetWise registrations wanted (in fleetwiseRegion).' })
  fleetwiseRegistration?: RegistrationFilterValue[];

  @Field(() => String, { nullable: true, description: 'The region of fleetwiseRegistration (default: the first FleetWise region served).' })
  @IsOptional()
  @Matches(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be a region name such as us-east-1' })
  fleetwiseRegion?: string;

  @Field(() => [CreationRequestFilterValue], { nullable: true, description: 'Creation request states wanted (NONE: invited accounts).' })
  creationRequest?: CreationRequestFilterValue[];
}

/** The domain's filter; undefined input is no filter. */
export function toAccountFilter(input: AccountFilterInput | null | undefined): AccountFilter {
  if (!input) return {};
  return {
    ...(input.organizationalUnitId != null && { organizationalUnitId: input.organizationalUnitId }),
    directOnly: input.directOnly ?? false,
    ...(input.tags != null && { tags: input.tags.map((tag) => ({ key: tag.key, values: tag.values ?? [] })) }),
    ...(input.states != null && { states: input.states }),
    ...(input.joinedMethods != null && { joinedMethods: input.joinedMethods }),
    ...(input.nameOrId != null && { nameOrId: input.nameOrId }),
    ...(input.computeOptimizerEnrollment != null && { computeOptimizerEnrollment: input.computeOptimizerEnrollment }),
    ...(input.fleetwiseRegistration != null && { fleetwiseRegistration: input.fleetwiseRegistration }),
    ...(input.fleetwiseRegion != null && { fleetwiseRegion: input.fleetwiseRegion }),
    ...(input.creationRequest != null && { creationRequest: input.creationRequest }),
  };
}

/** True when the filter chooses every account. */
export function isEmptyFilter(filter: AccountFilter): boolean {
  return Object.entries(filter).every(([key, value]) => key === 'directOnly' || value === undefined);
}
