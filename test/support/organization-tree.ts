// Reads the emulated organization the way a test needs it before it starts: every account (with its path), the
// root, and every organizational unit by its path of names ("Engineering/Platform"), through the unmodified SDK.
import { ListOrganizationalUnitsForParentCommand, ListRootsCommand, paginateListAccounts, type Account, type OrganizationsClient } from '@aws-sdk/client-organizations';

export interface OrganizationTree {
  readonly accounts: Account[];
  readonly rootId: string;
  /** Organizational unit ids by their path of names from the root, "/"-separated. */
  readonly units: Map<string, string>;
}

export async function readOrganizationTree(organizations: OrganizationsClient): Promise<OrganizationTree> {
  const accounts: Account[] = [];
  for await (const page of paginateListAccounts({ client: organizations }, {})) accounts.push(...(page.Accounts ?? []));
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  const units = new Map<string, string>();
  const walk = async (parentId: string, prefix: string): Promise<void> => {
    const { OrganizationalUnits } = await organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId }));
    for (const unit of OrganizationalUnits ?? []) {
      units.set(`${prefix}${unit.Name}`, unit.Id!);
      await walk(unit.Id!, `${prefix}${unit.Name}/`);
    }
  };
  await walk(rootId, '');
  return { accounts, rootId, units };
}
