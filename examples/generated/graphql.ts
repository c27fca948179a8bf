/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** How the account became a member of the organization. */
export type AccountJoinedMethod =
  /** Created by the organization with CreateAccount. */
  | 'CREATED'
  /** Invited from outside the organization: it has no creation request. */
  | 'INVITED'
  /** A value AWS returned that this version of statusgraph does not know; the raw text is in the sibling *Raw field. */
  | 'UNKNOWN';

/** Lifecycle state of an account in the organization. */
export type AccountState =
  | 'ACTIVE'
  | 'CLOSED'
  | 'PENDING_ACTIVATION'
  | 'PENDING_CLOSURE'
  | 'SUSPENDED'
  /** A value AWS returned that this version of statusgraph does not know; the raw text is in the sibling *Raw field. */
  | 'UNKNOWN';

/** Why Organizations could not create an account (AWS documentation lists the meaning of each value). */
export type CreateAccountFailureReason =
  | 'ACCOUNT_LIMIT_EXCEEDED'
  | 'CONCURRENT_ACCOUNT_MODIFICATION'
  | 'EMAIL_ALREADY_EXISTS'
  | 'FAILED_BUSINESS_VALIDATION'
  | 'GOVCLOUD_ACCOUNT_ALREADY_EXISTS'
  | 'IDENTITY_INVALID_BUSINESS_VALIDATION'
  | 'INTERNAL_FAILURE'
  | 'INVALID_ADDRESS'
  | 'INVALID_EMAIL'
  | 'INVALID_IDENTITY_FOR_BUSINESS_VALIDATION'
  | 'INVALID_PAYMENT_INSTRUMENT'
  | 'MISSING_BUSINESS_VALIDATION'
  | 'MISSING_PAYMENT_INSTRUMENT'
  | 'PENDING_BUSINESS_VALIDATION'
  /** A value AWS returned that this version of statusgraph does not know; the raw text is in the sibling *Raw field. */
  | 'UNKNOWN'
  | 'UNKNOWN_BUSINESS_VALIDATION'
  | 'UPDATE_EXISTING_RESOURCE_POLICY_WITH_TAGS_NOT_SUPPORTED';

/** Create a member account in the organization (asynchronous: follow it with createAccountRequestChanged). */
export type CreateAccountInput = {
  /** Name of the new account, 1–50 printable ASCII characters. Sensitive. */
  accountName: string;
  /** Root email of the new account, 6–64 characters, unique across AWS. Sensitive. */
  email: string;
  /** Default: ALLOW. */
  iamUserAccessToBilling?: IamUserAccessToBilling | null | undefined;
  /** Your key for this request (1–64 of [A-Za-z0-9_-]). Retrying with the same key within 24 hours returns the same creation request and never creates a second account. */
  idempotencyKey: string;
  /** Role created in the new account for the management account. Default: OrganizationAccountAccessRole. */
  roleName?: string | null | undefined;
  /** Up to 50 tags. */
  tags?: Array<TagInput> | null | undefined;
};

/** State of an asynchronous Organizations CreateAccount request. */
export type CreateAccountState =
  /** The account was not created; failureReason says why. */
  | 'FAILED'
  /** AWS is creating the account. */
  | 'IN_PROGRESS'
  /** The account exists; accountId names it. */
  | 'SUCCEEDED'
  /** A value AWS returned that this version of statusgraph does not know; the raw text is in the sibling *Raw field. */
  | 'UNKNOWN';

/** Compute Optimizer enrollment (opt-in) status of an account. AWS spells these Active, Inactive, Pending, Failed. */
export type EnrollmentStatus =
  /** Opted in. */
  | 'ACTIVE'
  /** Enrollment failed; see statusReason. */
  | 'FAILED'
  /** Not opted in. */
  | 'INACTIVE'
  /** Enrollment is in progress. */
  | 'PENDING'
  /** A value AWS returned that this version of statusgraph does not know; the raw text is in the sibling *Raw field. */
  | 'UNKNOWN';

/** The enrollment status to set: opt in (ACTIVE) or out (INACTIVE). */
export type EnrollmentTarget =
  /** Opt in (AWS: Active). The status passes through PENDING. */
  | 'ACTIVE'
  /** Opt out (AWS: Inactive). */
  | 'INACTIVE';

/** Whether IAM users and roles of the new account may see its billing information. */
export type IamUserAccessToBilling =
  /** IAM users and roles with the right permissions may see billing (the AWS default). */
  | 'ALLOW'
  /** Only the root user may see billing. */
  | 'DENY';

