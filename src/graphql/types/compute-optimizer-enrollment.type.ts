// Compute Optimizer enrollment of one account (GetEnrollmentStatus, or its row of GetEnrollmentStatusesForOrganization).
import { Field, Int, ObjectType } from 'type-graphql';
import type { Cached, EnrollmentStatusRecord } from '../../status/index.js';
import { EnrollmentStatus, toEnum } from '../enums.js';
import { DateTimeScalar } from '../scalars.js';

@ObjectType({ simpleResolvers: true, description: 'Where an account stands in Compute Optimizer enrollment.' })
export class ComputeOptimizerEnrollment {
  @Field(() => EnrollmentStatus, { description: 'The enrollment status of the account.' })
  status!: EnrollmentStatus;

  @Field(() => String, { description: 'status exactly as AWS returned it (Active, Inactive, Pending, Failed).' })
  statusRaw!: string;

  @Field(() => String, { nullable: true, description: 'Why the account has this status, e.g. members still being enrolled.' })
  statusReason?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'For the management account: whether the member accounts are enrolled too. Null for members.',
  })
  memberAccountsEnrolled?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'For the management account: how many member accounts are opted in. Null for members.',
  })
  numberOfMemberAccountsOptedIn?: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the enrollment status last changed.' })
  lastUpdatedTimestamp?: Date;

  @Field(() => DateTimeScalar, { description: 'When statusgraph read this from AWS.' })
  fetchedAt!: Date;

  static from({ value, fetchedAt }: Cached<EnrollmentStatusRecord>): ComputeOptimizerEnrollment {
    return Object.assign(new ComputeOptimizerEnrollment(), {
      status: toEnum(EnrollmentStatus, value.status),
      statusRaw: value.status,
      statusReason: value.statusReason,
      memberAccountsEnrolled: value.memberAccountsEnrolled,
      numberOfMemberAccountsOptedIn: value.numberOfMemberAccountsOptedIn,
      lastUpdatedTimestamp: value.lastUpdatedTimestamp,
      fetchedAt,
    });
  }
}
