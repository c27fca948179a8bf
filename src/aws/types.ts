// The plain data the aws/ layer hands upward: AWS shapes with Dates, free of SDK classes, and the
// AwsServices interface that status/ depends on (implemented by createAwsServices in ./index.ts).

export type AccountStateValue = 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
export type JoinedMethodValue = 'INVITED' | 'CREATED';

/** An Organizations Account. Enum-like members stay strings: AWS adds values, and unknown ones must not break us. */
export interface OrgAccount {
  readonly id: string;
  readonly arn?: string;
  readonly email?: string;
  readonly name?: string;
  readonly state?: string;
  /** Deprecated by AWS (retired 2026-09-09); kept because old records still carry it. */
  readonly status?: string;
  readonly joinedMethod?: string;
  readonly joinedTimestamp?: Date;
  readonly paths?: readonly string[];
}

export interface OrganizationInfo {
  readonly id: string;
  readonly arn: string;
  readonly featureSet: string;
  readonly managementAccountId: string;
  readonly managementAccountArn: string;
  readonly managementAccountEmail?: string;
}

export interface CreateAccountStatusRecord {
  readonly id: string;
  readonly accountName?: string;
  readonly state: string;
  readonly requestedTimestamp?: Date;
  readonly completedTimestamp?: Date;
  readonly accountId?: string;
  readonly govCloudAccountId?: string;
  readonly failureReason?: string;
}

export interface EnrollmentStatusRecord {
  readonly accountId: string;
  /** Active | Inactive | Pending | Failed (raw AWS value). */
  readonly status: string;
  readonly statusReason?: string;
  readonly memberAccountsEnrolled?: boolean;
  readonly numberOfMemberAccountsOptedIn?: number;
  readonly lastUpdatedTimestamp?: Date;
}

export interface IamRegistrationRecord {
  readonly roleArn: string;
  readonly registrationStatus: string;
  readonly errorMessage?: string;
}

export interface TimestreamRegistrationRecord {
  readonly timestreamDatabaseName: string;
  readonly timestreamTableName: string;
  readonly timestreamDatabaseArn?: string;
  readonly timestreamTableArn?: string;
  readonly registrationStatus: string;
  readonly errorMessage?: string;
}

export interface FleetwiseRegistrationRecord {
  readonly accountId: string;
  readonly region: string;
  readonly customerAccountId: string;
  readonly accountStatus: string;
  readonly iamRegistrationResponse?: IamRegistrationRecord;
  readonly timestreamRegistrationResponse?: TimestreamRegistrationRecord;
  readonly creationTime?: Date;
  readonly lastModificationTime?: Date;
}

export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
}

