// The shape of the emulated organization: its root, the organizational units under it (nested up to AWS's five
// levels), which parent each account sits in, and the tags on accounts, OUs and the root. An account nobody placed
// sits directly under the root, as an account that CreateAccount adds does on AWS. Holds no time-driven state.
import type { SeededRandom } from './random.js';

/** AWS allows OUs five levels deep under the root. */
export const MAX_OU_DEPTH = 5;
/** AWS's default quota of OUs per organization. */
export const MAX_ORGANIZATIONAL_UNITS = 1000;

export interface OrganizationalUnitRecord {
  readonly id: string;
  readonly name: string;
  /** The root's id or another OU's. */
  readonly parentId: string;
}

export interface OrganizationTreeInit {
  readonly organizationId: string;
  readonly managementAccountId: string;
  /** `r-` and 4 lowercase letters or digits. */
  readonly rootId: string;
  /** Parents before their children. */
  readonly units: readonly OrganizationalUnitRecord[];
  /** Accounts placed under an OU; any other account sits under the root. */
  readonly placements: ReadonlyArray<readonly [accountId: string, parentId: string]>;
  readonly tags: ReadonlyArray<readonly [resourceId: string, tags: ReadonlyArray<readonly [key: string, value: string]>]>;
  /** Source of the ids of OUs created later. */
  readonly random: SeededRandom;
}

export class OrganizationTree {
  readonly rootId: string;
  private readonly organizationId: string;
  private readonly managementAccountId: string;
  private readonly units = new Map<string, OrganizationalUnitRecord>();
  /** OU ids per parent, in creation order. */
  private readonly childUnits = new Map<string, string[]>();
  private readonly accountParents = new Map<string, string>();
  private readonly tags = new Map<string, Map<string, string>>();
  private readonly random: SeededRandom;

  constructor(init: OrganizationTreeInit) {
    this.organizationId = init.organizationId;
    this.managementAccountId = init.managementAccountId;
    this.rootId = init.rootId;
    this.random = init.random;
    this.childUnits.set(this.rootId, []);
    for (const unit of init.units) this.addUnit(unit);
    for (const [accountId, parentId] of init.placements) this.accountParents.set(accountId, parentId);
    for (const [resourceId, tags] of init.tags) this.tags.set(resourceId, new Map(tags));
  }

  get rootArn(): string {
    return `arn:aws:organizations::${this.managementAccountId}:root/${this.organizationId}/${this.rootId}`;
  }

  unitArn(unitId: string): string {
    return `arn:aws:organizations::${this.managementAccountId}:ou/${this.organizationId}/${unitId}`;
  }

  /** True for the root and for every OU that exists. */
  isParent(id: string): boolean {
    return id === this.rootId || this.units.has(id);
  }

  findUnit(unitId: string): OrganizationalUnitRecord | undefined {
    return this.units.get(unitId);
  }

  get unitCount(): number {
    return this.units.size;
  }

  /** The OUs directly under a parent, in creation order. */
  unitsUnder(parentId: string): readonly OrganizationalUnitRecord[] {
    return (this.childUnits.get(parentId) ?? []).map((id) => this.units.get(id)!);
  }

  parentOfAccount(accountId: string): string {
    return this.accountParents.get(accountId) ?? this.rootId;
  }

  /** OU ids from the top level down to `parentId` itself; empty for the root. */
  unitChain(parentId: string): string[] {
    const chain: string[] = [];
    for (let id = parentId; id !== this.rootId; ) {
      const unit = this.units.get(id);
      if (unit === undefined) break;
      chain.unshift(unit.id);
      id = unit.parentId;
    }
    return chain;
  }

  /** `o-…/r-…/ou-…/ou-…/<account id>/`, the form of Account.Paths. */
  accountPath(accountId: string): string {
    return `${this.parentPath(this.parentOfAccount(accountId))}${accountId}/`;
  }

  /** `o-…/r-…/ou-…/`, the form of OrganizationalUnit.Path (and of the root's path, without an OU). */
  parentPath(parentId: string): string {
    return [this.organizationId, this.rootId, ...this.unitChain(parentId)].join('/') + '/';
  }

  /** Levels below the root an OU under `parentId` would sit at. */
  depthUnder(parentId: string): number {
    return this.unitChain(parentId).length + 1;
  }

  createUnit(parentId: string, name: string): OrganizationalUnitRecord {
    const unit: OrganizationalUnitRecord = { id: this.newUnitId(), name, parentId };
    this.addUnit(unit);
    return unit;
  }

  renameUnit(unitId: string, name: string): OrganizationalUnitRecord {
    const unit = { ...this.units.get(unitId)!, name };
    this.units.set(unitId, unit);
    return unit;
  }

  deleteUnit(unitId: string): void {
    const unit = this.units.get(unitId)!;
    this.units.delete(unitId);
    this.childUnits.delete(unitId);
    const siblings = this.childUnits.get(unit.parentId)!;
    siblings.splice(siblings.indexOf(unitId), 1);
    this.tags.delete(unitId);
  }

  /** True when any of `accountIds` sits directly under the OU. */
  holdsAnyAccount(unitId: string, accountIds: Iterable<string>): boolean {
    for (const accountId of accountIds) if (this.parentOfAccount(accountId) === unitId) return true;
    return false;
  }

  moveAccount(accountId: string, destinationId: string): void {
    if (destinationId === this.rootId) this.accountParents.delete(accountId);
    else this.accountParents.set(accountId, destinationId);
  }

  tagsOf(resourceId: string): ReadonlyArray<readonly [string, string]> {
    return [...(this.tags.get(resourceId) ?? new Map<string, string>())];
  }

  /** How many tags the resource would carry with these keys added or overwritten. */
  tagCountWith(resourceId: string, keys: readonly string[]): number {
    const current = this.tags.get(resourceId) ?? new Map<string, string>();
    return current.size + keys.filter((key) => !current.has(key)).length;
  }

  tag(resourceId: string, tags: ReadonlyArray<readonly [string, string]>): void {
    const current = this.tags.get(resourceId) ?? new Map<string, string>();
    for (const [key, value] of tags) current.set(key, value);
    this.tags.set(resourceId, current);
  }

  untag(resourceId: string, keys: readonly string[]): void {
    const current = this.tags.get(resourceId);
    if (current === undefined) return;
    for (const key of keys) current.delete(key);
  }

  private addUnit(unit: OrganizationalUnitRecord): void {
    this.units.set(unit.id, unit);
    this.childUnits.set(unit.id, []);
    this.childUnits.get(unit.parentId)!.push(unit.id);
  }

  /** `ou-<root's suffix>-<8 characters>`, as AWS builds them. */
  private newUnitId(): string {
    for (;;) {
      const id = `ou-${this.rootId.slice(2)}-${this.random.lowercaseAlphanumeric(8)}`;
      if (!this.units.has(id)) return id;
    }
  }
}
