// The organization's shape: its root, its organizational units (their accounts and status summaries are field
// resolvers in organizational-unit.resolver.ts), the tags of an account, and a status summary per OU.
import { Field, InterfaceType, Int, ObjectType } from 'type-graphql';
import type { OrganizationalUnitNode, OrganizationTree } from '../../status/index.js';
import { StatusSummary } from './organization.type.js';

@ObjectType({ simpleResolvers: true, description: 'A tag on an account.' })
export class Tag {
  @Field(() => String, { description: 'The tag key.' })
  key!: string;

  @Field(() => String, { description: 'The tag value (may be empty).' })
  value!: string;
}

/**
 * What an account or OU can sit under, as AWS's ParentId has it: the root or an OU. A path is a list of them, root
 * first, so one list type holds both (the root is a type of its own: it has no parent and no accounts field).
 */
@InterfaceType({ description: 'A place in the organization\'s tree that accounts and OUs sit under: the root (OrganizationRoot) or an OU (OrganizationalUnit).' })
export abstract class OrganizationParent {
  @Field(() => String, { description: 'The id: "r-…" for the root, "ou-…-…" for an OU.' })
  id!: string;

  @Field(() => String, { description: 'The ARN.' })
  arn!: string;

  @Field(() => String, { description: 'The name (AWS names the root "Root").' })
  name!: string;
}

@ObjectType({ implements: OrganizationParent, description: 'The root of the organization: every OU and account sits under it.' })
export class OrganizationRoot extends OrganizationParent {

  /** The tree it is the root of, for the field resolvers. */
  tree!: OrganizationTree;

  static from(tree: OrganizationTree): OrganizationRoot {
    return Object.assign(new OrganizationRoot(), { ...tree.root, tree });
  }
}

/** The root, then the OUs of `chain` (ids from the top level down): a path as the API lists it. */
export function pathOf(tree: OrganizationTree, chain: readonly string[]): OrganizationParent[] {
  return [OrganizationRoot.from(tree), ...chain.map((id) => OrganizationalUnit.from(tree, tree.units.get(id)!))];
}

@ObjectType({
  implements: OrganizationParent,
  description: 'An organizational unit (OU): a group of accounts and OUs, up to five levels below the root. Its name is unique among its siblings.',
})
export class OrganizationalUnit extends OrganizationParent {

  @Field(() => String, { description: 'The id of the root or OU it sits directly under.' })
  parentId!: string;

  @Field(() => String, { description: 'The names from the top-level OU down to this one, joined by "/" (e.g. "Workloads/Prod").' })
  namePath!: string;

  /** The tree it belongs to, for the field resolvers. */
  tree!: OrganizationTree;

  static from(tree: OrganizationTree, node: OrganizationalUnitNode): OrganizationalUnit {
    const namePath = node.chain.map((id) => tree.units.get(id)?.name ?? id).join('/');
    return Object.assign(new OrganizationalUnit(), {
      id: node.id,
      arn: node.arn,
      name: node.name,
      parentId: node.parentId,
      namePath,
      tree,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'The status summary of the accounts under one OU (descendants included).' })
export class OrganizationalUnitSummary {
  @Field(() => OrganizationalUnit, { description: 'The OU.' })
  organizationalUnit!: OrganizationalUnit;

  @Field(() => Int, { description: 'How many levels below the root the OU sits (1: top level).' })
  depth!: number;

  @Field(() => StatusSummary, { description: 'Counts over the accounts under the OU that the summary\'s filter chose.' })
  summary!: StatusSummary;
}
