// Benchmark 1b — accounts under one OU, at 5,000 accounts and 200 OUs: statusgraph's cold
// `accounts(filter: { organizationalUnitId })` query against the script a user writes without Paths (ListAccounts, then
// ListParents up from every account to the root, memoizing each OU's parent, 10 accounts at a time), side by side on
// one emulator with the same latency. statusgraph reads each account's OU from the Paths of the ListAccounts pages and
// the tree in one ListOrganizationalUnitsForParent walk (docs/architecture.md, the call budget).
//
//   npx tsx bench/ou-filter.ts [--accounts 5000] [--units 200] [--latency-ms 25]
// prints the result as a Markdown table for docs/benchmarks.md.
import { ListParentsCommand, OrganizationsClient, paginateListAccounts, paginateListOrganizationalUnitsForParent, ListRootsCommand } from '@aws-sdk/client-organizations';
import { parseArgs } from 'node:util';
import PQueue from 'p-queue';
import { startEmulatorProcess, startStatusGraphProcess, useCompiledStatusGraph } from './support/processes.js';
import { count, duration, machineLine, ratio } from './support/report.js';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const CONCURRENCY = 10;
const EMULATOR_DELAY_MS = 3_600_000;
const QUERY = /* GraphQL */ `
  query UnderOu($ou: String!) {
    organization { accounts(first: 1000, filter: { organizationalUnitId: $ou }) { totalCount nodes { id } } }
  }
`;

const total = (calls: Record<string, number>): number => Object.values(calls).reduce((sum, each) => sum + each, 0);

/** The user's script: which accounts sit under `unitId` (descendants included), by ListParents walks. */
async function accountsUnderLikeAUser(endpoint: string, unitId: string): Promise<{ ids: string[]; wallMs: number }> {
  const started = performance.now();
  const organizations = new OrganizationsClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const accounts: string[] = [];
  for await (const page of paginateListAccounts({ client: organizations }, {})) accounts.push(...(page.Accounts ?? []).map((a) => a.Id!));
  const parentOf = new Map<string, Promise<{ id: string; root: boolean }>>();
  const parent = (childId: string) => {
    let found = parentOf.get(childId);
    if (!found) {
      found = organizations.send(new ListParentsCommand({ ChildId: childId })).then(({ Parents }) => ({ id: Parents![0]!.Id!, root: Parents![0]!.Type === 'ROOT' }));
      // An account is asked about once anyway; an OU's parent is remembered, as a careful script would.
      if (childId.startsWith('ou-')) parentOf.set(childId, found);
    }
    return found;
  };
  const queue = new PQueue({ concurrency: CONCURRENCY });
  const under = await Promise.all(
    accounts.map((id) =>
      queue.add(async () => {
        for (let step = await parent(id); ; step = await parent(step.id)) {
          if (step.id === unitId) return true;
          if (step.root) return false;
        }
      }),
    ),
  );
  organizations.destroy();
  return { ids: accounts.filter((_, index) => under[index]).sort(), wallMs: performance.now() - started };
}

/** The OU with the most accounts under it among the top-level ones' children: Workloads/Prod in the demo tree. */
async function prodUnit(endpoint: string): Promise<string> {
  const organizations = new OrganizationsClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  const under = async (parentId: string) => {
    const units = [];
    for await (const page of paginateListOrganizationalUnitsForParent({ client: organizations }, { ParentId: parentId })) units.push(...(page.OrganizationalUnits ?? []));
    return units;
  };
  const workloads = (await under(rootId)).find((unit) => unit.Name === 'Workloads')!;
  const prod = (await under(workloads.Id!)).find((unit) => unit.Name === 'Prod')!;
  organizations.destroy();
  return prod.Id!;
}

