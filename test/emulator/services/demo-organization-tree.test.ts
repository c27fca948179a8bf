// The demo organization's tree and tags at the handler level: deterministic, realistic proportions, the optional
// team OUs for large organizations, and the retired Account.Status only when asked for.
import { describe, expect, it } from 'vitest';
import { allAccounts, MANAGEMENT, readAll, ORGANIZATIONS_TOKENS, testWorld, type TestWorld } from './world-fixture.js';

type Output = Record<string, unknown>;

async function allUnits(world: TestWorld, parentId: string): Promise<Output[]> {
  const { items } = await readAll(world, 'organizations', 'ListOrganizationalUnitsForParent', 'OrganizationalUnits', ORGANIZATIONS_TOKENS, {
    ParentId: parentId,
  });
  const nested = await Promise.all(items.map((unit) => allUnits(world, unit.Id as string)));
  return [...items, ...nested.flat()];
}

async function rootId(world: TestWorld): Promise<string> {
  return ((await world.call('organizations', 'ListRoots')).Roots as Output[])[0]!.Id as string;
}

async function tagsOf(world: TestWorld, id: string): Promise<Record<string, string>> {
  const { Tags } = await world.call('organizations', 'ListTagsForResource', { ResourceId: id });
  return Object.fromEntries((Tags as Array<{ Key: string; Value: string }>).map(({ Key, Value }) => [Key, Value]));
}

describe('the demo tree of 1,000 members', () => {
  const world = testWorld({ memberAccounts: 1000 });

  it('places accounts by environment and state: prod under Workloads/Prod, closing ones under Suspended', async () => {
    const units = await allUnits(world, await rootId(world));
    const byId = new Map(units.map((unit) => [unit.Id as string, unit.Name as string]));
    const accounts = (await allAccounts(world)).filter((account) => account.Id !== MANAGEMENT);
    const unitOf = (account: Output) => byId.get((account.Paths as string[])[0]!.split('/').at(-3)!);
    const prod = accounts.filter((account) => /-prod(-\d+)?$/.test(account.Name as string) && unitOf(account) !== undefined);
    expect(prod.filter((account) => ['Prod', 'Suspended', 'Security', 'Infrastructure'].includes(unitOf(account)!)).length).toBe(prod.length);
    const closing = accounts.filter((account) => ['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'].includes(account.State as string));
    expect(closing.filter((account) => unitOf(account) === 'Suspended').length).toBeGreaterThan(closing.length * 0.8);
    const underRoot = accounts.filter((account) => unitOf(account) === undefined);
    expect(underRoot.length / accounts.length).toBeLessThan(0.1);
  });

  it('tags most accounts with team, environment and (mostly) cost-center, matching their names', async () => {
    const accounts = (await allAccounts(world)).filter((account) => account.Id !== MANAGEMENT).slice(0, 200);
    const tags = await Promise.all(accounts.map((account) => tagsOf(world, account.Id as string)));
    const tagged = tags.filter((set) => set.team !== undefined);
    expect(tagged.length / tags.length).toBeGreaterThan(0.8);
    expect(tagged.filter((set) => set['cost-center'] !== undefined).length / tagged.length).toBeGreaterThan(0.7);
    accounts.forEach((account, index) => {
      const set = tags[index]!;
      if (set.team !== undefined) expect(account.Name).toMatch(new RegExp(`^${set.team}-${set.environment}(-\\d+)?$`));
    });
  });

  it('is the same tree from the same seed', async () => {
    const again = testWorld({ memberAccounts: 1000 });
    expect(await allAccounts(again)).toEqual(await allAccounts(world));
    expect(await allUnits(again, await rootId(again))).toEqual(await allUnits(world, await rootId(world)));
  });
});

describe('options of the demo tree', () => {
  it('adds team OUs under Workloads/Prod, Workloads/Staging and Sandbox up to the OUs asked for', async () => {
    const world = testWorld({ memberAccounts: 500, organizationalUnits: 60 });
    const units = await allUnits(world, await rootId(world));
    expect(units).toHaveLength(60);
    expect(new Set(units.map((unit) => (unit.Path as string).split('/').length)).size).toBeGreaterThanOrEqual(3);
  });

  it('answers the retired Account.Status only with legacyAccountStatus', async () => {
    const [withoutStatus] = await allAccounts(testWorld());
    expect(withoutStatus).not.toHaveProperty('Status');
    const [withStatus] = await allAccounts(testWorld({ legacyAccountStatus: true }));
    expect(withStatus).toMatchObject({ Status: 'ACTIVE', State: 'ACTIVE' });
  });

  it('refuses an OU count outside 7–1,000', () => {
    expect(() => testWorld({ organizationalUnits: 3 })).toThrow(RangeError);
    expect(() => testWorld({ organizationalUnits: 1001 })).toThrow(RangeError);
  });
});
