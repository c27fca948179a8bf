// Account: one member of the organization, as Organizations describes it. Its three statuses are field
// resolvers in account.resolver.ts, so a query pays only for the statuses it asks for.
import { Field, ObjectType } from 'type-graphql';
import type { OrgAccount } from '../../status/index.js';
import { AccountJoinedMethod, AccountState, toEnum } from '../enums.js';
import { AccountIdScalar, DateTimeScalar } from '../scalars.js';

@ObjectType({ simpleResolvers: true, description: 'An AWS account: a member (or the management account) of the organization.' })
export class Account {
  @Field(() => AccountIdScalar, { description: 'The 12-digit account id.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The account ARN (arn:aws:organizations::<management>:account/o-…/<id>).' })
  arn?: string;

  @Field(() => String, { nullable: true, description: 'The account name. Sensitive: statusgraph never logs it.' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'The root email address of the account. Sensitive: statusgraph never logs it.' })
  email?: string;

  @Field(() => AccountState, { nullable: true, description: 'Lifecycle state: ACTIVE, SUSPENDED, PENDING_CLOSURE…' })
  state?: AccountState;

  @Field(() => String, { nullable: true, description: 'The state exactly as AWS returned it (useful when state is UNKNOWN).' })
  stateRaw?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The deprecated Status member of the Organizations Account (ACTIVE | SUSPENDED | PENDING_CLOSURE).',
    deprecationReason: 'AWS retired Account.Status on 2026-09-09; use state.',
  })
  status?: string;

  @Field(() => AccountJoinedMethod, { nullable: true, description: 'How the account joined: INVITED or CREATED.' })
  joinedMethod?: AccountJoinedMethod;

  @Field(() => String, { nullable: true, description: 'joinedMethod exactly as AWS returned it.' })
  joinedMethodRaw?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the account joined the organization.' })
  joinedAt?: Date;

  @Field(() => [String], { nullable: true, description: 'Organizational-unit paths of the account, when AWS reports them.' })
  paths?: string[];

  /** The Organizations record behind this object, for the status field resolvers. */
  record!: OrgAccount;

  static from(record: OrgAccount): Account {
    return Object.assign(new Account(), {
      id: record.id,
      arn: record.arn,
      name: record.name,
      email: record.email,
      state: toEnum(AccountState, record.state),
      stateRaw: record.state,
      status: record.status,
      joinedMethod: toEnum(AccountJoinedMethod, record.joinedMethod),
      joinedMethodRaw: record.joinedMethod,
      joinedAt: record.joinedTimestamp,
      paths: record.paths ? [...record.paths] : undefined,
      record,
    });
  }
}
