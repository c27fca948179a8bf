// Organizations' roots, OUs, account placement and tags through the unmodified SDK client (awsJson1_1): the demo
// tree, Paths on accounts, moving accounts, creating/renaming/deleting OUs, tags on accounts, OUs and the root, and
// AWS's error codes for malformed ids, unknown parents/children/targets, duplicate names and malformed tag keys.
import {
  CreateOrganizationalUnitCommand,
  DeleteOrganizationalUnitCommand,
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  MoveAccountCommand,
  paginateListAccountsForParent,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateOrganizationalUnitCommand,
  type Account,
  type OrganizationalUnit,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSdkError,
  listAllAccounts,
  MANAGEMENT,
  sdkFailure,
  startContractEmulator,
  type Clients,
  type ContractEmulator,
} from './contract-fixture.js';

let emulator: ContractEmulator;
let management: Clients;
let accounts: Account[];
let rootId: string;

beforeAll(async () => {
  emulator = await startContractEmulator({ memberAccounts: 60, delayMs: 60_000 });
  management = emulator.clients();
  accounts = await listAllAccounts(management.organizations);
  rootId = (await management.organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
});

afterAll(async () => {
  await emulator.close();
});

async function unitsUnder(parentId: string): Promise<OrganizationalUnit[]> {
  const answer = await management.organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId }));
  return answer.OrganizationalUnits ?? [];
}

async function unitNamed(parentId: string, name: string): Promise<OrganizationalUnit> {
  const unit = (await unitsUnder(parentId)).find((candidate) => candidate.Name === name);
  if (unit === undefined) throw new Error(`no OU ${name} under ${parentId}`);
  return unit;
}

async function parentOf(childId: string): Promise<string> {
  return (await management.organizations.send(new ListParentsCommand({ ChildId: childId }))).Parents![0]!.Id!;
}

describe('the demo tree through ListRoots, ListOrganizationalUnitsForParent and DescribeOrganizationalUnit', () => {
  it('has one root and the OUs Security, Infrastructure, Workloads/Prod, Workloads/Staging, Sandbox, Suspended', async () => {
    const { Roots } = await management.organizations.send(new ListRootsCommand({}));
    expect(Roots).toEqual([
      expect.objectContaining({ Id: expect.stringMatching(/^r-[0-9a-z]{4}$/), Name: 'Root', Arn: expect.stringMatching(/:root\/o-[a-z0-9]{10}\/r-/) }),
    ]);
    expect((await unitsUnder(rootId)).map((unit) => unit.Name)).toEqual(['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Suspended']);
    const workloads = await unitNamed(rootId, 'Workloads');
    expect((await unitsUnder(workloads.Id!)).map((unit) => unit.Name)).toEqual(['Prod', 'Staging']);
  });

  it('describes an OU with its ARN and Path, root first', async () => {
    const workloads = await unitNamed(rootId, 'Workloads');
    const prod = await unitNamed(workloads.Id!, 'Prod');
    const { OrganizationalUnit } = await management.organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: prod.Id }));
    expect(OrganizationalUnit).toEqual(prod);
    expect(prod.Id).toMatch(new RegExp(`^ou-${rootId.slice(2)}-[a-z0-9]{8}$`));
    expect(prod.Arn).toMatch(/^arn:aws:organizations::000000000000:ou\/o-[a-z0-9]{10}\/ou-/);
    expect(prod.Path).toMatch(new RegExp(`^o-[a-z0-9]{10}/${rootId}/${workloads.Id}/${prod.Id}/$`));
  });
});

