// The records the domain answers with — what graphql/ and server/ may know of an account, the organization, a
// creation request, an enrollment and a FleetWise registration. They are declared here, not re-exported from aws/:
// the aws/ layer's results fit them (TypeScript checks it where the StatusService hands them on), and a change to
// an AWS shape reaches the API only through this file. Enum-like members are AWS's raw strings: AWS adds values,
// and an unknown one must not break a read.

/** An account of the organization. */
export interface OrgAccount {
  readonly id: string;
  readonly arn?: string;
  readonly email?: string;
  readonly name?: string;
  /** ACTIVE, SUSPENDED, PENDING_ACTIVATION, PENDING_CLOSURE, CLOSED… */
  readonly state?: string;
  /** AWS's deprecated account status (retired 2026-09-09); old records still carry it. */
  readonly status?: string;
  /** INVITED or CREATED. */
  readonly joinedMethod?: string;
  readonly joinedTimestamp?: Date;
  /** Where the account sits in the organization's tree (AWS's Paths). */
  readonly paths?: readonly string[];
}

/** The organization the server's account belongs to. */
export interface OrganizationInfo {
  readonly id: string;
  readonly arn: string;
  readonly featureSet: string;
  readonly managementAccountId: string;
  readonly managementAccountArn: string;
  readonly managementAccountEmail?: string;
}

/** A CreateAccount request and how far it got. */
export interface CreateAccountStatusRecord {
  readonly id: string;
  readonly accountName?: string;
  /** IN_PROGRESS, SUCCEEDED or FAILED. */
  readonly state: string;
  readonly requestedTimestamp?: Date;
  readonly completedTimestamp?: Date;
  /** The account created, once it exists. */
  readonly accountId?: string;
  readonly govCloudAccountId?: string;
  readonly failureReason?: string;
}

/** An account's Compute Optimizer enrollment. */
export interface EnrollmentStatusRecord {
  readonly accountId: string;
  /** Active, Inactive, Pending or Failed. */
  readonly status: string;
  readonly statusReason?: string;
  readonly memberAccountsEnrolled?: boolean;
  readonly numberOfMemberAccountsOptedIn?: number;
  readonly lastUpdatedTimestamp?: Date;
}

/** The IAM role registered with IoT FleetWise. */
export interface IamRegistrationRecord {
  readonly roleArn: string;
  readonly registrationStatus: string;
  readonly errorMessage?: string;
}

/** The Timestream database and table registered with IoT FleetWise. */
export interface TimestreamRegistrationRecord {
  readonly timestreamDatabaseName: string;
  readonly timestreamTableName: string;
  readonly timestreamDatabaseArn?: string;
  readonly timestreamTableArn?: string;
  readonly registrationStatus: string;
  readonly errorMessage?: string;
}

/** An account's IoT FleetWise registration in one region. */
export interface FleetwiseRegistrationRecord {
  readonly accountId: string;
  readonly region: string;
  readonly customerAccountId: string;
  /** REGISTRATION_PENDING, REGISTRATION_SUCCESS or REGISTRATION_FAILURE. */
  readonly accountStatus: string;
  readonly iamRegistrationResponse?: IamRegistrationRecord;
  readonly timestreamRegistrationResponse?: TimestreamRegistrationRecord;
  readonly creationTime?: Date;
  readonly lastModificationTime?: Date;
}