/** What observed a status change. */
export type ObservedBy =
  /** A mutation's own answer (caller and idempotencyKey say whose). */
  | 'MUTATION'
  /** A subscription's poller. */
  | 'POLL'
  /** A query that read the status from AWS. */
  | 'QUERY';

/** Register an account with IoT FleetWise in one region. */
export type RegisterFleetwiseAccountInput = {
  /** The account to register (statusgraph calls RegisterAccount in it). */
  accountId: string;
  /** ARN of the IAM role IoT FleetWise assumes, in the same account, e.g. arn:aws:iam::123456789012:role/FleetWise. */
  iamRoleArn: string;
  /** Region; default: the first configured FleetWise region. */
  region?: string | null | undefined;
  /**
   * Timestream destination.
   * @deprecated AWS deprecated Timestream registration for IoT FleetWise; register without it.
   */
  timestream?: TimestreamResourcesInput | null | undefined;
};

/** Status of an IoT FleetWise account, IAM or Timestream registration. */
export type RegistrationStatus =
  /** IoT FleetWise could not register the resource; see errorMessage. */
  | 'REGISTRATION_FAILURE'
  /** IoT FleetWise is processing the registration (about five minutes on AWS). */
  | 'REGISTRATION_PENDING'
  /** The resource is registered. */
  | 'REGISTRATION_SUCCESS'
  /** A value AWS returned that this version of statusgraph does not know; the raw text is in the sibling *Raw field. */
  | 'UNKNOWN';

/** The AWS service a status comes from. */
export type StatusSource =
  /** Compute Optimizer enrollment. */
  | 'COMPUTE_OPTIMIZER_ENROLLMENT'
  /** The Organizations request that created the account. */
  | 'CREATION_REQUEST'
  /** IoT FleetWise account registration (per region). */
  | 'FLEETWISE_REGISTRATION';

/** A tag to attach to the new account. */
export type TagInput = {
  /** Tag key, 1–128 characters, not starting with "aws:" (AWS reserves that prefix). */
  key: string;
  /** Tag value, 0–256 characters. */
  value: string;
};

/** Amazon Timestream resources to register (deprecated by AWS for IoT FleetWise). */
export type TimestreamResourcesInput = {
  /** Name of the Timestream database: 3–255 of [a-zA-Z0-9_.-]. */
  databaseName: string;
  /** Name of the Timestream table: 3–255 of [a-zA-Z0-9_.-]. */
  tableName: string;
};

/** Opt an account in to or out of Compute Optimizer. */
export type UpdateComputeOptimizerEnrollmentInput = {
  /** The account to update (statusgraph calls UpdateEnrollmentStatus in it). */
  accountId: string;
  /** For the management account: also enroll every member account. */
  includeMemberAccounts?: boolean;
  /** ACTIVE to opt in, INACTIVE to opt out. */
  status: EnrollmentTarget;
};

export type AccountStatusQueryVariables = Exact<{
  id: string;
  region?: string | null | undefined;
}>;


export type AccountStatusQuery = { account: { id: string, name: string | null, state: AccountState | null, joinedMethod: AccountJoinedMethod | null, joinedAt: string | null, fleetwiseRegistration: { region: string, accountStatus: RegistrationStatus, customerAccountId: string, creationTime: string, lastModificationTime: string, fetchedAt: string, iam: { roleArn: string, registrationStatus: RegistrationStatus, errorMessage: string | null } } | null, computeOptimizerEnrollment: { status: EnrollmentStatus, statusReason: string | null, lastUpdatedTimestamp: string | null, fetchedAt: string } | null, creationRequest: { id: string, accountName: string | null, state: CreateAccountState, failureReason: CreateAccountFailureReason | null, requestedTimestamp: string | null, completedTimestamp: string | null, fetchedAt: string } | null } | null };

export type AccountsPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  states?: Array<AccountState> | AccountState | null | undefined;
}>;


