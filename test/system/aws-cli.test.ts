// The README's promise to a new user, kept with Debian's AWS CLI (bookworm's awscli 2.9.19) run as a child process:
// point the CLI at the emulator and read the organization. The AWS SDK for JavaScript reads the same emulator as
// the reference, so each answer is checked against what another real client sees, not against remembered values.
//
// awscli 2.9.19 predates AWS_ENDPOINT_URL (CLI 2.13 / 1.29), so every command passes --endpoint-url, as the README
// shows; the variable would send it to AWS itself. It speaks JSON 1.0 to Compute Optimizer (Content-Type
// application/x-amz-json-1.0, X-Amz-Target ComputeOptimizerService.*, seen with --debug), as our SDK client
// does; current CLIs speak Smithy RPC v2 CBOR, which the emulator's own tests cover.
import { ComputeOptimizerClient, GetEnrollmentStatusCommand } from '@aws-sdk/client-compute-optimizer';
import { OrganizationsClient, paginateListAccounts, type Account } from '@aws-sdk/client-organizations';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetRegisterAccountStatusCommand, IoTFleetWiseClient } from '../../src/aws/fleetwise-client/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';

/** Where Debian's awscli package installs the CLI; the `aws` first on PATH may be another (a pip-installed v1). */
const DEBIAN_AWS_CLI = '/usr/bin/aws';
const INSTALL_HINT =
  `Debian's AWS CLI is missing (${DEBIAN_AWS_CLI}). Install it as root with ` +
  '`apt-get update && apt-get install -y --no-install-recommends awscli` (.ci/run does this), then rerun npm run test:system.';
/** The CLI's exit status when the service answered with an error (its "client/service error" code). */
const CLI_SERVICE_ERROR_EXIT = 254;
const MANAGEMENT_ACCOUNT_ID = '000000000000';
const MEMBER_ROLE_NAME = 'OrganizationAccountAccessRole';
const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
const REGION = 'us-east-1';
/** Small enough that the 13 accounts of the demo organization take several pages. */
const PAGE_SIZE = 2;
const MAX_ITEMS = 5;
/** Longer than the whole file takes, so no demo status changes between the SDK's read and the CLI's. */
const TRANSITION_DELAY_MS = 3_600_000; // 1 hour

interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

let emulator: RunningEmulator;
let home: string;
let organizationAccounts: Account[];

/** The environment the README tells a new user to export, with HOME empty of AWS config files. */
function cliEnvironment(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    ...overrides,
  };
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ exitCode: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** `aws <args> --endpoint-url <emulator>`, as the README shows it. */
function aws(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return run(DEBIAN_AWS_CLI, [...args, '--endpoint-url', emulator.endpoint, '--output', 'json'], cliEnvironment(env));
}

/** Runs a command that must succeed and parses its JSON output. */
async function awsJson<T = Record<string, any>>(args: readonly string[], env?: Record<string, string>): Promise<T> {
  const result = await aws(args, env);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as T;
}

async function calls(): Promise<Record<string, number>> {
  return (await (await fetch(`${emulator.endpoint}/_emulator/calls`)).json()) as Record<string, number>;
}

async function resetCalls(): Promise<void> {
  await fetch(`${emulator.endpoint}/_emulator/calls`, { method: 'DELETE' });
}

const sdkConfig = () => ({ endpoint: emulator.endpoint, region: REGION, credentials: TEST_CREDENTIALS });
const ids = (accounts: readonly { Id?: string }[]) => accounts.map((account) => account.Id);

beforeAll(async () => {
  if (!existsSync(DEBIAN_AWS_CLI)) throw new Error(INSTALL_HINT);
  home = await mkdtemp(join(tmpdir(), 'statusgraph-aws-cli-'));
  const version = await run(DEBIAN_AWS_CLI, ['--version'], cliEnvironment());
  if (version.exitCode !== 0 || !version.stdout.startsWith('aws-cli/2.')) {
    throw new Error(`${DEBIAN_AWS_CLI} is not AWS CLI v2 (${version.stdout.trim() || version.stderr.trim()}). ${INSTALL_HINT}`);
  }

  emulator = await startEmulator({ port: 0, delayMs: TRANSITION_DELAY_MS });
  const organizations = new OrganizationsClient(sdkConfig());
  organizationAccounts = [];
  for await (const page of paginateListAccounts({ client: organizations }, {})) organizationAccounts.push(...(page.Accounts ?? []));
  organizations.destroy();
});

