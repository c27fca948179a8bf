// AWS Organizations' tree, from the management account: the root, the OUs under each parent, the accounts directly
// under a parent (the fallback when ListAccounts carries no Paths), and an account's tags. Pages are read
// sequentially, 20 at a time (the API's maximum), as every Organizations listing.
import {
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-organizations';
import { ORGANIZATIONS_REGION } from './clients.js';
import type { AwsContext } from './context.js';
import type { CallTarget } from './errors.js';
import { ORGANIZATIONS_PAGE_SIZE } from './organizations.js';
import { collectPages, required } from './response.js';
import type { OrganizationalUnitInfo, OrganizationRootInfo, ResourceTag } from './types.js';

const targetOf = (operation: string): CallTarget => ({ service: 'organizations', operation, region: ORGANIZATIONS_REGION });

/** The organization's root (an organization has exactly one). */
export async function listRoots(ctx: AwsContext): Promise<OrganizationRootInfo[]> {
  const target = targetOf('ListRoots');
  return collectPages(async (token) => {
    const page = await ctx.callAws(target, (options) =>
      ctx.clients.organizations().send(new ListRootsCommand({ MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken: token }), options),
    );
    const roots = (page.Roots ?? []).map((root) => ({
      id: required(root.Id, 'Root.Id', target),
      arn: required(root.Arn, 'Root.Arn', target),
      name: root.Name ?? 'Root',
    }));
    return { items: roots, nextToken: page.NextToken };
  });
}

/** The OUs directly under a root or OU. */
export async function listOrganizationalUnitsForParent(ctx: AwsContext, parentId: string): Promise<OrganizationalUnitInfo[]> {
  const target = targetOf('ListOrganizationalUnitsForParent');
  return collectPages(async (token) => {
    const page = await ctx.callAws(target, (options) =>
      ctx.clients
        .organizations()
        .send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken: token }), options),
    );
    const units = (page.OrganizationalUnits ?? []).map((unit) => ({
      id: required(unit.Id, 'OrganizationalUnit.Id', target),
      arn: required(unit.Arn, 'OrganizationalUnit.Arn', target),
      name: required(unit.Name, 'OrganizationalUnit.Name', target),
      parentId,
    }));
    return { items: units, nextToken: page.NextToken };
  });
}

/** The ids of the accounts directly under a root or OU (ListChildren, ChildType ACCOUNT). */
export async function listAccountIdsForParent(ctx: AwsContext, parentId: string): Promise<string[]> {
  const target = targetOf('ListChildren');
  return collectPages(async (token) => {
    const page = await ctx.callAws(target, (options) =>
      ctx.clients
        .organizations()
        .send(new ListChildrenCommand({ ParentId: parentId, ChildType: 'ACCOUNT', MaxResults: ORGANIZATIONS_PAGE_SIZE, NextToken: token }), options),
    );
    return { items: (page.Children ?? []).map((child) => required(child.Id, 'Child.Id', target)), nextToken: page.NextToken };
  });
}

/** The tags of an account, OU or root. */
export async function listTagsForResource(ctx: AwsContext, resourceId: string): Promise<ResourceTag[]> {
  const target = { ...targetOf('ListTagsForResource'), ...(/^\d{12}$/.test(resourceId) && { accountId: resourceId }) };
  return collectPages(async (token) => {
    const page = await ctx.callAws(target, (options) =>
      ctx.clients.organizations().send(new ListTagsForResourceCommand({ ResourceId: resourceId, NextToken: token }), options),
    );
    const tags = (page.Tags ?? []).map((tag) => ({ key: required(tag.Key, 'Tag.Key', target), value: tag.Value ?? '' }));
    return { items: tags, nextToken: page.NextToken };
  });
}