describe('Paths, ListParents, ListChildren and ListAccountsForParent agree', () => {
  it('gives every account one Path ending in its id, whose last parent ListParents names', async () => {
    for (const account of accounts.slice(0, 15)) {
      expect(account.Paths).toHaveLength(1);
      const parts = account.Paths![0]!.split('/');
      expect(parts.at(-1)).toBe('');
      expect(parts.at(-2)).toBe(account.Id);
      expect(parts[1]).toBe(rootId);
      expect(await parentOf(account.Id!)).toBe(parts.at(-3));
    }
    const [, described] = accounts;
    const { Account } = await management.organizations.send(new DescribeAccountCommand({ AccountId: described!.Id }));
    expect(Account!.Paths).toEqual(described!.Paths);
  });

  it('places most accounts under an OU and the closing ones under Suspended', async () => {
    const underRoot = accounts.filter((account) => account.Paths![0]!.split('/').length === 4);
    expect(underRoot.length).toBeLessThan(accounts.length / 4);
    const suspended = await unitNamed(rootId, 'Suspended');
    for (const account of accounts.filter((candidate) => ['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'].includes(candidate.State!))) {
      if (account.Paths![0]!.split('/').length > 4) expect(account.Paths![0]).toContain(suspended.Id);
    }
  });

  it('lists a parent accounts, in pages, as ListChildren and the Paths do', async () => {
    const prod = await unitNamed((await unitNamed(rootId, 'Workloads')).Id!, 'Prod');
    const listed: Account[] = [];
    for await (const page of paginateListAccountsForParent({ client: management.organizations, pageSize: 3 }, { ParentId: prod.Id })) {
      listed.push(...(page.Accounts ?? []));
    }
    const byPath = accounts.filter((account) => account.Paths![0]!.endsWith(`/${prod.Id}/${account.Id}/`));
    expect(listed.map((account) => account.Id)).toEqual(byPath.map((account) => account.Id));
    expect(listed.length).toBeGreaterThan(3);
    const children = await management.organizations.send(new ListChildrenCommand({ ParentId: prod.Id, ChildType: 'ACCOUNT', MaxResults: 20 }));
    expect(children.Children!.every((child) => child.Type === 'ACCOUNT')).toBe(true);
    const units = await management.organizations.send(new ListChildrenCommand({ ParentId: rootId, ChildType: 'ORGANIZATIONAL_UNIT' }));
    expect(units.Children).toHaveLength(5);
  });
});

