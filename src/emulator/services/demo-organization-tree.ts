// The demo organization's shape: a tree of OUs such as a company running 1,000 accounts might keep (Security,
// Infrastructure, Workloads/Prod, Workloads/Staging, Sandbox, Suspended), each account placed by its team,
// environment and state, and team / environment / cost-center tags on most accounts. A deterministic function of the
// accounts and the seed; it draws from its own random stream, so the rest of the demo stays as it was.
import { ENVIRONMENTS, TEAMS } from './demo-organization.js';
import type { AccountRecord } from './organization-state.js';
import { OrganizationTree, type OrganizationalUnitRecord } from './organization-tree.js';
import { SeededRandom } from './random.js';

export interface DemoTreeOptions {
  readonly organizationId: string;
  readonly managementAccountId: string;
  /** Members joined at start; accounts beyond them (a creation in progress) stay under the root, as on AWS. */
  readonly members: readonly AccountRecord[];
  readonly seed: number;
  /** Seeds the ids of OUs created later. */
  readonly laterIdsSeed: number;
  /**
   * How many OUs the tree has; beyond the seven base ones, team OUs are added under Workloads/Prod,
   * Workloads/Staging and Sandbox (accounts of that team and environment move into them). @default 7
   */
  readonly organizationalUnits?: number;
}

type Environment = (typeof ENVIRONMENTS)[number];
type BaseUnit = 'security' | 'infrastructure' | 'workloads' | 'prod' | 'staging' | 'sandbox' | 'suspended';

const BASE_UNITS: ReadonlyArray<readonly [BaseUnit, string, BaseUnit | undefined]> = [
  ['security', 'Security', undefined],
  ['infrastructure', 'Infrastructure', undefined],
  ['workloads', 'Workloads', undefined],
  ['prod', 'Prod', 'workloads'],
  ['staging', 'Staging', 'workloads'],
  ['sandbox', 'Sandbox', undefined],
  ['suspended', 'Suspended', undefined],
];
export const DEMO_BASE_UNIT_COUNT = BASE_UNITS.length;
/** Parents of the team OUs added beyond the base tree. */
const TEAM_UNIT_PARENTS: readonly BaseUnit[] = ['prod', 'staging', 'sandbox'];

const ENVIRONMENT_UNIT: Record<Environment, BaseUnit> = {
  prod: 'prod',
  dr: 'prod',
  staging: 'staging',
  qa: 'staging',
  dev: 'sandbox',
  sandbox: 'sandbox',
};
const SECURITY_TEAMS = new Set<string>(['security', 'identity']);
const INFRASTRUCTURE_TEAMS = new Set<string>(['networking', 'observability', 'edge-gateway']);
const CLOSING_STATES = new Set<string>(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

/** Members left under the root (invited and never placed), members tagged, and tagged ones with a cost-center. */
const UNPLACED_SHARE = 0.04;
const TAGGED_SHARE = 0.9;
const COST_CENTER_SHARE = 0.85;

export function buildDemoTree(options: DemoTreeOptions): OrganizationTree {
  const random = new SeededRandom(options.seed + 2);
  const rootId = `r-${random.lowercaseAlphanumeric(4)}`;
  const unitId = (): string => `ou-${rootId.slice(2)}-${random.lowercaseAlphanumeric(8)}`;

  const base = new Map<BaseUnit, OrganizationalUnitRecord>();
  for (const [key, name, parent] of BASE_UNITS) {
    base.set(key, { id: unitId(), name, parentId: parent === undefined ? rootId : base.get(parent)!.id });
  }
  const teamUnits = new Map<string, OrganizationalUnitRecord>();
  const extra = Math.max(0, (options.organizationalUnits ?? DEMO_BASE_UNIT_COUNT) - DEMO_BASE_UNIT_COUNT);
  for (let index = 0; index < extra; index++) {
    const parent = TEAM_UNIT_PARENTS[index % TEAM_UNIT_PARENTS.length]!;
    const team = TEAMS[Math.floor(index / TEAM_UNIT_PARENTS.length) % TEAMS.length]!;
    const round = Math.floor(index / (TEAM_UNIT_PARENTS.length * TEAMS.length));
    const name = round === 0 ? team : `${team}-${round + 1}`;
    const unit = { id: unitId(), name, parentId: base.get(parent)!.id };
    if (round === 0) teamUnits.set(`${parent}/${team}`, unit);
    else teamUnits.set(`${parent}/${team}/${round}`, unit);
  }

  const placements: Array<readonly [string, string]> = [];
  const tags: Array<readonly [string, ReadonlyArray<readonly [string, string]>]> = [];
  for (const account of options.members) {
    const { team, environment } = nameParts(account.name);
    const unplaced = random.chance(UNPLACED_SHARE);
    const parent = placement(account, team, environment);
    if (!unplaced) {
      const teamUnit = team === undefined ? undefined : teamUnits.get(`${parent}/${team}`);
      placements.push([account.id, (teamUnit ?? base.get(parent)!).id]);
    }
    if (team !== undefined && environment !== undefined && random.chance(TAGGED_SHARE)) {
      const accountTags: Array<readonly [string, string]> = [['team', team], ['environment', environment]];
      if (random.chance(COST_CENTER_SHARE)) accountTags.push(['cost-center', costCenter(team)]);
      tags.push([account.id, accountTags]);
    }
  }
  tags.push([base.get('prod')!.id, [['environment', 'prod']]], [base.get('staging')!.id, [['environment', 'staging']]]);

  return new OrganizationTree({
    organizationId: options.organizationId,
    managementAccountId: options.managementAccountId,
    rootId,
    units: [...base.values(), ...teamUnits.values()],
    placements,
    tags,
    random: new SeededRandom(options.laterIdsSeed + 3),
  });
}

function placement(account: AccountRecord, team: string | undefined, environment: Environment | undefined): BaseUnit {
  if (CLOSING_STATES.has(account.state)) return 'suspended';
  if (team !== undefined && SECURITY_TEAMS.has(team)) return 'security';
  if (team !== undefined && INFRASTRUCTURE_TEAMS.has(team)) return 'infrastructure';
  return environment === undefined ? 'sandbox' : ENVIRONMENT_UNIT[environment];
}

/** `<team>-<environment>` or `<team>-<environment>-<n>`, the demo's account names. */
function nameParts(name: string): { team?: string; environment?: Environment } {
  for (const environment of ENVIRONMENTS) {
    const match = new RegExp(`^(.+)-${environment}(?:-\\d+)?$`).exec(name);
    if (match !== null && (TEAMS as readonly string[]).includes(match[1]!)) return { team: match[1]!, environment };
  }
  return {};
}

function costCenter(team: string): string {
  return `cc-${1000 + (TEAMS as readonly string[]).indexOf(team) * 10}`;
}
