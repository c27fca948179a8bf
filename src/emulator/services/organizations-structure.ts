// The Organizations operations on the organization's shape: its root, organizational units (listed, described,
// created, renamed, deleted), the children and parents of each, and moving accounts between parents — with AWS's
// errors for malformed ids (InvalidInputException), unknown parents, children and OUs, duplicate names and OUs that
// still hold something.
import { AwsServiceError, type OperationContext, type OperationHandler } from '../core/types.js';
import type { AccountRecord, Organization } from './organization-state.js';
import { MAX_ORGANIZATIONAL_UNITS, MAX_OU_DEPTH, type OrganizationalUnitRecord, type OrganizationTree } from './organization-tree.js';
import {
  ACCOUNT_ID_PATTERN,
  accountOutput,
  checkId,
  checkTags,
  CHILD_ID_PATTERN,
  CHILD_ID_PATTERN_TEXT,
  nextToken,
  OU_ID_PATTERN,
  PARENT_ID_PATTERN,
  PARENT_ID_PATTERN_TEXT,
  readMaxResults,
  readNextToken,
  rejectInvalid,
  requireManagementAccount,
  type AccountOutputOptions,
} from './organizations-input.js';
import { readPage, type Page } from './pagination.js';
import { checkString } from './validation.js';

const OU_ID_PATTERN_TEXT = '^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$';
const OU_NAME_RULES = { required: true, minLength: 1, maxLength: 128 } as const;
const ROOT_NAME = 'Root';

type Input = Record<string, unknown>;

export function organizationTreeOperations(
  organization: Organization,
  tree: OrganizationTree,
  options: AccountOutputOptions,
): Record<string, OperationHandler> {
  const managed =
    (operation: (input: Input, ctx: OperationContext) => Record<string, unknown>): OperationHandler =>
    (input, ctx) => {
      requireManagementAccount(organization, ctx);
      return operation(input, ctx);
    };
  const ous = new OrganizationalUnitOperations(organization, tree);
  return {
    ListRoots: managed((input) => listRoots(tree, input)),
    ListOrganizationalUnitsForParent: managed((input) => ous.listForParent(input)),
    DescribeOrganizationalUnit: managed((input) => ({ OrganizationalUnit: ous.output(ous.existing(input)) })),
    CreateOrganizationalUnit: managed((input) => ous.create(input)),
    UpdateOrganizationalUnit: managed((input) => ous.update(input)),
    DeleteOrganizationalUnit: managed((input, ctx) => ous.delete(input, ctx)),
    ListChildren: managed((input, ctx) => listChildren(organization, tree, input, ctx)),
    ListParents: managed((input, ctx) => listParents(organization, tree, input, ctx)),
    ListAccountsForParent: managed((input, ctx) => {
      const parentId = existingParent(tree, input.ParentId);
      const page = accountsUnder(organization, tree, parentId, 'ListAccountsForParent', input, ctx);
      return {
        Accounts: page.items.map((account) => accountOutput(organization, tree, account, options)),
        NextToken: nextToken('ListAccountsForParent', page.next),
      };
    }),
    MoveAccount: managed((input, ctx) => moveAccount(organization, tree, input, ctx)),
  };
}

