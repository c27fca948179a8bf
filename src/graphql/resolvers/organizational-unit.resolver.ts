// The organization's shape in the API: Organization.root and organizationalUnit(id), an OU's parent, children,
// accounts and status summary, an account's OU, OU path and tags, and a status summary per OU. The tree is one cached
// walk (status/organization-shape.ts); which OU an account sits in comes from its Paths at no call; tags cost one
// ListTagsForResource per account, only when asked for.
import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { parentFromPaths, placementMatcher, type OrgAccount, type OrganizationTree } from '../../status/index.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput, ErrorCode, mapAnswer, orFieldError } from '../errors.js';
import { AccountFilterInput, PARENT_ID_PATTERN, toAccountFilter } from '../inputs/account-filter.input.js';
import { Account } from '../types/account.type.js';
import { AccountConnection, Organization, StatusSummary } from '../types/organization.type.js';
import {
  OrganizationalUnit,
  OrganizationalUnitSummary,
  OrganizationParent,
  OrganizationRoot,
  pathOf,
  Tag,
} from '../types/organizational-unit.type.js';
import { checkPageSize, connectionOf, decodeCursor, filteredAccounts, summaryOfAccounts } from './organization.resolver.js';

function tree(ctx: GraphQLContext): OrganizationTree | Promise<OrganizationTree> {
  return mapAnswer(ctx.reader.tree(), (cached) => cached.value);
}

function unitsUnder(found: OrganizationTree, parentId: string): OrganizationalUnit[] {
  return (found.children.get(parentId) ?? []).map((id) => OrganizationalUnit.from(found, found.units.get(id)!));
}

@Resolver(() => Organization)
export class OrganizationShapeResolver {
  @FieldResolver(() => OrganizationRoot, { description: 'The root of the organization\'s tree of OUs.' })
  async root(@Ctx() ctx: GraphQLContext): Promise<OrganizationRoot> {
    return OrganizationRoot.from(await tree(ctx));
  }

  @FieldResolver(() => [OrganizationalUnit], {
    description: 'Every OU of the organization, parents before their children (a flat list: build the tree from parentId).',
  })
  async organizationalUnits(@Ctx() ctx: GraphQLContext): Promise<OrganizationalUnit[]> {
    const found = await tree(ctx);
    return [...found.units.values()].map((node) => OrganizationalUnit.from(found, node));
  }

