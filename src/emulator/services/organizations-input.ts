// What every Organizations operation of the emulator shares: who may call it, how its input is checked and reported
// (InvalidInputException with AWS's Reason), pagination of its listings, tags, and the Account shape it answers.
import { AwsServiceError, type OperationContext } from '../core/types.js';
import type { AccountRecord, AccountState, Organization } from './organization-state.js';
import type { OrganizationTree } from './organization-tree.js';
import { decodePageToken, encodePageToken } from './pagination.js';
import {
  checkInteger,
  checkString,
  parseInteger,
  serializationError,
  validationMessage,
  type ConstraintKind,
  type Violation,
} from './validation.js';

/** Organizations listings' MaxResults bounds and default, in items per page. */
export const PAGE_SIZE = { min: 1, max: 20, default: 20 } as const;
/** Tags a resource (account, OU, root) may carry. */
export const MAX_TAGS_PER_RESOURCE = 50;
const TAG_TEXT_PATTERN = /[\p{L}\p{Z}\p{N}_.:/=+\-@]*/u;
const TAG_TEXT_PATTERN_TEXT = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';
const TAG_KEY_RULES = { required: true, minLength: 1, maxLength: 128, pattern: TAG_TEXT_PATTERN, patternText: TAG_TEXT_PATTERN_TEXT };
/** Tag keys with this prefix are AWS's own system tags. */
const SYSTEM_TAG_PREFIX = 'aws:';

// Id patterns of the model (RootId, OrganizationalUnitId, ParentId, ChildId, TaggableResourceId).
export const ACCOUNT_ID_PATTERN = /\d{12}/;
export const ROOT_ID_PATTERN = /r-[0-9a-z]{4,32}/;
export const OU_ID_PATTERN = /ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/;
export const PARENT_ID_PATTERN = /(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})/;
export const PARENT_ID_PATTERN_TEXT = '^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$';
export const CHILD_ID_PATTERN = /(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})/;
export const CHILD_ID_PATTERN_TEXT = '^(\\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$';

/** The deprecated `Status` member, kept for older clients: it knows only three values. */
const LEGACY_ACCOUNT_STATUS: Record<AccountState, string> = {
  ACTIVE: 'ACTIVE',
  PENDING_ACTIVATION: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  PENDING_CLOSURE: 'PENDING_CLOSURE',
  CLOSED: 'SUSPENDED',
};

export interface AccountOutputOptions {
  /**
   * AWS retired Account.Status on 2026-09-09 in favour of State; the emulator answers it only when asked to, for
   * clients that still read it.
   */
  readonly legacyAccountStatus: boolean;
}

/** The Account shape of ListAccounts, DescribeAccount and ListAccountsForParent, with its Paths. */
export function accountOutput(
  organization: Organization,
  tree: OrganizationTree,
  account: AccountRecord,
  options: AccountOutputOptions,
): Record<string, unknown> {
  return {
    Id: account.id,
    Arn: organization.accountArn(account.id),
    Email: account.email,
    Name: account.name,
    ...(options.legacyAccountStatus && { Status: LEGACY_ACCOUNT_STATUS[account.state] }),
    State: account.state,
    Paths: [tree.accountPath(account.id)],
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: account.joinedAt,
  };
}

/** Checks a required id member against its model pattern (InvalidInputException INVALID_PATTERN when broken). */
export function checkId(value: unknown, path: string, pattern: RegExp, patternText: string): void {
  rejectInvalid([checkString(value, path, { required: true, maxLength: 130, pattern, patternText })]);
}

export function tagsOutput(tags: ReadonlyArray<readonly [string, string]>): Array<{ Key: string; Value: string }> {
  return tags.map(([Key, Value]) => ({ Key, Value }));
}

/** A required member that is absent: InvalidInputException INPUT_REQUIRED, in the words of AWS's validation. */
export function requireMember(value: unknown, path: string): void {
  if (value !== undefined && value !== null) return;
  throw invalidInput('INPUT_REQUIRED', `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`);
}

/** Checks a list of tag keys (UntagResource's TagKeys). */
export function checkTagKeys(keys: unknown): string[] {
  requireMember(keys, 'tagKeys');
  if (!Array.isArray(keys)) throw serializationError("Value at 'tagKeys' must be a list of tag keys.");
  rejectInvalid(
    keys.map((key: unknown, index) => checkString(key, `tagKeys.${index + 1}.member`, TAG_KEY_RULES)),
  );
  return keys as string[];
}

