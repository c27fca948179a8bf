// Input of updateComputeOptimizerEnrollment.
import { Field, InputType, registerEnumType } from 'type-graphql';
import { AccountIdScalar } from '../scalars.js';

export enum EnrollmentTarget {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}
registerEnumType(EnrollmentTarget, {
  name: 'EnrollmentTarget',
  description: 'The enrollment status to set: opt in (ACTIVE) or out (INACTIVE).',
  valuesConfig: {
    ACTIVE: { description: 'Opt in (AWS: Active). The status passes through PENDING.' },
    INACTIVE: { description: 'Opt out (AWS: Inactive).' },
  },
});

@InputType({ description: 'Opt an account in to or out of Compute Optimizer.' })
export class UpdateComputeOptimizerEnrollmentInput {
  @Field(() => AccountIdScalar, { description: 'The account to update (statusgraph calls UpdateEnrollmentStatus in it).' })
  accountId!: string;

  @Field(() => EnrollmentTarget, { description: 'ACTIVE to opt in, INACTIVE to opt out.' })
  status!: EnrollmentTarget;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'For the management account: also enroll every member account.',
  })
  includeMemberAccounts!: boolean;
}
