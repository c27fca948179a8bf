// The Organizations tag operations (ListTagsForResource, TagResource, UntagResource) on accounts, OUs and the root,
// with AWS's errors: a malformed id or tag key → InvalidInputException, a resource not in the organization →
// TargetNotFoundException, more than 50 tags → ConstraintViolationException MAX_TAG_LIMIT_EXCEEDED.
import { AwsServiceError, type OperationContext, type OperationHandler } from '../core/types.js';
import type { Organization } from './organization-state.js';
import type { OrganizationTree } from './organization-tree.js';
import {
  checkId,
  checkTagKeys,
  checkTags,
  MAX_TAGS_PER_RESOURCE,
  readNextToken,
  requireManagementAccount,
  requireMember,
  tagsOutput,
} from './organizations-input.js';

// TaggableResourceId: accounts, OUs, the root, and policies / resource policies / responsibility transfers, which
// the emulator has none of (so they are never found).
const TAGGABLE_RESOURCE_ID_PATTERN =
  /(r-[0-9a-z]{4,32})|(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})|(p-[0-9a-zA-Z_]{8,128})|(rp-[0-9a-zA-Z_]{4,128})|(rt-[0-9a-zA-Z_]{8,32})/;
const TAGGABLE_RESOURCE_ID_PATTERN_TEXT =
  '^(r-[0-9a-z]{4,32})|(\\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})|(^p-[0-9a-zA-Z_]{8,128})|(^rp-[0-9a-zA-Z_]{4,128})|(^rt-[0-9a-zA-Z_]{8,32})$';

type Input = Record<string, unknown>;

export function organizationsTagOperations(organization: Organization, tree: OrganizationTree): Record<string, OperationHandler> {
  const target = (input: Input, ctx: OperationContext): string => {
    requireManagementAccount(organization, ctx);
    checkId(input.ResourceId, 'resourceId', TAGGABLE_RESOURCE_ID_PATTERN, TAGGABLE_RESOURCE_ID_PATTERN_TEXT);
    const resourceId = input.ResourceId as string;
    const exists = tree.isParent(resourceId) || organization.includes(resourceId, ctx.now);
    if (!exists) {
      throw new AwsServiceError('TargetNotFoundException', "We can't find a root, OU, account, or policy with the TargetId that you specified.", 400);
    }
    return resourceId;
  };
  return {
    ListTagsForResource: (input, ctx) => {
      const resourceId = target(input, ctx);
      // Every tag fits one page (a resource carries at most 50), so the only token is none.
      readNextToken(input.NextToken, 'ListTagsForResource', 0);
      return { Tags: tagsOutput(tree.tagsOf(resourceId)) };
    },
    TagResource: (input, ctx) => {
      const resourceId = target(input, ctx);
      requireMember(input.Tags, 'tags');
      const tags = checkTags(input.Tags);
      if (tree.tagCountWith(resourceId, tags.map(([key]) => key)) > MAX_TAGS_PER_RESOURCE) {
        throw new AwsServiceError(
          'ConstraintViolationException',
          `You have exceeded the number of tags allowed on this resource (${MAX_TAGS_PER_RESOURCE}).`,
          400,
          { Reason: 'MAX_TAG_LIMIT_EXCEEDED' },
        );
      }
      tree.tag(resourceId, tags);
      return {};
    },
    UntagResource: (input, ctx) => {
      const resourceId = target(input, ctx);
      tree.untag(resourceId, checkTagKeys(input.TagKeys));
      return {};
    },
  };
}