describe('MoveAccount and the OU operations', () => {
  it('moves an account; its Path and ListParents follow; moving from the wrong parent or to its own is refused', async () => {
    const account = accounts.find((candidate) => candidate.Id !== MANAGEMENT && candidate.Paths![0]!.split('/').length > 4)!;
    const from = await parentOf(account.Id!);
    const sandbox = await unitNamed(rootId, 'Sandbox');
    const to = from === sandbox.Id ? rootId : sandbox.Id!;
    await management.organizations.send(new MoveAccountCommand({ AccountId: account.Id, SourceParentId: from, DestinationParentId: to }));
    expect(await parentOf(account.Id!)).toBe(to);
    const { Account } = await management.organizations.send(new DescribeAccountCommand({ AccountId: account.Id }));
    expect(Account!.Paths![0]).toMatch(new RegExp(`/${to}/${account.Id}/$`));
    const again = new MoveAccountCommand({ AccountId: account.Id, SourceParentId: from, DestinationParentId: to });
    expectSdkError(await sdkFailure(management.organizations.send(again)), 'AccountNotFoundException', 400);
    const same = new MoveAccountCommand({ AccountId: account.Id, SourceParentId: to, DestinationParentId: to });
    expectSdkError(await sdkFailure(management.organizations.send(same)), 'DuplicateAccountException', 400);
    const unknownSource = new MoveAccountCommand({ AccountId: account.Id, SourceParentId: 'ou-zzzz-zzzzzzzz', DestinationParentId: to });
    expectSdkError(await sdkFailure(management.organizations.send(unknownSource)), 'SourceParentNotFoundException', 400);
    const unknownDestination = new MoveAccountCommand({ AccountId: account.Id, SourceParentId: to, DestinationParentId: 'r-zzzz' });
    expectSdkError(await sdkFailure(management.organizations.send(unknownDestination)), 'DestinationParentNotFoundException', 400);
  });

  it('creates, renames and deletes an OU; refuses a duplicate name and deleting an OU that holds something', async () => {
    const sandbox = await unitNamed(rootId, 'Sandbox');
    const { OrganizationalUnit: created } = await management.organizations.send(
      new CreateOrganizationalUnitCommand({ ParentId: sandbox.Id, Name: 'Experiments', Tags: [{ Key: 'team', Value: 'ml-platform' }] }),
    );
    expect(created!.Path).toBe(`${sandbox.Path}${created!.Id}/`);
    const duplicate = new CreateOrganizationalUnitCommand({ ParentId: sandbox.Id, Name: 'Experiments' });
    expectSdkError(await sdkFailure(management.organizations.send(duplicate)), 'DuplicateOrganizationalUnitException', 400);
    const { OrganizationalUnit: renamed } = await management.organizations.send(
      new UpdateOrganizationalUnitCommand({ OrganizationalUnitId: created!.Id, Name: 'Research' }),
    );
    expect(renamed).toMatchObject({ Id: created!.Id, Name: 'Research' });
    const child = await management.organizations.send(new CreateOrganizationalUnitCommand({ ParentId: created!.Id, Name: 'Inner' }));
    const notEmpty = new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: created!.Id });
    expectSdkError(await sdkFailure(management.organizations.send(notEmpty)), 'OrganizationalUnitNotEmptyException', 400);
    await management.organizations.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: child.OrganizationalUnit!.Id }));
    await management.organizations.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: created!.Id }));
    const gone = new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: created!.Id });
    expectSdkError(await sdkFailure(management.organizations.send(gone)), 'OrganizationalUnitNotFoundException', 400);
  });

  it('refuses an OU deeper than five levels with ConstraintViolationException OU_DEPTH_LIMIT_EXCEEDED', async () => {
    let parentId = rootId;
    const made: string[] = [];
    for (let level = 1; level <= 5; level++) {
      const answer = await management.organizations.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: `deep-${level}` }));
      parentId = answer.OrganizationalUnit!.Id!;
      made.unshift(parentId);
    }
    const tooDeep = await sdkFailure(management.organizations.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: 'deep-6' })));
    expectSdkError(tooDeep, 'ConstraintViolationException', 400);
    expect(tooDeep.Reason).toBe('OU_DEPTH_LIMIT_EXCEEDED');
    for (const id of made) await management.organizations.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: id }));
  });

  it('answers malformed ids with InvalidInputException INVALID_PATTERN and unknown ones with their not-found error', async () => {
    const cases = [
      [new ListOrganizationalUnitsForParentCommand({ ParentId: 'ou-bad' }), 'InvalidInputException'],
      [new ListChildrenCommand({ ParentId: 'x-1234', ChildType: 'ACCOUNT' }), 'InvalidInputException'],
      [new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: 'r-abcd' }), 'InvalidInputException'],
      [new ListParentsCommand({ ChildId: 'r-abcd' }), 'InvalidInputException'],
      [new ListOrganizationalUnitsForParentCommand({ ParentId: 'ou-zzzz-zzzzzzzz' }), 'ParentNotFoundException'],
      [new ListAccountsForParentCommand({ ParentId: 'r-zzzz' }), 'ParentNotFoundException'],
      [new CreateOrganizationalUnitCommand({ ParentId: 'r-zzzz', Name: 'x' }), 'ParentNotFoundException'],
      [new ListParentsCommand({ ChildId: '999999999999' }), 'ChildNotFoundException'],
      [new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: 'ou-zzzz-zzzzzzzz' }), 'OrganizationalUnitNotFoundException'],
      [new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: 'ou-zzzz-zzzzzzzz' }), 'OrganizationalUnitNotFoundException'],
      [new ListTagsForResourceCommand({ ResourceId: '999999999999' }), 'TargetNotFoundException'],
      [new ListTagsForResourceCommand({ ResourceId: 'not-an-id' }), 'InvalidInputException'],
    ] as const;
    for (const [command, name] of cases) {
      const error = await sdkFailure(management.organizations.send(command as any));
      expectSdkError(error, name, 400);
      if (name === 'InvalidInputException') expect(error.Reason).toBe('INVALID_PATTERN');
    }
  });
});

