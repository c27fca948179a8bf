// Input of registerFleetwiseAccount, checked against RegisterAccount's model before any AWS call.
import { Length, Matches, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { AccountIdScalar } from '../scalars.js';

/** IAM role ARN pattern of the FleetWise model (aws-facts.md). */
export const ROLE_ARN_PATTERN = /^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)$/;
const TIMESTREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

@InputType({ description: 'Amazon Timestream resources to register (deprecated by AWS for IoT FleetWise).' })
export class TimestreamResourcesInput {
  @Field(() => String, { description: 'Name of the Timestream database: 3–255 of [a-zA-Z0-9_.-].' })
  @Length(3, 255, { message: 'must be 3 to 255 characters' })
  @Matches(TIMESTREAM_NAME_PATTERN, { message: 'may contain only letters, digits, _ . and -' })
  databaseName!: string;

  @Field(() => String, { description: 'Name of the Timestream table: 3–255 of [a-zA-Z0-9_.-].' })
  @Length(3, 255, { message: 'must be 3 to 255 characters' })
  @Matches(TIMESTREAM_NAME_PATTERN, { message: 'may contain only letters, digits, _ . and -' })
  tableName!: string;
}

@InputType({ description: 'Register an account with IoT FleetWise in one region.' })
export class RegisterFleetwiseAccountInput {
  @Field(() => AccountIdScalar, { description: 'The account to register (statusgraph calls RegisterAccount in it).' })
  accountId!: string;

  @Field(() => String, { nullable: true, description: 'Region; default: the first configured FleetWise region.' })
  region?: string;

  @Field(() => String, {
    description: 'ARN of the IAM role IoT FleetWise assumes, in the same account, e.g. arn:aws:iam::123456789012:role/FleetWise.',
  })
  @Length(20, 2048, { message: 'must be 20 to 2048 characters' })
  @Matches(ROLE_ARN_PATTERN, { message: 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/name' })
  iamRoleArn!: string;

  @Field(() => TimestreamResourcesInput, {
    nullable: true,
    description: 'Timestream destination.',
    deprecationReason: 'AWS deprecated Timestream registration for IoT FleetWise; register without it.',
  })
  @ValidateNested()
  timestream?: TimestreamResourcesInput;
}