/** Pages a ListOrganizationalUnitsForParent walk of the whole tree takes: one per 20 OUs of each parent, at least one. */
async function walkPages(endpoint: string): Promise<number> {
  const organizations = new OrganizationsClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  let pages = 0;
  let level = [(await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!];
  while (level.length > 0) {
    const next: string[] = [];
    for (const parentId of level) {
      for await (const page of paginateListOrganizationalUnitsForParent({ client: organizations }, { ParentId: parentId })) {
        pages++;
        next.push(...(page.OrganizationalUnits ?? []).map((unit) => unit.Id!));
      }
    }
    level = next;
  }
  organizations.destroy();
  return pages;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { accounts: { type: 'string' }, units: { type: 'string' }, 'latency-ms': { type: 'string' } } });
  const accounts = Number(values.accounts ?? 5_000);
  const units = Number(values.units ?? 200);
  const latencyMs = Number(values['latency-ms'] ?? 25);
  await useCompiledStatusGraph();
  const emulator = await startEmulatorProcess({ memberAccounts: accounts - 1, delayMs: EMULATOR_DELAY_MS, organizationalUnits: units });
  try {
    const unitId = await prodUnit(emulator.endpoint);
    await emulator.setFaults({ latencyMs });
    // A cold read of 250 sequential ListAccounts pages outlasts the default query deadline (15 s) on a busy machine.
    const server = await startStatusGraphProcess(emulator.endpoint, { STATUSGRAPH_QUERY_DEADLINE_MS: '120000' });
    let ours: { ids: string[]; totalCount: number; calls: Record<string, number>; wallMs: number; warmCalls: number };
    try {
      await server.gql('{ viewer { id } }');
      await emulator.resetCalls();
      const started = performance.now();
      const cold = await server.gql(QUERY, { ou: unitId });
      const wallMs = performance.now() - started;
      if (!cold.data?.organization) throw new Error(`the cold query failed: ${JSON.stringify(cold.errors)}`);
      const calls = await emulator.calls();
      await emulator.resetCalls();
      await server.gql(QUERY, { ou: unitId });
      const warmCalls = total(await emulator.calls());
      const connection = cold.data.organization.accounts;
      ours = { ids: connection.nodes.map((node: { id: string }) => node.id).sort(), totalCount: connection.totalCount, calls, wallMs, warmCalls };
    } finally {
      await server.stop();
    }
    await emulator.resetCalls();
    const script = await accountsUnderLikeAUser(emulator.endpoint, unitId);
    const scriptCalls = await emulator.calls();
    // The first page (1,000 accounts, in id order) and the count must be the script's answer.
    if (ours.totalCount !== script.ids.length || JSON.stringify(script.ids.slice(0, ours.ids.length)) !== JSON.stringify(ours.ids)) {
      throw new Error('statusgraph and the script disagree on the accounts under the OU');
    }
    const pages = Math.ceil(accounts / 20);
    // ListAccounts pages, DescribeOrganization (whether `organization` is null), ListRoots, and the walk's pages: one
    // per 20 OUs of each parent (at least one), counted from the tree the script's side read.
    const budget = pages + 1 + 1 + (await walkPages(emulator.endpoint));
    console.log(machineLine());
    console.log(`\n| accounts | OUs | accounts under Workloads/Prod | budget (ListAccounts pages + DescribeOrganization + ListRoots + the walk's pages) | statusgraph cold: calls | cold wall | warm calls | script: calls (ListParents) | script wall | script ÷ statusgraph: calls / wall |`);
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| ${count(accounts)} | ${units} | ${count(ours.totalCount)} | ${count(budget)} | ${count(total(ours.calls))} | ${duration(ours.wallMs)} | ${ours.warmCalls} | ` +
        `${count(total(scriptCalls))} (${count(scriptCalls['organizations:ListParents'] ?? 0)}) | ${duration(script.wallMs)} | ` +
        `${ratio(total(scriptCalls) / total(ours.calls))} / ${ratio(script.wallMs / ours.wallMs)} |`,
    );
    console.log(`\nstatusgraph's calls: ${JSON.stringify(ours.calls)}; the script's: ${JSON.stringify(scriptCalls)}`);
  } finally {
    await emulator.stop();
  }
}

await main();