describe('tags on accounts, OUs and the root', () => {
  it('lists the demo tags of an account, tags and untags it', async () => {
    const tagged = await Promise.all(
      accounts.slice(1, 10).map(async (account) => ({
        account,
        tags: (await management.organizations.send(new ListTagsForResourceCommand({ ResourceId: account.Id }))).Tags ?? [],
      })),
    );
    const withTeam = tagged.find(({ tags }) => tags.some((tag) => tag.Key === 'team'))!;
    expect(withTeam.tags.find((tag) => tag.Key === 'environment')?.Value).toBeDefined();
    const id = withTeam.account.Id!;
    await management.organizations.send(new TagResourceCommand({ ResourceId: id, Tags: [{ Key: 'owner', Value: 'platform' }, { Key: 'team', Value: 'maps' }] }));
    let tags = (await management.organizations.send(new ListTagsForResourceCommand({ ResourceId: id }))).Tags!;
    expect(tags).toEqual(expect.arrayContaining([{ Key: 'owner', Value: 'platform' }, { Key: 'team', Value: 'maps' }]));
    await management.organizations.send(new UntagResourceCommand({ ResourceId: id, TagKeys: ['owner'] }));
    tags = (await management.organizations.send(new ListTagsForResourceCommand({ ResourceId: id }))).Tags!;
    expect(tags.some((tag) => tag.Key === 'owner')).toBe(false);
  });

  it('tags an OU and the root', async () => {
    const security = await unitNamed(rootId, 'Security');
    for (const resourceId of [security.Id!, rootId]) {
      await management.organizations.send(new TagResourceCommand({ ResourceId: resourceId, Tags: [{ Key: 'owner', Value: 'secops' }] }));
      const { Tags } = await management.organizations.send(new ListTagsForResourceCommand({ ResourceId: resourceId }));
      expect(Tags).toContainEqual({ Key: 'owner', Value: 'secops' });
    }
  });

  it('refuses a malformed tag key, a system key and more than 50 tags', async () => {
    const id = accounts[1]!.Id!;
    const badKey = await sdkFailure(management.organizations.send(new TagResourceCommand({ ResourceId: id, Tags: [{ Key: 'bad#key', Value: 'x' }] })));
    expectSdkError(badKey, 'InvalidInputException', 400);
    expect(badKey.Reason).toBe('INVALID_PATTERN');
    const longKey = await sdkFailure(management.organizations.send(new UntagResourceCommand({ ResourceId: id, TagKeys: ['k'.repeat(129)] })));
    expect(longKey.Reason).toBe('MAX_LENGTH_EXCEEDED');
    const system = await sdkFailure(management.organizations.send(new TagResourceCommand({ ResourceId: id, Tags: [{ Key: 'aws:x', Value: 'x' }] })));
    expect(system.Reason).toBe('INVALID_SYSTEM_TAGS_PARAMETER');
    const many = Array.from({ length: 50 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
    const tooMany = await sdkFailure(management.organizations.send(new TagResourceCommand({ ResourceId: id, Tags: many })));
    expectSdkError(tooMany, 'ConstraintViolationException', 400);
    expect(tooMany.Reason).toBe('MAX_TAG_LIMIT_EXCEEDED');
  });

  it('denies a member session the tree and the tags with AccessDeniedException 403', async () => {
    const member = accounts.find((account) => account.Id !== MANAGEMENT && account.State === 'ACTIVE' && account.JoinedMethod === 'CREATED')!;
    const asMember = await emulator.clientsAsMember(member.Id!);
    expectSdkError(await sdkFailure(asMember.organizations.send(new ListRootsCommand({}))), 'AccessDeniedException', 403);
    expectSdkError(
      await sdkFailure(asMember.organizations.send(new ListTagsForResourceCommand({ ResourceId: member.Id }))),
      'AccessDeniedException',
      403,
    );
  });
});