function listRoots(tree: OrganizationTree, input: Input): Record<string, unknown> {
  readMaxResults(input.MaxResults);
  readNextToken(input.NextToken, 'ListRoots', 1);
  return {
    Roots: [
      {
        Id: tree.rootId,
        Arn: tree.rootArn,
        Name: ROOT_NAME,
        PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    ],
  };
}

class OrganizationalUnitOperations {
  constructor(
    private readonly organization: Organization,
    private readonly tree: OrganizationTree,
  ) {}

  output(unit: OrganizationalUnitRecord): Record<string, unknown> {
    return { Id: unit.id, Arn: this.tree.unitArn(unit.id), Name: unit.name, Path: this.tree.parentPath(unit.id) };
  }

  existing(input: Input): OrganizationalUnitRecord {
    checkId(input.OrganizationalUnitId, 'organizationalUnitId', OU_ID_PATTERN, OU_ID_PATTERN_TEXT);
    const unit = this.tree.findUnit(input.OrganizationalUnitId as string);
    if (unit === undefined) {
      throw notFound('OrganizationalUnitNotFoundException', "We can't find an OU with the OrganizationalUnitId that you specified.");
    }
    return unit;
  }

  listForParent(input: Input): Record<string, unknown> {
    const parentId = existingParent(this.tree, input.ParentId);
    const units = this.tree.unitsUnder(parentId);
    const page = pageOf(units.length, 'ListOrganizationalUnitsForParent', input, (index) => units[index]);
    return {
      OrganizationalUnits: page.items.map((unit) => this.output(unit)),
      NextToken: nextToken('ListOrganizationalUnitsForParent', page.next),
    };
  }

  create(input: Input): Record<string, unknown> {
    const parentId = existingParent(this.tree, input.ParentId);
    rejectInvalid([checkString(input.Name, 'name', OU_NAME_RULES)]);
    const tags = checkTags(input.Tags);
    const name = input.Name as string;
    this.rejectDuplicateName(parentId, name);
    if (this.tree.depthUnder(parentId) > MAX_OU_DEPTH) {
      throw constraintViolation('OU_DEPTH_LIMIT_EXCEEDED', `You can nest OUs at most ${MAX_OU_DEPTH} levels deep.`);
    }
    if (this.tree.unitCount >= MAX_ORGANIZATIONAL_UNITS) {
      throw constraintViolation('OU_NUMBER_LIMIT_EXCEEDED', 'You have reached the maximum number of OUs in the organization.');
    }
    const unit = this.tree.createUnit(parentId, name);
    if (tags.length > 0) this.tree.tag(unit.id, tags);
    return { OrganizationalUnit: this.output(unit) };
  }

  update(input: Input): Record<string, unknown> {
    const unit = this.existing(input);
    rejectInvalid([checkString(input.Name, 'name', { ...OU_NAME_RULES, required: false })]);
    const name = input.Name as string | undefined;
    if (name === undefined || name === unit.name) return { OrganizationalUnit: this.output(unit) };
    this.rejectDuplicateName(unit.parentId, name);
    return { OrganizationalUnit: this.output(this.tree.renameUnit(unit.id, name)) };
  }

  delete(input: Input, ctx: OperationContext): Record<string, unknown> {
    const unit = this.existing(input);
    if (this.tree.unitsUnder(unit.id).length > 0 || this.tree.holdsAnyAccount(unit.id, joinedAccountIds(this.organization, ctx))) {
      throw new AwsServiceError(
        'OrganizationalUnitNotEmptyException',
        'The specified OU is not empty. Move all accounts to another root or OU and delete all child OUs, then try again.',
        400,
      );
    }
    this.tree.deleteUnit(unit.id);
    return {};
  }

  private rejectDuplicateName(parentId: string, name: string): void {
    if (this.tree.unitsUnder(parentId).some((sibling) => sibling.name === name)) {
      throw new AwsServiceError('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.', 400);
    }
  }
}

function listChildren(organization: Organization, tree: OrganizationTree, input: Input, ctx: OperationContext) {
  const parentId = existingParent(tree, input.ParentId);
  rejectInvalid([checkString(input.ChildType, 'childType', { required: true, oneOf: ['ACCOUNT', 'ORGANIZATIONAL_UNIT'] })]);
  if (input.ChildType === 'ACCOUNT') {
    const page = accountsUnder(organization, tree, parentId, 'ListChildren', input, ctx);
    return {
      Children: page.items.map((account) => ({ Id: account.id, Type: 'ACCOUNT' })),
      NextToken: nextToken('ListChildren', page.next),
    };
  }
  const units = tree.unitsUnder(parentId);
  const page = pageOf(units.length, 'ListChildren', input, (index) => units[index]);
  return {
    Children: page.items.map((unit) => ({ Id: unit.id, Type: 'ORGANIZATIONAL_UNIT' })),
    NextToken: nextToken('ListChildren', page.next),
  };
}

function listParents(organization: Organization, tree: OrganizationTree, input: Input, ctx: OperationContext) {
  checkId(input.ChildId, 'childId', CHILD_ID_PATTERN, CHILD_ID_PATTERN_TEXT);
  readMaxResults(input.MaxResults);
  readNextToken(input.NextToken, 'ListParents', 1);
  const childId = input.ChildId as string;
  const parentId = organization.includes(childId, ctx.now) ? tree.parentOfAccount(childId) : tree.findUnit(childId)?.parentId;
  if (parentId === undefined) {
    throw notFound('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
  }
  return { Parents: [{ Id: parentId, Type: parentId === tree.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
}

function moveAccount(organization: Organization, tree: OrganizationTree, input: Input, ctx: OperationContext) {
  rejectInvalid([
    checkString(input.AccountId, 'accountId', { required: true, pattern: ACCOUNT_ID_PATTERN, patternText: '^\\d{12}$' }),
    checkString(input.SourceParentId, 'sourceParentId', { required: true, maxLength: 100, pattern: PARENT_ID_PATTERN, patternText: PARENT_ID_PATTERN_TEXT }),
    checkString(input.DestinationParentId, 'destinationParentId', {
      required: true,
      maxLength: 100,
      pattern: PARENT_ID_PATTERN,
      patternText: PARENT_ID_PATTERN_TEXT,
    }),
  ]);
  const [accountId, sourceId, destinationId] = [input.AccountId, input.SourceParentId, input.DestinationParentId] as string[];
  if (!tree.isParent(sourceId!)) {
    throw notFound('SourceParentNotFoundException', "We can't find a source root or OU with the ParentId that you specified.");
  }
  if (!tree.isParent(destinationId!)) {
    throw notFound('DestinationParentNotFoundException', "We can't find a destination root or OU with the ParentId that you specified.");
  }
  // An account that is not in the source parent is, as far as that parent goes, an account that doesn't exist.
  if (!organization.includes(accountId!, ctx.now) || tree.parentOfAccount(accountId!) !== sourceId) {
    throw notFound('AccountNotFoundException', "You specified an account that doesn't exist.");
  }
  if (sourceId === destinationId) {
    throw new AwsServiceError('DuplicateAccountException', 'That account is already present in the specified destination.', 400);
  }
  tree.moveAccount(accountId!, destinationId!);
  return {};
}

/** The root or an OU named by a ParentId member: InvalidInputException when malformed, ParentNotFound when unknown. */
function existingParent(tree: OrganizationTree, parentId: unknown): string {
  checkId(parentId, 'parentId', PARENT_ID_PATTERN, PARENT_ID_PATTERN_TEXT);
  if (!tree.isParent(parentId as string)) {
    throw notFound('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
  }
  return parentId as string;
}

/** The joined accounts directly under a parent, in joining order, one page of them. */
function accountsUnder(
  organization: Organization,
  tree: OrganizationTree,
  parentId: string,
  operation: string,
  input: Input,
  ctx: OperationContext,
): Page<AccountRecord> {
  const joined = organization.joinedAccountCount(ctx.now);
  return pageOf(joined, operation, input, (index) => {
    const account = organization.accountAt(index);
    return tree.parentOfAccount(account.id) === parentId ? account : undefined;
  });
}

function pageOf<T>(length: number, operation: string, input: Input, read: (index: number) => T | undefined): Page<T> {
  const pageSize = readMaxResults(input.MaxResults);
  const start = readNextToken(input.NextToken, operation, length) ?? 0;
  return readPage(length, start, pageSize, read);
}

function* joinedAccountIds(organization: Organization, ctx: OperationContext): Generator<string> {
  const joined = organization.joinedAccountCount(ctx.now);
  for (let index = 0; index < joined; index++) yield organization.accountAt(index).id;
}

function notFound(code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, message, 400);
}

function constraintViolation(reason: string, message: string): AwsServiceError {
  return new AwsServiceError('ConstraintViolationException', message, 400, { Reason: reason });
}
