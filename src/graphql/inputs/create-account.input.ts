// Input of createAccount, checked against CreateAccount's model before any AWS call. Email and name are
// sensitive: error messages name the field, never echo its value.
import { ArrayMaxSize, IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { Extensions, Field, InputType, registerEnumType } from 'type-graphql';
import { SENSITIVE } from '../sensitive.js';

/** Organizations' Email pattern (6–64 characters, one @, a dotted domain). */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Printable ASCII, as the model requires for AccountName. */
const PRINTABLE_ASCII = /^[\u0020-\u007E]+$/;
const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Organizations refuses tag keys with AWS's own prefix, in any letter case (InvalidInputException): known here. */
const NOT_RESERVED_TAG_KEY = /^(?!aws:)/i;

export enum IamUserAccessToBilling {
  ALLOW = 'ALLOW',
  DENY = 'DENY',
}
registerEnumType(IamUserAccessToBilling, {
  name: 'IamUserAccessToBilling',
  description: 'Whether IAM users and roles of the new account may see its billing information.',
  valuesConfig: {
    ALLOW: { description: 'IAM users and roles with the right permissions may see billing (the AWS default).' },
    DENY: { description: 'Only the root user may see billing.' },
  },
});

@InputType({ description: 'A tag to attach to the new account.' })
export class TagInput {
  @Field(() => String, { description: 'Tag key, 1–128 characters, not starting with "aws:" (AWS reserves that prefix).' })
  @Length(1, 128, { message: 'must be 1 to 128 characters' })
  @Matches(NOT_RESERVED_TAG_KEY, { message: 'must not start with "aws:", a prefix AWS reserves for its own tags' })
  key!: string;

  @Field(() => String, { description: 'Tag value, 0–256 characters.' })
  @Length(0, 256, { message: 'must be at most 256 characters' })
  value!: string;
}

@InputType({ description: 'Create a member account in the organization (asynchronous: follow it with createAccountRequestChanged).' })
export class CreateAccountInput {
  @Field(() => String, { description: 'Root email of the new account, 6–64 characters, unique across AWS. Sensitive.' })
  @Extensions(SENSITIVE)
  @Length(6, 64, { message: 'must be 6 to 64 characters' })
  @Matches(EMAIL_PATTERN, { message: 'must be an email address' })
  email!: string;

  @Field(() => String, { description: 'Name of the new account, 1–50 printable ASCII characters. Sensitive.' })
  @Extensions(SENSITIVE)
  @Length(1, 50, { message: 'must be 1 to 50 characters' })
  @Matches(PRINTABLE_ASCII, { message: 'must be printable ASCII' })
  accountName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Role created in the new account for the management account. Default: OrganizationAccountAccessRole.',
  })
  @IsOptional()
  @Matches(ROLE_NAME_PATTERN, { message: 'must be an IAM role name of 1 to 64 of [A-Za-z0-9_+=,.@-]' })
  roleName?: string;

  @Field(() => IamUserAccessToBilling, { nullable: true, description: 'Default: ALLOW.' })
  iamUserAccessToBilling?: IamUserAccessToBilling;

  @Field(() => [TagInput], { nullable: true, description: 'Up to 50 tags.' })
  @IsOptional()
  @ArrayMaxSize(50, { message: 'may hold at most 50 tags' })
  @ValidateNested({ each: true })
  tags?: TagInput[];

  @Field(() => String, {
    description:
      'Your key for this request (1–64 of [A-Za-z0-9_-]). Retrying with the same key within 24 hours returns the same ' +
      'creation request and never creates a second account.',
  })
  @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'must be 1 to 64 of [A-Za-z0-9_-]' })
  idempotencyKey!: string;
}