afterAll(async () => {
  await emulator?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

beforeEach(() => resetCalls());

describe('aws organizations list-accounts', () => {
  it('lists every account of the organization, as the SDK sees them', async () => {
    const output = await awsJson(['organizations', 'list-accounts']);
    const accounts = output.Accounts.map((account: Record<string, string>) => ({ ...account, JoinedTimestamp: new Date(account.JoinedTimestamp!) }));
    // Account.State and Paths came to the Organizations model after awscli 2.9.19, whose parser drops them; Status,
    // which it knows, AWS retired on 2026-09-09, and the emulator no longer answers it.
    expect(accounts).toEqual(organizationAccounts.map(({ State: _state, Paths: _paths, ...known }) => known));
    expect(ids(output.Accounts)).toContain(MANAGEMENT_ACCOUNT_ID);
    expect(output.NextToken).toBeUndefined();
  });

  it('follows the emulator’s page tokens to the end with --page-size, one ListAccounts call per page', async () => {
    const output = await awsJson(['organizations', 'list-accounts', '--page-size', String(PAGE_SIZE)]);
    expect(ids(output.Accounts)).toEqual(ids(organizationAccounts));
    expect(await calls()).toEqual({ 'organizations:ListAccounts': Math.ceil(organizationAccounts.length / PAGE_SIZE) });
  });

  it('stops at --max-items and resumes from its NextToken with --starting-token', async () => {
    const first = await awsJson(['organizations', 'list-accounts', '--max-items', String(MAX_ITEMS), '--page-size', String(PAGE_SIZE)]);
    expect(ids(first.Accounts)).toEqual(ids(organizationAccounts.slice(0, MAX_ITEMS)));
    expect(first.NextToken).toEqual(expect.any(String));

    const rest = await awsJson(['organizations', 'list-accounts', '--page-size', String(PAGE_SIZE), '--starting-token', first.NextToken]);
    expect(ids(rest.Accounts)).toEqual(ids(organizationAccounts.slice(MAX_ITEMS)));
  });
});

describe('aws organizations on the organization’s shape: roots, OUs, moves and tags', () => {
  async function unitsUnder(parentId: string): Promise<Array<Record<string, string>>> {
    return (await awsJson(['organizations', 'list-organizational-units-for-parent', '--parent-id', parentId])).OrganizationalUnits;
  }

  it('lists the root and its OUs, and describes an OU as the SDK lists it', async () => {
    const { Roots } = await awsJson(['organizations', 'list-roots']);
    expect(Roots).toEqual([expect.objectContaining({ Id: expect.stringMatching(/^r-[0-9a-z]{4}$/), Name: 'Root' })]);
    const units = await unitsUnder(Roots[0].Id);
    expect(units.map((unit) => unit.Name)).toEqual(['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Suspended']);
    const described = await awsJson(['organizations', 'describe-organizational-unit', '--organizational-unit-id', units[0]!.Id!]);
    // awscli 2.9.19 predates OrganizationalUnit.Path too.
    expect(described.OrganizationalUnit).toEqual({ Id: units[0]!.Id, Arn: units[0]!.Arn, Name: 'Security' });
  });

  it('creates an OU, moves an account into it and back, tags it, and deletes it', async () => {
    const rootId = (await awsJson(['organizations', 'list-roots'])).Roots[0].Id as string;
    const { OrganizationalUnit: unit } = await awsJson(['organizations', 'create-organizational-unit', '--parent-id', rootId, '--name', 'cli-made']);
    const account = organizationAccounts.find((candidate) => candidate.Paths?.[0]?.split('/').length === 4)!;
    const move = (from: string, to: string) =>
      aws(['organizations', 'move-account', '--account-id', account.Id!, '--source-parent-id', from, '--destination-parent-id', to]);
    expect((await move(rootId, unit.Id)).exitCode).toBe(0);
    expect((await awsJson(['organizations', 'list-parents', '--child-id', account.Id!])).Parents).toEqual([
      { Id: unit.Id, Type: 'ORGANIZATIONAL_UNIT' },
    ]);
    const children = await awsJson(['organizations', 'list-children', '--parent-id', unit.Id, '--child-type', 'ACCOUNT']);
    expect(children.Children).toEqual([{ Id: account.Id, Type: 'ACCOUNT' }]);
    const notEmpty = await aws(['organizations', 'delete-organizational-unit', '--organizational-unit-id', unit.Id]);
    expect(notEmpty.stderr).toContain('(OrganizationalUnitNotEmptyException) when calling the DeleteOrganizationalUnit operation');
    expect((await move(unit.Id, rootId)).exitCode).toBe(0);

    expect((await aws(['organizations', 'tag-resource', '--resource-id', unit.Id, '--tags', 'Key=team,Value=maps'])).exitCode).toBe(0);
    expect((await awsJson(['organizations', 'list-tags-for-resource', '--resource-id', unit.Id])).Tags).toEqual([{ Key: 'team', Value: 'maps' }]);
    expect((await aws(['organizations', 'untag-resource', '--resource-id', unit.Id, '--tag-keys', 'team'])).exitCode).toBe(0);
    expect((await aws(['organizations', 'delete-organizational-unit', '--organizational-unit-id', unit.Id])).exitCode).toBe(0);
  });

  it('prints AWS’s errors for malformed ids, unknown parents and children, duplicate names and malformed tag keys', async () => {
    const rootId = (await awsJson(['organizations', 'list-roots'])).Roots[0].Id as string;
    const cases: Array<[string[], string, string]> = [
      [['list-organizational-units-for-parent', '--parent-id', 'ou-bad'], 'InvalidInputException', 'ListOrganizationalUnitsForParent'],
      [['list-children', '--parent-id', 'r-zzzz', '--child-type', 'ACCOUNT'], 'ParentNotFoundException', 'ListChildren'],
      [['list-parents', '--child-id', '999999999999'], 'ChildNotFoundException', 'ListParents'],
      [['create-organizational-unit', '--parent-id', rootId, '--name', 'Security'], 'DuplicateOrganizationalUnitException', 'CreateOrganizationalUnit'],
      [['describe-organizational-unit', '--organizational-unit-id', 'ou-zzzz-zzzzzzzz'], 'OrganizationalUnitNotFoundException', 'DescribeOrganizationalUnit'],
      [['move-account', '--account-id', MANAGEMENT_ACCOUNT_ID, '--source-parent-id', 'ou-zzzz-zzzzzzzz', '--destination-parent-id', rootId], 'SourceParentNotFoundException', 'MoveAccount'],
      [['list-tags-for-resource', '--resource-id', '999999999999'], 'TargetNotFoundException', 'ListTagsForResource'],
      [['tag-resource', '--resource-id', rootId, '--tags', 'Key=bad#key,Value=x'], 'InvalidInputException', 'TagResource'],
    ];
    for (const [args, code, operation] of cases) {
      const result = await aws(['organizations', ...args]);
      expect(result.exitCode).toBe(CLI_SERVICE_ERROR_EXIT);
      expect(result.stderr).toContain(`An error occurred (${code}) when calling the ${operation} operation`);
    }
  });
});

describe('aws sts', () => {
  it('get-caller-identity names the management account for the test credentials', async () => {
    expect(await awsJson(['sts', 'get-caller-identity'])).toEqual({
      UserId: MANAGEMENT_ACCOUNT_ID,
      Account: MANAGEMENT_ACCOUNT_ID,
      Arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:root`,
    });
  });

  it('assume-role returns credentials that the CLI then uses as the member account', async () => {
    const member = organizationAccounts.find((account) => account.JoinedMethod === 'CREATED' && account.State === 'ACTIVE')!.Id!;
    const roleArn = `arn:aws:iam::${member}:role/${MEMBER_ROLE_NAME}`;
    const assumed = await awsJson(['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'new-user']);
    expect(assumed.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${member}:assumed-role/${MEMBER_ROLE_NAME}/new-user`);
    expect(assumed.Credentials).toEqual({
      AccessKeyId: expect.any(String),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Expiration: expect.any(String),
    });

    const asMember = await awsJson(['sts', 'get-caller-identity'], {
      AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: assumed.Credentials.SessionToken,
    });
    expect(asMember.Account).toBe(member);
    expect(asMember.Arn).toBe(assumed.AssumedRoleUser.Arn);
  });
});

describe('aws compute-optimizer get-enrollment-status', () => {
  it('reads the management account’s enrollment, as the SDK reads it', async () => {
    const client = new ComputeOptimizerClient(sdkConfig());
    const reference = await client.send(new GetEnrollmentStatusCommand({}));
    client.destroy();

    const output = await awsJson(['compute-optimizer', 'get-enrollment-status']);
    expect(output.status).toBe(reference.status);
    expect(output.memberAccountsEnrolled).toBe(reference.memberAccountsEnrolled);
    expect(output.numberOfMemberAccountsOptedIn).toBe(reference.numberOfMemberAccountsOptedIn);
    expect(new Date(output.lastUpdatedTimestamp)).toEqual(reference.lastUpdatedTimestamp);
    expect(await calls()).toEqual({ 'compute-optimizer:GetEnrollmentStatus': 2 });
  });
});

describe('aws iotfleetwise get-register-account-status', () => {
  it('reads the management account’s registration, as our FleetWise client reads it', async () => {
    const client = new IoTFleetWiseClient(sdkConfig());
    const reference = await client.send(new GetRegisterAccountStatusCommand({}));
    client.destroy();

    const output = await awsJson(['iotfleetwise', 'get-register-account-status']);
    expect(output.customerAccountId).toBe(MANAGEMENT_ACCOUNT_ID);
    expect(output.accountStatus).toBe(reference.accountStatus);
    expect(output.iamRegistrationResponse).toEqual(reference.iamRegistrationResponse);
    expect(output.timestreamRegistrationResponse).toEqual(reference.timestreamRegistrationResponse);
  });
});

describe('errors, as the CLI prints AWS’s', () => {
  it('describe-create-account-status with a malformed request id is an InvalidInputException', async () => {
    const result = await aws(['organizations', 'describe-create-account-status', '--create-account-request-id', 'not-a-request-id']);
    expect(result.exitCode).toBe(CLI_SERVICE_ERROR_EXIT);
    expect(result.stderr).toContain('An error occurred (InvalidInputException) when calling the DescribeCreateAccountStatus operation');
    expect(result.stdout).toBe('');
  });

  it('describe-create-account-status with a well-formed unknown id is a CreateAccountStatusNotFoundException', async () => {
    const result = await aws(['organizations', 'describe-create-account-status', '--create-account-request-id', 'car-0123456789abcdef']);
    expect(result.exitCode).toBe(CLI_SERVICE_ERROR_EXIT);
    expect(result.stderr).toContain('(CreateAccountStatusNotFoundException) when calling the DescribeCreateAccountStatus operation');
  });

  it('a wrong secret key is reported as the signature error of each protocol', async () => {
    const wrongSecret = { AWS_SECRET_ACCESS_KEY: 'not-the-secret' };
    const organizations = await aws(['organizations', 'list-accounts'], wrongSecret);
    expect(organizations.exitCode).toBe(CLI_SERVICE_ERROR_EXIT);
    expect(organizations.stderr).toContain('An error occurred (InvalidSignatureException) when calling the ListAccounts operation');
    expect(organizations.stderr).toContain('Check your AWS Secret Access Key');

    const sts = await aws(['sts', 'get-caller-identity'], wrongSecret);
    expect(sts.exitCode).toBe(CLI_SERVICE_ERROR_EXIT);
    expect(sts.stderr).toContain('An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation');
  });
});

describe('the README’s emulator section', () => {
  it('runs, command by command, against the emulator with this CLI', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split(/^## The AWS emulator$/m)[1]?.split(/^## /m)[0];
    const script = /```sh\n([\s\S]*?)```/.exec(section ?? '')?.[1];
    expect(script, 'README.md has a ```sh block under "## The AWS emulator"').toBeDefined();
    const readmeEndpoint = 'http://127.0.0.1:4566';
    expect(script).toContain(`--endpoint-url ${readmeEndpoint}`);
    // The test started the emulator already, on a free port instead of the README's 4566.
    const commands = script!
      .split('\n')
      .filter((line) => !line.startsWith('npm run emulator'))
      .join('\n')
      .replaceAll(readmeEndpoint, emulator.endpoint);

    // A directory that puts Debian's CLI first on PATH, as `aws` is for a user who installed it. The commands run
    // from a file: `bash -c` with a socket for stdin (as Node gives it) reads /etc/bash.bashrc, as if run by sshd.
    const bin = await mkdtemp(join(tmpdir(), 'statusgraph-aws-bin-'));
    await symlink(DEBIAN_AWS_CLI, join(bin, 'aws'));
    await writeFile(join(bin, 'readme-commands.sh'), commands);
    try {
      const result = await run('bash', ['-euo', 'pipefail', join(bin, 'readme-commands.sh')], { PATH: `${bin}:${process.env.PATH}`, HOME: home });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      for (const account of organizationAccounts) expect(result.stdout).toContain(`"Id": "${account.Id}"`);
      expect(result.stdout).toContain(`:assumed-role/${MEMBER_ROLE_NAME}/`);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
    expect(Object.keys(await calls()).sort()).toEqual(
      expect.arrayContaining(['organizations:ListAccounts', 'compute-optimizer:GetEnrollmentStatus', 'sts:AssumeRole']),
    );
  });
});
