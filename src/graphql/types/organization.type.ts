// Organization and its Relay-style account connection, and the status summary a dashboard shows on top.
import { Field, Int, ObjectType } from 'type-graphql';
import type { OrgAccount, UndecidedAccount as UndecidedAccountRecord } from '../../status/index.js';
import type { Cached, OrganizationInfo } from '../../status/index.js';
import { StatusSource } from '../enums.js';
import { AccountIdScalar, DateTimeScalar } from '../scalars.js';
import { Account } from './account.type.js';
import { StatusError } from './account-status-change.type.js';

@ObjectType({ simpleResolvers: true, description: 'The AWS Organization the server\'s credentials belong to.' })
export class Organization {
  @Field(() => String, { description: 'The organization id ("o-…").' })
  id!: string;

  @Field(() => String, { description: 'The organization ARN.' })
  arn!: string;

  @Field(() => String, { description: 'ALL or CONSOLIDATED_BILLING.' })
  featureSet!: string;

  @Field(() => AccountIdScalar, { description: 'The management account (AWS\'s MasterAccountId).' })
  managementAccountId!: string;

  @Field(() => String, { description: 'ARN of the management account (AWS\'s MasterAccountArn).' })
  managementAccountArn!: string;

  @Field(() => String, { nullable: true, description: 'Email of the management account. Sensitive: statusgraph never logs it.' })
  managementAccountEmail?: string;

  @Field(() => DateTimeScalar, { description: 'When statusgraph read this from AWS.' })
  fetchedAt!: Date;

  static from({ value, fetchedAt }: Cached<OrganizationInfo>): Organization {
    return Object.assign(new Organization(), { ...value, fetchedAt });
  }
}

@ObjectType({ simpleResolvers: true, description: 'One account in a page of accounts, with its cursor.' })
export class AccountEdge {
  @Field(() => String, { description: 'Opaque cursor: pass it as `after` to continue after this account.' })
  cursor!: string;

  @Field(() => Account, { description: 'The account.' })
  node!: Account;
}

@ObjectType({ simpleResolvers: true, description: 'Where a page stands in the whole list (Relay PageInfo).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more accounts follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Whether accounts precede this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first account of the page.' })
  startCursor?: string;

  @Field(() => String, { nullable: true, description: 'Cursor of the last account of the page: the `after` of the next page.' })
  endCursor?: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'An account the filter could not judge: a lookup one of its criteria needs failed for a passing reason (THROTTLED, ' +
    'UPSTREAM_UNAVAILABLE). It is neither among the matches nor left out for good: ask again. (A refusal such as ' +
    'AWS_ACCESS_DENIED is an answer instead: the status is UNREADABLE, which a filter can ask for.)',
})
export class UndecidedAccount {
  @Field(() => AccountIdScalar, { description: 'The account.' })
  accountId!: string;

  @Field(() => String, {
    description: 'The AccountFilter field whose lookup failed: tags, computeOptimizerEnrollment, creationRequest or fleetwiseRegistration.',
  })
  criterion!: string;

  @Field(() => String, { nullable: true, description: 'The region, for fleetwiseRegistration.' })
  region?: string;

  @Field(() => StatusError, { description: 'What failed.' })
  error!: StatusError;

  static from(record: UndecidedAccountRecord): UndecidedAccount {
    return Object.assign(new UndecidedAccount(), {
      accountId: record.accountId,
      criterion: record.criterion,
      region: record.region,
      error: StatusError.from(record.failure),
    });
  }
}

const UNDECIDED_DESCRIPTION =
  'With a filter: the accounts (of the whole filtered set, not just this page) it could not judge because a lookup ' +
  'failed for a passing reason; empty without a filter.';

@ObjectType({ simpleResolvers: true, description: 'A page of the organization\'s accounts, ordered by account id.' })
export class AccountConnection {
  @Field(() => [AccountEdge], { description: 'The accounts of this page with their cursors.' })
  edges!: AccountEdge[];

  @Field(() => [Account], { description: 'The accounts of this page.' })
  nodes!: Account[];

  @Field(() => PageInfo, { description: 'Paging information.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many accounts match, over all pages.' })
  totalCount!: number;

  @Field(() => [UndecidedAccount], { description: UNDECIDED_DESCRIPTION })
  undecided!: UndecidedAccount[];
}

@ObjectType({ simpleResolvers: true, description: 'How many accounts have one status value.' })
export class StatusCount {
  @Field(() => String, {
    description:
      'The status value: an enum value of the source (e.g. REGISTRATION_SUCCESS, ACTIVE, SUCCEEDED), NONE for no status ' +
      '(never registered; no creation request) or ERROR when the status could not be read.',
  })
  value!: string;

  @Field(() => Int, { description: 'Number of accounts with this value.' })
  count!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Counts of one source\'s status values over every account of the organization.' })
export class SourceSummary {
  @Field(() => StatusSource, { description: 'The source counted.' })
  source!: StatusSource;

  @Field(() => String, { nullable: true, description: 'The region, for FLEETWISE_REGISTRATION.' })
  region?: string;

  @Field(() => [StatusCount], { description: 'One entry per value seen, most frequent first.' })
  counts!: StatusCount[];
}

@ObjectType({ simpleResolvers: true, description: 'Counts per status value, per source, over all accounts of the organization.' })
export class StatusSummary {
  @Field(() => Int, { description: 'Number of accounts in the organization.' })
  totalAccounts!: number;

  @Field(() => [StatusCount], { description: 'Accounts per account state.' })
  accountStates!: StatusCount[];

  @Field(() => [SourceSummary], {
    description: 'Per source (and per region for FleetWise): how many accounts have each status value.',
  })
  sources!: SourceSummary[];

  @Field(() => [UndecidedAccount], { description: `${UNDECIDED_DESCRIPTION} They are not counted.` })
  undecided!: UndecidedAccount[];

  /** The accounts counted and how to count a subset of them with the statuses already read (byOrganizationalUnit). */
  scope!: SummaryScope;
}

export interface SummaryScope {
  readonly accounts: readonly OrgAccount[];
  /** The OU (or root) whose summary this is; byOrganizationalUnit's one level starts below it. */
  readonly parentId?: string;
  summarize(subset: readonly OrgAccount[], scopeId?: string): StatusSummary;
}
