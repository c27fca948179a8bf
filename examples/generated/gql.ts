/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query AccountStatus($id: AccountId!, $region: String) {\n  account(id: $id) {\n    id\n    name\n    state\n    joinedMethod\n    joinedAt\n    fleetwiseRegistration(region: $region) {\n      region\n      accountStatus\n      customerAccountId\n      iam {\n        roleArn\n        registrationStatus\n        errorMessage\n      }\n      creationTime\n      lastModificationTime\n      fetchedAt\n    }\n    computeOptimizerEnrollment {\n      status\n      statusReason\n      lastUpdatedTimestamp\n      fetchedAt\n    }\n    creationRequest {\n      id\n      accountName\n      state\n      failureReason\n      requestedTimestamp\n      completedTimestamp\n      fetchedAt\n    }\n  }\n}": typeof types.AccountStatusDocument,
    "query AccountsPage($first: Int!, $after: String, $states: [AccountState!]) {\n  organization {\n    accounts(first: $first, after: $after, states: $states) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          state\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.AccountsPageDocument,
    "mutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    id\n    state\n    requestedTimestamp\n    fetchedAt\n  }\n}": typeof types.CreateAccountDocument,
    "subscription FollowCreateAccountRequest($id: CreateAccountRequestId!) {\n  createAccountRequestChanged(id: $id) {\n    id\n    state\n    accountId\n    failureReason\n    completedTimestamp\n  }\n}": typeof types.FollowCreateAccountRequestDocument,
    "query OrganizationOverview($first: Int! = 20) {\n  organization {\n    id\n    managementAccountId\n    accounts(first: $first) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n        joinedMethod\n        fleetwiseRegistration {\n          region\n          accountStatus\n          iam {\n            roleArn\n            errorMessage\n          }\n          fetchedAt\n        }\n        computeOptimizerEnrollment {\n          status\n          statusReason\n          fetchedAt\n        }\n        creationRequest {\n          id\n          state\n          failureReason\n          completedTimestamp\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    statusSummary {\n      totalAccounts\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}": typeof types.OrganizationOverviewDocument,
    "mutation RegisterFleetwiseAccount($input: RegisterFleetwiseAccountInput!) {\n  registerFleetwiseAccount(input: $input) {\n    region\n    accountStatus\n    customerAccountId\n    iam {\n      roleArn\n      registrationStatus\n      errorMessage\n    }\n    lastModificationTime\n    fetchedAt\n  }\n}": typeof types.RegisterFleetwiseAccountDocument,
    "query StatusSummary {\n  organization {\n    id\n    statusSummary {\n      totalAccounts\n      accountStates {\n        value\n        count\n      }\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}": typeof types.StatusSummaryDocument,
    "mutation UpdateComputeOptimizerEnrollment($input: UpdateComputeOptimizerEnrollmentInput!) {\n  updateComputeOptimizerEnrollment(input: $input) {\n    status\n    statusReason\n    memberAccountsEnrolled\n    lastUpdatedTimestamp\n    fetchedAt\n  }\n}": typeof types.UpdateComputeOptimizerEnrollmentDocument,
    "subscription WatchAccountStatus($accountIds: [AccountId!], $sources: [StatusSource!]) {\n  accountStatusChanged(accountIds: $accountIds, sources: $sources) {\n    account {\n      id\n      name\n    }\n    source\n    region\n    previous\n    current\n    changedAt\n    error {\n      code\n      message\n    }\n  }\n}": typeof types.WatchAccountStatusDocument,
    "query BoardDirectory($first: Int!, $after: String) {\n  organization {\n    id\n    managementAccountId\n    accounts(first: $first, after: $after) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nquery BoardSummary {\n  organization {\n    id\n    statusSummary {\n      totalAccounts\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}\n\nsubscription BoardStatusChanges {\n  accountStatusChanged {\n    account {\n      id\n      name\n      state\n    }\n    source\n    region\n    current\n    changedAt\n    error {\n      code\n      message\n    }\n  }\n}": typeof types.BoardDirectoryDocument,
};
const documents: Documents = {
    "query AccountStatus($id: AccountId!, $region: String) {\n  account(id: $id) {\n    id\n    name\n    state\n    joinedMethod\n    joinedAt\n    fleetwiseRegistration(region: $region) {\n      region\n      accountStatus\n      customerAccountId\n      iam {\n        roleArn\n        registrationStatus\n        errorMessage\n      }\n      creationTime\n      lastModificationTime\n      fetchedAt\n    }\n    computeOptimizerEnrollment {\n      status\n      statusReason\n      lastUpdatedTimestamp\n      fetchedAt\n    }\n    creationRequest {\n      id\n      accountName\n      state\n      failureReason\n      requestedTimestamp\n      completedTimestamp\n      fetchedAt\n    }\n  }\n}": types.AccountStatusDocument,
    "query AccountsPage($first: Int!, $after: String, $states: [AccountState!]) {\n  organization {\n    accounts(first: $first, after: $after, states: $states) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          state\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.AccountsPageDocument,
    "mutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    id\n    state\n    requestedTimestamp\n    fetchedAt\n  }\n}": types.CreateAccountDocument,
    "subscription FollowCreateAccountRequest($id: CreateAccountRequestId!) {\n  createAccountRequestChanged(id: $id) {\n    id\n    state\n    accountId\n    failureReason\n    completedTimestamp\n  }\n}": types.FollowCreateAccountRequestDocument,
    "query OrganizationOverview($first: Int! = 20) {\n  organization {\n    id\n    managementAccountId\n    accounts(first: $first) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n        joinedMethod\n        fleetwiseRegistration {\n          region\n          accountStatus\n          iam {\n            roleArn\n            errorMessage\n          }\n          fetchedAt\n        }\n        computeOptimizerEnrollment {\n          status\n          statusReason\n          fetchedAt\n        }\n        creationRequest {\n          id\n          state\n          failureReason\n          completedTimestamp\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    statusSummary {\n      totalAccounts\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}": types.OrganizationOverviewDocument,
    "mutation RegisterFleetwiseAccount($input: RegisterFleetwiseAccountInput!) {\n  registerFleetwiseAccount(input: $input) {\n    region\n    accountStatus\n    customerAccountId\n    iam {\n      roleArn\n      registrationStatus\n      errorMessage\n    }\n    lastModificationTime\n    fetchedAt\n  }\n}": types.RegisterFleetwiseAccountDocument,
    "query StatusSummary {\n  organization {\n    id\n    statusSummary {\n      totalAccounts\n      accountStates {\n        value\n        count\n      }\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}": types.StatusSummaryDocument,
    "mutation UpdateComputeOptimizerEnrollment($input: UpdateComputeOptimizerEnrollmentInput!) {\n  updateComputeOptimizerEnrollment(input: $input) {\n    status\n    statusReason\n    memberAccountsEnrolled\n    lastUpdatedTimestamp\n    fetchedAt\n  }\n}": types.UpdateComputeOptimizerEnrollmentDocument,
    "subscription WatchAccountStatus($accountIds: [AccountId!], $sources: [StatusSource!]) {\n  accountStatusChanged(accountIds: $accountIds, sources: $sources) {\n    account {\n      id\n      name\n    }\n    source\n    region\n    previous\n    current\n    changedAt\n    error {\n      code\n      message\n    }\n  }\n}": types.WatchAccountStatusDocument,
    "query BoardDirectory($first: Int!, $after: String) {\n  organization {\n    id\n    managementAccountId\n    accounts(first: $first, after: $after) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nquery BoardSummary {\n  organization {\n    id\n    statusSummary {\n      totalAccounts\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}\n\nsubscription BoardStatusChanges {\n  accountStatusChanged {\n    account {\n      id\n      name\n      state\n    }\n    source\n    region\n    current\n    changedAt\n    error {\n      code\n      message\n    }\n  }\n}": types.BoardDirectoryDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AccountStatus($id: AccountId!, $region: String) {\n  account(id: $id) {\n    id\n    name\n    state\n    joinedMethod\n    joinedAt\n    fleetwiseRegistration(region: $region) {\n      region\n      accountStatus\n      customerAccountId\n      iam {\n        roleArn\n        registrationStatus\n        errorMessage\n      }\n      creationTime\n      lastModificationTime\n      fetchedAt\n    }\n    computeOptimizerEnrollment {\n      status\n      statusReason\n      lastUpdatedTimestamp\n      fetchedAt\n    }\n    creationRequest {\n      id\n      accountName\n      state\n      failureReason\n      requestedTimestamp\n      completedTimestamp\n      fetchedAt\n    }\n  }\n}"): typeof import('./graphql.js').AccountStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AccountsPage($first: Int!, $after: String, $states: [AccountState!]) {\n  organization {\n    accounts(first: $first, after: $after, states: $states) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          state\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): typeof import('./graphql.js').AccountsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateAccount($input: CreateAccountInput!) {\n  createAccount(input: $input) {\n    id\n    state\n    requestedTimestamp\n    fetchedAt\n  }\n}"): typeof import('./graphql.js').CreateAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription FollowCreateAccountRequest($id: CreateAccountRequestId!) {\n  createAccountRequestChanged(id: $id) {\n    id\n    state\n    accountId\n    failureReason\n    completedTimestamp\n  }\n}"): typeof import('./graphql.js').FollowCreateAccountRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrganizationOverview($first: Int! = 20) {\n  organization {\n    id\n    managementAccountId\n    accounts(first: $first) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n        joinedMethod\n        fleetwiseRegistration {\n          region\n          accountStatus\n          iam {\n            roleArn\n            errorMessage\n          }\n          fetchedAt\n        }\n        computeOptimizerEnrollment {\n          status\n          statusReason\n          fetchedAt\n        }\n        creationRequest {\n          id\n          state\n          failureReason\n          completedTimestamp\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    statusSummary {\n      totalAccounts\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').OrganizationOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RegisterFleetwiseAccount($input: RegisterFleetwiseAccountInput!) {\n  registerFleetwiseAccount(input: $input) {\n    region\n    accountStatus\n    customerAccountId\n    iam {\n      roleArn\n      registrationStatus\n      errorMessage\n    }\n    lastModificationTime\n    fetchedAt\n  }\n}"): typeof import('./graphql.js').RegisterFleetwiseAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StatusSummary {\n  organization {\n    id\n    statusSummary {\n      totalAccounts\n      accountStates {\n        value\n        count\n      }\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').StatusSummaryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateComputeOptimizerEnrollment($input: UpdateComputeOptimizerEnrollmentInput!) {\n  updateComputeOptimizerEnrollment(input: $input) {\n    status\n    statusReason\n    memberAccountsEnrolled\n    lastUpdatedTimestamp\n    fetchedAt\n  }\n}"): typeof import('./graphql.js').UpdateComputeOptimizerEnrollmentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription WatchAccountStatus($accountIds: [AccountId!], $sources: [StatusSource!]) {\n  accountStatusChanged(accountIds: $accountIds, sources: $sources) {\n    account {\n      id\n      name\n    }\n    source\n    region\n    previous\n    current\n    changedAt\n    error {\n      code\n      message\n    }\n  }\n}"): typeof import('./graphql.js').WatchAccountStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BoardDirectory($first: Int!, $after: String) {\n  organization {\n    id\n    managementAccountId\n    accounts(first: $first, after: $after) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nquery BoardSummary {\n  organization {\n    id\n    statusSummary {\n      totalAccounts\n      sources {\n        source\n        region\n        counts {\n          value\n          count\n        }\n      }\n    }\n  }\n}\n\nsubscription BoardStatusChanges {\n  accountStatusChanged {\n    account {\n      id\n      name\n      state\n    }\n    source\n    region\n    current\n    changedAt\n    error {\n      code\n      message\n    }\n  }\n}"): typeof import('./graphql.js').BoardDirectoryDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
