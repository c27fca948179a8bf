// FleetWise registration of one account in one region (GetRegisterAccountStatus, and RegisterAccount's answer).
import { Field, ObjectType } from 'type-graphql';
import type {
  Cached,
  FleetwiseRegistrationRecord,
  IamRegistrationRecord,
  TimestreamRegistrationRecord,
} from '../../status/index.js';
import { RegistrationStatus, toEnum } from '../enums.js';
import { DateTimeScalar } from '../scalars.js';

@ObjectType({ simpleResolvers: true, description: 'The IAM resource registered with IoT FleetWise, and its registration status.' })
export class IamRegistration {
  @Field(() => String, { description: 'ARN of the IAM role that lets IoT FleetWise send data.' })
  roleArn!: string;

  @Field(() => RegistrationStatus, { description: 'Registration status of the IAM resource.' })
  registrationStatus!: RegistrationStatus;

  @Field(() => String, { description: 'registrationStatus exactly as AWS returned it.' })
  registrationStatusRaw!: string;

  @Field(() => String, { nullable: true, description: 'Why the IAM registration failed, when it did.' })
  errorMessage?: string;

  static from(record: IamRegistrationRecord): IamRegistration {
    return Object.assign(new IamRegistration(), {
      roleArn: record.roleArn,
      registrationStatus: toEnum(RegistrationStatus, record.registrationStatus),
      registrationStatusRaw: record.registrationStatus,
      errorMessage: record.errorMessage,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'The Amazon Timestream resources registered with IoT FleetWise (deprecated by AWS).' })
export class TimestreamRegistration {
  @Field(() => String, { description: 'Name of the registered Timestream database.' })
  timestreamDatabaseName!: string;

  @Field(() => String, { description: 'Name of the registered Timestream table.' })
  timestreamTableName!: string;

  @Field(() => String, { nullable: true, description: 'ARN of the Timestream database.' })
  timestreamDatabaseArn?: string;

  @Field(() => String, { nullable: true, description: 'ARN of the Timestream table.' })
  timestreamTableArn?: string;

  @Field(() => RegistrationStatus, { description: 'Registration status of the Timestream resources.' })
  registrationStatus!: RegistrationStatus;

  @Field(() => String, { description: 'registrationStatus exactly as AWS returned it.' })
  registrationStatusRaw!: string;

  @Field(() => String, { nullable: true, description: 'Why the Timestream registration failed, when it did.' })
  errorMessage?: string;

  static from(record: TimestreamRegistrationRecord): TimestreamRegistration {
    return Object.assign(new TimestreamRegistration(), {
      ...record,
      registrationStatus: toEnum(RegistrationStatus, record.registrationStatus),
      registrationStatusRaw: record.registrationStatus,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'Where an account stands in IoT FleetWise registration, in one region.' })
export class FleetwiseRegistration {
  @Field(() => String, { description: 'The region this registration is in (FleetWise registration is regional).' })
  region!: string;

  @Field(() => RegistrationStatus, { description: 'Status of registering the account and its resources.' })
  accountStatus!: RegistrationStatus;

  @Field(() => String, { description: 'accountStatus exactly as AWS returned it.' })
  accountStatusRaw!: string;

  @Field(() => String, { description: 'The AWS account id IoT FleetWise registered (customerAccountId).' })
  customerAccountId!: string;

  @Field(() => IamRegistration, { description: 'The registered IAM resource, or the error registering it.' })
  iam!: IamRegistration;

  @Field(() => TimestreamRegistration, {
    nullable: true,
    description: 'The registered Timestream resources, or the error registering them.',
    deprecationReason:
      'AWS deprecated Timestream registration for IoT FleetWise: register again without it and set data destinations on campaigns.',
  })
  timestream?: TimestreamRegistration;

  @Field(() => DateTimeScalar, { description: 'When the account was registered.' })
  creationTime!: Date;

  @Field(() => DateTimeScalar, { description: 'When this registration was last updated.' })
  lastModificationTime!: Date;

  @Field(() => DateTimeScalar, { description: 'When statusgraph read this from AWS.' })
  fetchedAt!: Date;

  static from({ value, fetchedAt }: Cached<FleetwiseRegistrationRecord>): FleetwiseRegistration {
    return Object.assign(new FleetwiseRegistration(), {
      region: value.region,
      accountStatus: toEnum(RegistrationStatus, value.accountStatus),
      accountStatusRaw: value.accountStatus,
      customerAccountId: value.customerAccountId,
      iam: IamRegistration.from(
        value.iamRegistrationResponse ?? { roleArn: '', registrationStatus: value.accountStatus },
      ),
      timestream: value.timestreamRegistrationResponse
        ? TimestreamRegistration.from(value.timestreamRegistrationResponse)
        : undefined,
      creationTime: value.creationTime ?? fetchedAt,
      lastModificationTime: value.lastModificationTime ?? value.creationTime ?? fetchedAt,
      fetchedAt,
    });
  }
}