  // Nullable, so that an unknown or malformed id fails this field alone, not the organization and its other fields.
  @FieldResolver(() => OrganizationalUnit, {
    nullable: true,
    description: 'One OU by id; null with an error: BAD_USER_INPUT for a malformed id (before any AWS call), NOT_FOUND for an unknown one.',
  })
  async organizationalUnit(
    @Arg('id', () => String, { description: 'The OU id ("ou-…-…").' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrganizationalUnit> {
    if (!PARENT_ID_PATTERN.test(id) || !id.startsWith('ou-')) throw badUserInput('id must be an OU id (ou-…-…).', 'id');
    const found = await tree(ctx);
    const node = found.units.get(id);
    if (!node) throw new GraphQLError('No organizational unit with this id in the organization.', { extensions: { code: ErrorCode.NOT_FOUND, field: 'id' } });
    return OrganizationalUnit.from(found, node);
  }
}

@Resolver(() => OrganizationRoot)
export class OrganizationRootResolver {
  @FieldResolver(() => [OrganizationalUnit], { description: 'The top-level OUs.' })
  children(@Root() root: OrganizationRoot): OrganizationalUnit[] {
    return unitsUnder(root.tree, root.id);
  }
}

@Resolver(() => OrganizationalUnit)
export class OrganizationalUnitResolver {
  @FieldResolver(() => OrganizationalUnit, { nullable: true, description: 'The OU it sits under; null for a top-level OU (its parent is the root).' })
  parent(@Root() unit: OrganizationalUnit): OrganizationalUnit | null {
    const node = unit.tree.units.get(unit.parentId);
    return node ? OrganizationalUnit.from(unit.tree, node) : null;
  }

  @FieldResolver(() => [OrganizationParent], { description: 'The root, then the OUs from the top level down to this one (itself last).' })
  path(@Root() unit: OrganizationalUnit): OrganizationParent[] {
    return pathOf(unit.tree, unit.tree.units.get(unit.id)?.chain ?? []);
  }

  @FieldResolver(() => [OrganizationalUnit], { description: 'The OUs directly under this one.' })
  children(@Root() unit: OrganizationalUnit): OrganizationalUnit[] {
    return unitsUnder(unit.tree, unit.id);
  }

  @FieldResolver(() => AccountConnection, { description: 'The accounts under this OU (descendants included unless filter.directOnly), ordered by id.' })
  async accounts(
    @Root() unit: OrganizationalUnit,
    @Arg('first', () => Int, { defaultValue: 100, description: 'Page size.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the account to continue after.' }) after: string | undefined,
    @Arg('filter', () => AccountFilterInput, { nullable: true, description: 'Further criteria; its organizationalUnitId must be absent.' })
    filter: AccountFilterInput | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AccountConnection> {
    checkPageSize(first);
    const afterId = after == null ? undefined : decodeCursor(after);
    return connectionOf(await filteredAccounts(ctx, scopedFilter(unit.id, filter)), first, afterId, undefined);
  }

  @FieldResolver(() => StatusSummary, { description: 'Counts per status value over the accounts under this OU (descendants included).' })
  async statusSummary(
    @Root() unit: OrganizationalUnit,
    @Arg('filter', () => AccountFilterInput, { nullable: true, description: 'Further criteria; its organizationalUnitId must be absent.' })
    filter: AccountFilterInput | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<StatusSummary> {
    return summaryOfAccounts(ctx, await filteredAccounts(ctx, scopedFilter(unit.id, filter)), unit.id);
  }
}

function scopedFilter(unitId: string, filter: AccountFilterInput | undefined) {
  if (filter?.organizationalUnitId != null) throw badUserInput('filter.organizationalUnitId is the OU itself here; leave it out.', 'filter.organizationalUnitId');
  return { ...toAccountFilter(filter), organizationalUnitId: unitId };
}

@Resolver(() => Account)
export class AccountShapeResolver {
  @FieldResolver(() => OrganizationalUnit, { nullable: true, description: 'The OU the account sits directly in; null when it sits under the root.' })
  async organizationalUnit(@Root() account: Account, @Ctx() ctx: GraphQLContext): Promise<OrganizationalUnit | null> {
    const [found, parentId] = await Promise.all([tree(ctx), parentOf(ctx, account)]);
    const node = parentId === undefined ? undefined : found.units.get(parentId);
    return node ? OrganizationalUnit.from(found, node) : null;
  }

  @FieldResolver(() => [OrganizationParent], {
    nullable: true,
    description:
      'Where the account sits: the root first, then the OUs from the top level down to its own (just the root for an ' +
      'account under the root). As AWS\'s Paths (o-…/r-…/ou-…/), without the organization.',
  })
  async path(@Root() account: Account, @Ctx() ctx: GraphQLContext): Promise<OrganizationParent[]> {
    const [found, parentId] = await Promise.all([tree(ctx), parentOf(ctx, account)]);
    return pathOf(found, parentId === undefined ? [] : (found.units.get(parentId)?.chain ?? []));
  }

  @FieldResolver(() => [Tag], {
    nullable: true,
    description: 'The account\'s tags (one ListTagsForResource per account, cached); null with an error when they cannot be read.',
  })
  tags(@Root() account: Account, @Ctx() ctx: GraphQLContext): Tag[] | Promise<Tag[]> {
    return mapAnswer(ctx.reader.tags(account.id), (found) => found.value.map((tag) => Object.assign(new Tag(), tag)));
  }
}

/** The account's parent from its Paths (no call); without Paths, the one ListChildren walk the shape caches. */
async function parentOf(ctx: GraphQLContext, account: Account): Promise<string | undefined> {
  const record: OrgAccount = account.record ?? { id: account.id };
  const fromPaths = parentFromPaths(record);
  if (fromPaths !== undefined) return fromPaths;
  const directory = await orFieldError(Promise.resolve(ctx.reader.directory()));
  return (await orFieldError(ctx.reader.placements(directory.value.accounts))).get(account.id);
}

@Resolver(() => StatusSummary)
export class StatusSummaryByUnitResolver {
  @FieldResolver(() => [OrganizationalUnitSummary], {
    description:
      'The summary per OU (descendants counted in their ancestors): the OUs one level below this summary\'s scope ' +
      '(the root, or the OU whose summary it is), or every OU of the tree with wholeTree. No further AWS call.',
  })
  async byOrganizationalUnit(
    @Root() summary: StatusSummary,
    @Arg('wholeTree', () => Boolean, { defaultValue: false, description: 'Every OU of the tree, not just one level.' }) wholeTree: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrganizationalUnitSummary[]> {
    const found = await tree(ctx);
    const { accounts } = summary.scope;
    const placements = await orFieldError(ctx.reader.placements(accounts));
    const scopeId = summary.scope.parentId ?? found.root.id;
    const scopeDepth = found.units.get(scopeId)?.chain.length ?? 0;
    const units = wholeTree
      ? [...found.units.values()].filter((node) => node.id === scopeId || node.chain.includes(scopeId) || scopeId === found.root.id)
      : (found.children.get(scopeId) ?? []).map((id) => found.units.get(id)!);
    return units
      .filter((node) => node.chain.length > scopeDepth || node.id === scopeId)
      .map((node) => {
        const under = accounts.filter(placementMatcher(found, placements, node.id, false));
        return Object.assign(new OrganizationalUnitSummary(), {
          organizationalUnit: OrganizationalUnit.from(found, node),
          depth: node.chain.length,
          summary: summary.scope.summarize(under, node.id),
        });
      });
  }
}