export interface CreateAccountParams {
  readonly email: string;
  readonly accountName: string;
  readonly roleName?: string;
  readonly iamUserAccessToBilling?: 'ALLOW' | 'DENY';
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export interface RegisterFleetwiseParams {
  readonly accountId: string;
  readonly region: string;
  readonly iamRoleArn: string;
  readonly timestream?: { readonly databaseName: string; readonly tableName: string };
}

export interface UpdateEnrollmentParams {
  readonly accountId: string;
  readonly status: 'Active' | 'Inactive';
  readonly includeMemberAccounts?: boolean;
}

/** One observed AWS call, for metrics and logs (never carries input or output data). */
export interface AwsCallEvent {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly outcome: 'success' | 'error' | 'throttled';
  /** Set on failures, and on "not found" answers that count as success (ResourceNotFoundException…). */
  readonly errorCode?: string;
  /** From the call's start to its end: time queued by the rate limit and the SDK's retries included. */
  readonly durationMs: number;
  /** Attempts the SDK made, retries included. */
  readonly attempts: number;
}

/**
 * Everything the domain needs from AWS, as plain async functions. Every failure is an AwsCallError
 * (./errors.ts). "Not found" answers that are normal data are values, not errors.
 */
export interface ListAccountsOptions {
  /** Called with each page's accounts in ListAccounts order, as soon as the page arrives; must not throw. */
  readonly onPage?: (accounts: readonly OrgAccount[]) => void;
}

/** The organization's root. */
export interface OrganizationRootInfo {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
}

/** An organizational unit and the root or OU it sits under. */
export interface OrganizationalUnitInfo {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly parentId: string;
}

/** A tag on an account, OU or root. */
export interface ResourceTag {
  readonly key: string;
  readonly value: string;
}

export interface AwsServices {
  /** STS GetCallerIdentity with the server's own credentials. */
  getCallerIdentity(): Promise<CallerIdentity>;
  /** DescribeOrganization; null when the caller is not in an organization (AWSOrganizationsNotInUseException). */
  describeOrganization(): Promise<OrganizationInfo | null>;
  /**
   * Every account, following ListAccounts pages sequentially (20 a page). `onPage` sees each page's accounts as it
   * arrives, so a caller can start work on them while the next pages are read.
   */
  listAccounts(options?: ListAccountsOptions): Promise<OrgAccount[]>;
  /** ListRoots: the organization's root. */
  listRoots(): Promise<OrganizationRootInfo[]>;
  /** ListOrganizationalUnitsForParent, every page. */
  listOrganizationalUnitsForParent(parentId: string): Promise<OrganizationalUnitInfo[]>;
  /** ListChildren (accounts), every page: the accounts directly under a parent. */
  listAccountIdsForParent(parentId: string): Promise<string[]>;
  /** ListTagsForResource, every page. */
  listTagsForResource(resourceId: string): Promise<ResourceTag[]>;
  /** DescribeAccount; null when AccountNotFoundException. */
  describeAccount(accountId: string): Promise<OrgAccount | null>;
  /** Every creation request on record (ListCreateAccountStatus, 20 a page). */
  listCreateAccountStatuses(): Promise<CreateAccountStatusRecord[]>;
  /** DescribeCreateAccountStatus; null when CreateAccountStatusNotFoundException. */
  describeCreateAccountStatus(requestId: string): Promise<CreateAccountStatusRecord | null>;
  /** CreateAccount, sent exactly once (never retried by the SDK: a retry could create a second account). */
  createAccount(params: CreateAccountParams): Promise<CreateAccountStatusRecord>;
  /** GetEnrollmentStatus in the given account (the management account with its own credentials, members through the member role). */
  getEnrollmentStatus(accountId: string): Promise<EnrollmentStatusRecord>;
  /** GetEnrollmentStatusesForOrganization, every page (up to 1000 a page). Members only. */
  listOrganizationEnrollmentStatuses(): Promise<EnrollmentStatusRecord[]>;
  /** UpdateEnrollmentStatus in the given account. */
  updateEnrollmentStatus(params: UpdateEnrollmentParams): Promise<EnrollmentStatusRecord>;
  /** GetRegisterAccountStatus in the account and region; null when never registered (ResourceNotFoundException). */
  getFleetwiseRegistration(accountId: string, region: string): Promise<FleetwiseRegistrationRecord | null>;
  /** RegisterAccount in the account and region. */
  registerFleetwiseAccount(params: RegisterFleetwiseParams): Promise<FleetwiseRegistrationRecord>;
  /** True when FleetWise is offered in the region (us-east-1, eu-central-1, ap-south-1). */
  isFleetwiseRegion(region: string): boolean;
  /** The account whose credentials the server uses (cached after the first GetCallerIdentity). */
  readonly callerAccountId: () => Promise<string>;
  /**
   * The same services for a caller that may go away: their reads pass `signal` to the SDK, which stops retrying when
   * it aborts, and fail with the throttling error they were retrying or else the signal's reason (aws/call.ts). With
   * `deadlineMs`, each read is abandoned alike once it has waited that long for AWS (code DeadlineExceeded).
   */
  withSignal(signal: AbortSignal, options?: { readonly deadlineMs?: number }): AwsServices;
  /** Releases sockets and timers. */
  destroy(): void;
}
