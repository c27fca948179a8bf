// boto3 (Debian's python3-boto3) drives the emulator's Organizations roots, OUs, moves and tags as a user's script
// would: a Python child process (test/system/boto3/organization_tree.py) prints what it saw, checked here against the
// SDK for JavaScript reading the same emulator, with AWS's error codes for each bad id, name and tag key.
import { ListAccountsForParentCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./boto3/organization_tree.py', import.meta.url));
const INSTALL_HINT =
  'Debian’s boto3 is missing. Install it as root with `apt-get install -y --no-install-recommends python3-boto3` ' +
  '(.ci/run does this), then rerun npm run test:system.';

let emulator: RunningEmulator;

function runScript(): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    // Nothing of the caller's AWS configuration reaches the script: it names its endpoint and credentials itself.
    execFile(PYTHON, [SCRIPT, emulator.endpoint], { env: { PATH: process.env.PATH, HOME: '/nonexistent' }, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, any>);
    });
  });
}

beforeAll(async () => {
  const probe = await new Promise<boolean>((resolve) => {
    execFile(PYTHON, ['-c', 'import boto3'], (error) => resolve(error === null));
  });
  if (!existsSync(PYTHON) || !probe) throw new Error(INSTALL_HINT);
  emulator = await startEmulator({ port: 0, delayMs: 3_600_000 });
});

afterAll(async () => {
  await emulator?.close();
});

describe('boto3 on the organization’s shape', () => {
  it('lists the root and its OUs, creates an OU, moves an account in and out, tags, and reads AWS’s errors', async () => {
    const seen = await runScript();
    const client = new OrganizationsClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { Roots } = await client.send(new ListRootsCommand({}));
    const { Accounts } = await client.send(new ListAccountsForParentCommand({ ParentId: Roots![0]!.Id }));
    client.destroy();

    expect(seen.root).toEqual({ Id: Roots![0]!.Id, Name: 'Root' });
    expect(seen.topLevelUnits).toEqual(['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Suspended']);
    expect(seen.accountsUnderRoot).toEqual(Accounts!.map((account) => account.Id));
    expect(seen.parentsAfterMove).toEqual([{ Id: seen.createdUnitId, Type: 'ORGANIZATIONAL_UNIT' }]);
    expect(seen.notEmpty).toBe('OrganizationalUnitNotEmptyException');
    expect(seen.accountTags).toContainEqual({ Key: 'cost-center', Value: 'cc-1234' });
    expect(seen.unitTags).toEqual([{ Key: 'team', Value: 'maps' }]);
    expect(seen.errors).toEqual({
      malformedParent: 'InvalidInputException',
      unknownParent: 'ParentNotFoundException',
      unknownChild: 'ChildNotFoundException',
      duplicateName: 'DuplicateOrganizationalUnitException',
      unknownUnit: 'OrganizationalUnitNotFoundException',
      unknownTarget: 'TargetNotFoundException',
      malformedTagKey: 'InvalidInputException',
      unknownSource: 'SourceParentNotFoundException',
    });
  });
});