/** Which InvalidInputException Reason AWS gives for each broken constraint (a wrong type never gets this far). */
const INVALID_INPUT_REASONS: Record<Exclude<ConstraintKind, 'type'>, string> = {
  required: 'INPUT_REQUIRED',
  minLength: 'MIN_LENGTH_EXCEEDED',
  maxLength: 'MAX_LENGTH_EXCEEDED',
  pattern: 'INVALID_PATTERN',
  enum: 'INVALID_ENUM',
  minValue: 'MIN_VALUE_EXCEEDED',
  maxValue: 'MAX_VALUE_EXCEEDED',
};

/** Organizations operations answer only accounts that belong to the organization. */
export function requireMembership(organization: Organization, ctx: OperationContext): void {
  if (!organization.includes(ctx.caller.accountId, ctx.now)) {
    throw new AwsServiceError(
      'AWSOrganizationsNotInUseException',
      "Your account is not a member of an organization.",
      404,
    );
  }
}

/** Account directory and account creation belong to the management account; members are denied. */
export function requireManagementAccount(organization: Organization, ctx: OperationContext): void {
  requireMembership(organization, ctx);
  if (!organization.isManagementAccount(ctx.caller.accountId)) {
    throw new AwsServiceError('AccessDeniedException', "You don't have permissions to access this resource.", 403);
  }
}

/** Checks a Tags list (CreateAccount, CreateOrganizationalUnit, TagResource) and answers it as key/value pairs. */
export function checkTags(tags: unknown, limit = MAX_TAGS_PER_RESOURCE): ReadonlyArray<readonly [string, string]> {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw serializationError("Value at 'tags' must be a list of tags.");
  if (tags.length > limit) {
    throw new AwsServiceError(
      'ConstraintViolationException',
      `You have exceeded the number of tags allowed on this resource (${MAX_TAGS_PER_RESOURCE}).`,
      409,
      { Reason: 'MAX_TAG_LIMIT_EXCEEDED' },
    );
  }
  const keys = new Set<string>();
  tags.forEach((tag: unknown, index) => {
    const path = `tags.${index + 1}.member`;
    const { Key: key, Value: value } = (typeof tag === 'object' && tag !== null ? tag : {}) as Record<string, unknown>;
    rejectInvalid([
      checkString(key, `${path}.key`, TAG_KEY_RULES),
      checkString(value, `${path}.value`, { required: true, minLength: 0, maxLength: 256, pattern: TAG_TEXT_PATTERN, patternText: TAG_TEXT_PATTERN_TEXT }),
    ]);
    const tagKey = key as string;
    if (tagKey.toLowerCase().startsWith(SYSTEM_TAG_PREFIX)) {
      throw invalidInput('INVALID_SYSTEM_TAGS_PARAMETER', `The tag key ${tagKey} is reserved for AWS use.`);
    }
    if (keys.has(tagKey)) throw invalidInput('DUPLICATE_TAG_KEY', `The tag key ${tagKey} appears more than once.`);
    keys.add(tagKey);
  });
  return (tags as Array<{ Key: string; Value: string }>).map(({ Key, Value }) => [Key, Value] as const);
}

export function readMaxResults(value: unknown): number {
  rejectInvalid([checkInteger(value, 'maxResults', { min: PAGE_SIZE.min, max: PAGE_SIZE.max })]);
  return parseInteger(value) ?? PAGE_SIZE.default;
}

export function readNextToken(value: unknown, operation: string, limit: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const position = typeof value === 'string' ? decodePageToken(operation, value) : undefined;
  if (position === undefined || position > limit) {
    throw invalidInput('INVALID_NEXT_TOKEN', 'The provided pagination token is not valid.');
  }
  return position;
}

export function nextToken(operation: string, position: number | undefined): string | undefined {
  return position === undefined ? undefined : encodePageToken(operation, position);
}

/** The first violation names the Reason; the message lists them all, as AWS's validation does. */
export function rejectInvalid(checks: readonly (Violation | undefined)[]): void {
  const found = checks.filter((check): check is Violation => check !== undefined);
  const first = found[0];
  if (first === undefined) return;
  if (first.kind === 'type') throw serializationError(first.message);
  throw invalidInput(INVALID_INPUT_REASONS[first.kind], validationMessage(found));
}

export function invalidInput(reason: string, message: string): AwsServiceError {
  return new AwsServiceError('InvalidInputException', message, 400, { Reason: reason });
}
