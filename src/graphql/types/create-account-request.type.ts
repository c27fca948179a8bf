// CreateAccountRequest: an Organizations CreateAccount request and where it stands (DescribeCreateAccountStatus).
import { Field, ObjectType } from 'type-graphql';
import type { Cached, CreateAccountStatusRecord } from '../../status/index.js';
import { CreateAccountFailureReason, CreateAccountState, toEnum } from '../enums.js';
import { AccountIdScalar, DateTimeScalar } from '../scalars.js';
import { ObservedBy } from './account-status-change.type.js';

@ObjectType({ simpleResolvers: true, description: 'An asynchronous request to create an account in the organization.' })
export class CreateAccountRequest {
  @Field(() => String, { description: 'The request id ("car-…").' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The name given to the account. Sensitive: statusgraph never logs it.' })
  accountName?: string;

  @Field(() => CreateAccountState, { description: 'IN_PROGRESS, SUCCEEDED or FAILED.' })
  state!: CreateAccountState;

  @Field(() => String, { description: 'state exactly as AWS returned it.' })
  stateRaw!: string;

  @Field(() => String, {
    nullable: true,
    description: 'In createAccountRequestChanged: the history cursor of this event (resume with `after`). Null elsewhere.',
  })
  cursor?: string | null;

  @Field(() => ObservedBy, {
    nullable: true,
    description: 'In createAccountRequestChanged, on a recorded event: what observed this state (the createAccount itself: MUTATION). Null elsewhere.',
  })
  observedBy?: ObservedBy | null;

  @Field(() => String, {
    nullable: true,
    description: 'In createAccountRequestChanged, on the createAccount\'s own event: its caller (API key name, or a hash of the token subject). Null elsewhere.',
  })
  caller?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'In createAccountRequestChanged, on the createAccount\'s own event: its idempotencyKey. Null elsewhere.',
  })
  idempotencyKey?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the account creation was requested.' })
  requestedTimestamp?: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the request completed.' })
  completedTimestamp?: Date;

  @Field(() => AccountIdScalar, { nullable: true, description: 'The new account, once the request SUCCEEDED.' })
  accountId?: string;

  @Field(() => AccountIdScalar, { nullable: true, description: 'The new account in the AWS GovCloud (US) Region, if one was created.' })
  govCloudAccountId?: string;

  @Field(() => CreateAccountFailureReason, { nullable: true, description: 'Why the request FAILED.' })
  failureReason?: CreateAccountFailureReason;

  @Field(() => String, { nullable: true, description: 'failureReason exactly as AWS returned it (readable when it is UNKNOWN).' })
  failureReasonRaw?: string;

  @Field(() => DateTimeScalar, { description: 'When statusgraph read this from AWS.' })
  fetchedAt!: Date;

  static from({ value, fetchedAt }: Cached<CreateAccountStatusRecord>): CreateAccountRequest {
    return Object.assign(new CreateAccountRequest(), {
      id: value.id,
      accountName: value.accountName,
      state: toEnum(CreateAccountState, value.state),
      stateRaw: value.state,
      requestedTimestamp: value.requestedTimestamp,
      completedTimestamp: value.completedTimestamp,
      accountId: value.accountId,
      govCloudAccountId: value.govCloudAccountId,
      failureReason: toEnum(CreateAccountFailureReason, value.failureReason),
      failureReasonRaw: value.failureReason,
      fetchedAt,
    });
  }
}