export type AccountsPageQuery = { organization: { accounts: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, name: string | null, state: AccountState | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type CreateAccountMutationVariables = Exact<{
  input: CreateAccountInput;
}>;


export type CreateAccountMutation = { createAccount: { id: string, state: CreateAccountState, requestedTimestamp: string | null, fetchedAt: string } };

export type FollowCreateAccountRequestSubscriptionVariables = Exact<{
  id: string;
}>;


export type FollowCreateAccountRequestSubscription = { createAccountRequestChanged: { id: string, state: CreateAccountState, accountId: string | null, failureReason: CreateAccountFailureReason | null, completedTimestamp: string | null } };

export type OrganizationOverviewQueryVariables = Exact<{
  first?: number;
}>;


export type OrganizationOverviewQuery = { organization: { id: string, managementAccountId: string, accounts: { totalCount: number, nodes: Array<{ id: string, name: string | null, state: AccountState | null, joinedMethod: AccountJoinedMethod | null, fleetwiseRegistration: { region: string, accountStatus: RegistrationStatus, fetchedAt: string, iam: { roleArn: string, errorMessage: string | null } } | null, computeOptimizerEnrollment: { status: EnrollmentStatus, statusReason: string | null, fetchedAt: string } | null, creationRequest: { id: string, state: CreateAccountState, failureReason: CreateAccountFailureReason | null, completedTimestamp: string | null } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, statusSummary: { totalAccounts: number, sources: Array<{ source: StatusSource, region: string | null, counts: Array<{ value: string, count: number }> }> } } | null };

export type RegisterFleetwiseAccountMutationVariables = Exact<{
  input: RegisterFleetwiseAccountInput;
}>;


export type RegisterFleetwiseAccountMutation = { registerFleetwiseAccount: { region: string, accountStatus: RegistrationStatus, customerAccountId: string, lastModificationTime: string, fetchedAt: string, iam: { roleArn: string, registrationStatus: RegistrationStatus, errorMessage: string | null } } };

export type StatusSummaryQueryVariables = Exact<{ [key: string]: never; }>;


export type StatusSummaryQuery = { organization: { id: string, statusSummary: { totalAccounts: number, accountStates: Array<{ value: string, count: number }>, sources: Array<{ source: StatusSource, region: string | null, counts: Array<{ value: string, count: number }> }> } } | null };

export type UpdateComputeOptimizerEnrollmentMutationVariables = Exact<{
  input: UpdateComputeOptimizerEnrollmentInput;
}>;


export type UpdateComputeOptimizerEnrollmentMutation = { updateComputeOptimizerEnrollment: { status: EnrollmentStatus, statusReason: string | null, memberAccountsEnrolled: boolean | null, lastUpdatedTimestamp: string | null, fetchedAt: string } };

export type WatchAccountStatusSubscriptionVariables = Exact<{
  accountIds?: Array<string> | string | null | undefined;
  sources?: Array<StatusSource> | StatusSource | null | undefined;
}>;


export type WatchAccountStatusSubscription = { accountStatusChanged: { source: StatusSource, region: string | null, previous: string | null, current: string | null, changedAt: string, account: { id: string, name: string | null }, error: { code: string, message: string } | null } };

export type BoardDirectoryQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type BoardDirectoryQuery = { organization: { id: string, managementAccountId: string, accounts: { totalCount: number, nodes: Array<{ id: string, name: string | null, state: AccountState | null, path: Array<
          | { id: string, name: string }
          | { id: string, name: string }
        > | null, tags: Array<{ key: string, value: string }> | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type BoardSummaryQueryVariables = Exact<{ [key: string]: never; }>;


export type BoardSummaryQuery = { organization: { id: string, statusSummary: { totalAccounts: number, sources: Array<{ source: StatusSource, region: string | null, counts: Array<{ value: string, count: number }> }> } } | null };

export type BoardStatusChangesSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type BoardStatusChangesSubscription = { accountStatusChanged: { source: StatusSource, region: string | null, previous: string | null, current: string | null, changedAt: string, cursor: string | null, observedBy: ObservedBy | null, caller: string | null, firstReading: boolean | null, account: { id: string, name: string | null, state: AccountState | null }, error: { code: string, message: string } | null } };

export type BoardRecentChangesQueryVariables = Exact<{
  since: string;
  after?: string | null | undefined;
}>;


export type BoardRecentChangesQuery = { organization: { id: string, statusChanges: { nodes: Array<{ accountId: string, changedAt: string, firstReading: boolean | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null } | null };

export type BoardAccountHistoryQueryVariables = Exact<{
  id: string;
  after?: string | null | undefined;
}>;


export type BoardAccountHistoryQuery = { account: { id: string, history: { edges: Array<{ cursor: string, node: { source: StatusSource, region: string | null, previous: string | null, current: string | null, changedAt: string, observedBy: ObservedBy | null, caller: string | null, firstReading: boolean | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null } | null };

export type BoardTreeQueryVariables = Exact<{ [key: string]: never; }>;


export type BoardTreeQuery = { organization: { id: string, root: { id: string }, organizationalUnits: Array<{ id: string, name: string, parentId: string }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const AccountStatusDocument = new TypedDocumentString(`
    query AccountStatus($id: AccountId!, $region: String) {
  account(id: $id) {
    id
    name
    state
    joinedMethod
    joinedAt
    fleetwiseRegistration(region: $region) {
      region
      accountStatus
      customerAccountId
      iam {
        roleArn
        registrationStatus
        errorMessage
      }
      creationTime
      lastModificationTime
      fetchedAt
    }
    computeOptimizerEnrollment {
      status
      statusReason
      lastUpdatedTimestamp
      fetchedAt
    }
    creationRequest {
      id
      accountName
      state
      failureReason
      requestedTimestamp
      completedTimestamp
      fetchedAt
    }
  }
}
    `, {"hash":"sha256:2bb173a4fc277286a9c0d25994137b157588c9e4f067391bacf510ab1ab78282"}) as unknown as TypedDocumentString<AccountStatusQuery, AccountStatusQueryVariables>;
export const AccountsPageDocument = new TypedDocumentString(`
    query AccountsPage($first: Int!, $after: String, $states: [AccountState!]) {
  organization {
    accounts(first: $first, after: $after, states: $states) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          state
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `, {"hash":"sha256:fc913d6b1e65f2a0e40a3f896e6db3176577e7f9a54d456923ee30d5de603421"}) as unknown as TypedDocumentString<AccountsPageQuery, AccountsPageQueryVariables>;
export const CreateAccountDocument = new TypedDocumentString(`
    mutation CreateAccount($input: CreateAccountInput!) {
  createAccount(input: $input) {
    id
    state
    requestedTimestamp
    fetchedAt
  }
}
    `, {"hash":"sha256:fd1327f00e3a9a040a30cfe7f6b8744e8774d4021e8d12b7b4adfa51e75743e4"}) as unknown as TypedDocumentString<CreateAccountMutation, CreateAccountMutationVariables>;
export const FollowCreateAccountRequestDocument = new TypedDocumentString(`
    subscription FollowCreateAccountRequest($id: CreateAccountRequestId!) {
  createAccountRequestChanged(id: $id) {
    id
    state
    accountId
    failureReason
    completedTimestamp
  }
}
    `, {"hash":"sha256:d09624aa2b55a541079b21af5bd1e9f200b52a4412f822b6d24629f754fab26b"}) as unknown as TypedDocumentString<FollowCreateAccountRequestSubscription, FollowCreateAccountRequestSubscriptionVariables>;
export const OrganizationOverviewDocument = new TypedDocumentString(`
    query OrganizationOverview($first: Int! = 20) {
  organization {
    id
    managementAccountId
    accounts(first: $first) {
      totalCount
      nodes {
        id
        name
        state
        joinedMethod
        fleetwiseRegistration {
          region
          accountStatus
          iam {
            roleArn
            errorMessage
          }
          fetchedAt
        }
        computeOptimizerEnrollment {
          status
          statusReason
          fetchedAt
        }
        creationRequest {
          id
          state
          failureReason
          completedTimestamp
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    statusSummary {
      totalAccounts
      sources {
        source
        region
        counts {
          value
          count
        }
      }
    }
  }
}
    `, {"hash":"sha256:51afe5515162940fa6d75a0a0bf1e18d02b0e2806810163b1e6a27785a60c532"}) as unknown as TypedDocumentString<OrganizationOverviewQuery, OrganizationOverviewQueryVariables>;
export const RegisterFleetwiseAccountDocument = new TypedDocumentString(`
    mutation RegisterFleetwiseAccount($input: RegisterFleetwiseAccountInput!) {
  registerFleetwiseAccount(input: $input) {
    region
    accountStatus
    customerAccountId
    iam {
      roleArn
      registrationStatus
      errorMessage
    }
    lastModificationTime
    fetchedAt
  }
}
    `, {"hash":"sha256:7b697d2d7fb966550c277806c8d0587dcfa53e3f13a4ed2e3cdfb0766ab97c9c"}) as unknown as TypedDocumentString<RegisterFleetwiseAccountMutation, RegisterFleetwiseAccountMutationVariables>;
export const StatusSummaryDocument = new TypedDocumentString(`
    query StatusSummary {
  organization {
    id
    statusSummary {
      totalAccounts
      accountStates {
        value
        count
      }
      sources {
        source
        region
        counts {
          value
          count
        }
      }
    }
  }
}
    `, {"hash":"sha256:47e5bc6a855045b2223d7d2ffc26cdec4aa73879c48dc1389441d2e51142fad2"}) as unknown as TypedDocumentString<StatusSummaryQuery, StatusSummaryQueryVariables>;
export const UpdateComputeOptimizerEnrollmentDocument = new TypedDocumentString(`
    mutation UpdateComputeOptimizerEnrollment($input: UpdateComputeOptimizerEnrollmentInput!) {
  updateComputeOptimizerEnrollment(input: $input) {
    status
    statusReason
    memberAccountsEnrolled
    lastUpdatedTimestamp
    fetchedAt
  }
}
    `, {"hash":"sha256:c88738f4b7d0b70769d53b7dd409860cc23603a079921688e89cb263fd399381"}) as unknown as TypedDocumentString<UpdateComputeOptimizerEnrollmentMutation, UpdateComputeOptimizerEnrollmentMutationVariables>;
export const WatchAccountStatusDocument = new TypedDocumentString(`
    subscription WatchAccountStatus($accountIds: [AccountId!], $sources: [StatusSource!]) {
  accountStatusChanged(accountIds: $accountIds, sources: $sources) {
    account {
      id
      name
    }
    source
    region
    previous
    current
    changedAt
    error {
      code
      message
    }
  }
}
    `, {"hash":"sha256:173f7b57a715b72a7900e70d2b3c546a6b7c855e1ca1fd3a703f95a1805ab33a"}) as unknown as TypedDocumentString<WatchAccountStatusSubscription, WatchAccountStatusSubscriptionVariables>;
export const BoardDirectoryDocument = new TypedDocumentString(`
    query BoardDirectory($first: Int!, $after: String) {
  organization {
    id
    managementAccountId
    accounts(first: $first, after: $after) {
      totalCount
      nodes {
        id
        name
        state
        path {
          id
          name
        }
        tags {
          key
          value
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `, {"hash":"sha256:eb99f97f7fe53bfac4d991c4432c8b17e03df87733494f7028e11f1e861c22d6"}) as unknown as TypedDocumentString<BoardDirectoryQuery, BoardDirectoryQueryVariables>;
export const BoardSummaryDocument = new TypedDocumentString(`
    query BoardSummary {
  organization {
    id
    statusSummary {
      totalAccounts
      sources {
        source
        region
        counts {
          value
          count
        }
      }
    }
  }
}
    `, {"hash":"sha256:f346ca16100f8e64c3fa61c0dc5102f6ae5bf71e57300688ded9d7669edd4b4b"}) as unknown as TypedDocumentString<BoardSummaryQuery, BoardSummaryQueryVariables>;
export const BoardStatusChangesDocument = new TypedDocumentString(`
    subscription BoardStatusChanges($after: String) {
  accountStatusChanged(after: $after) {
    account {
      id
      name
      state
    }
    source
    region
    previous
    current
    changedAt
    cursor
    observedBy
    caller
    firstReading
    error {
      code
      message
    }
  }
}
    `, {"hash":"sha256:16bf475e5f79f0706dcfbaf4016523622a9b9e95499823c5fc5cbd4886ed47fc"}) as unknown as TypedDocumentString<BoardStatusChangesSubscription, BoardStatusChangesSubscriptionVariables>;
export const BoardRecentChangesDocument = new TypedDocumentString(`
    query BoardRecentChanges($since: DateTime!, $after: String) {
  organization {
    id
    statusChanges(since: $since, first: 500, after: $after) {
      nodes {
        accountId
        changedAt
        firstReading
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `, {"hash":"sha256:301fe4e4c26ed0e43a428750e0f5bafbcb2d7f5040a42eb6daef6a747fcec9b3"}) as unknown as TypedDocumentString<BoardRecentChangesQuery, BoardRecentChangesQueryVariables>;
export const BoardAccountHistoryDocument = new TypedDocumentString(`
    query BoardAccountHistory($id: AccountId!, $after: String) {
  account(id: $id) {
    id
    history(first: 50, after: $after) {
      edges {
        cursor
        node {
          source
          region
          previous
          current
          changedAt
          observedBy
          caller
          firstReading
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `, {"hash":"sha256:dba7bd27565da953dde21d4bcde1998851161a1e795b68a09f9130b4fbfd1a61"}) as unknown as TypedDocumentString<BoardAccountHistoryQuery, BoardAccountHistoryQueryVariables>;
export const BoardTreeDocument = new TypedDocumentString(`
    query BoardTree {
  organization {
    id
    root {
      id
    }
    organizationalUnits {
      id
      name
      parentId
    }
  }
}
    `, {"hash":"sha256:2a65a63bcb8f2304471ed28f8f728aa3f51bfffb3eec4158d78339a61f1c4055"}) as unknown as TypedDocumentString<BoardTreeQuery, BoardTreeQueryVariables>;