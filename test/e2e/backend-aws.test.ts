// STATUSGRAPH_BACKEND=aws through the real entry point: `npx tsx src/main.ts` as a child process, pointed at a
// standalone emulator by AWS_ENDPOINT_URL and given credentials only through the environment, so every client —
// our FleetWise client included — resolves its endpoint and credentials the way it would on a real deployment.
import { LOCKED_ACCOUNT_STATES } from '../../src/status/access-refusals.js';
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';

const PROJECT_ROOT = new URL('../..', import.meta.url).pathname;
const MANAGEMENT_ACCOUNT_ID = '000000000000';
/** main.ts's exit status for a configuration it refuses. */
const EXIT_BAD_CONFIGURATION = 2;
/** npx, tsx and the first TypeScript compile of the whole server on a busy 2-core machine. */
const START_TIMEOUT_MS = 60_000; // 1 minute
/** Longer than this file takes, so the demo organization holds still while it is read. */
const TRANSITION_DELAY_MS = 3_600_000; // 1 hour

const ALL_STATUSES = /* GraphQL */ `{
  viewer { id }
  organization { accounts { nodes {
    id
    state
    fleetwiseRegistration { accountStatus }
    computeOptimizerEnrollment { status }
    creationRequest { state }
  } } }
}`;

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
}

const children: ChildProcess[] = [];
let emulator: RunningEmulator;
let home: string;

/** Only what a deployment would set: no inherited AWS_* or STATUSGRAPH_* variables, and a HOME with no AWS config. */
function environment(variables: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    // Keeps npx from checking the registry for a newer npm and printing a notice on stderr.
    npm_config_update_notifier: 'false',
    ...variables,
  };
}

/** `npx tsx src/main.ts` in its own process group, so afterAll can stop npx, tsx and the server together. */
function startMain(variables: Record<string, string>): ChildProcess {
  const child = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: environment(variables),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  return child;
}

/** Resolves with the URL main prints once it listens; rejects with its output if it exits first. */
function listeningUrl(child: ChildProcess): Promise<string> {
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /playground: (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`statusgraph exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
}

async function exitOf(child: ChildProcess): Promise<Exit> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

async function gql(url: string, query: string): Promise<{ data?: any; errors?: any[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: any; errors?: any[] };
}

async function emulatorCalls(): Promise<Record<string, number>> {
  return (await (await fetch(`${emulator.endpoint}/_emulator/calls`)).json()) as Record<string, number>;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'statusgraph-backend-aws-'));
  emulator = await startEmulator({ port: 0, delayMs: TRANSITION_DELAY_MS });
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  await emulator?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('STATUSGRAPH_BACKEND=aws against a standalone emulator', () => {
  let url: string;
  beforeAll(async () => {
    const child = startMain({
      STATUSGRAPH_BACKEND: 'aws',
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      PORT: '0',
      // The aws backend listens on every interface by default; this test has no business beyond loopback.
      HOST: '127.0.0.1',
      STATUSGRAPH_LOG_LEVEL: 'warn',
      // The aws backend refuses to start open unless told to (issue 6); this test is about AWS, not authentication.
      STATUSGRAPH_AUTH: 'none',
    });
    url = await listeningUrl(child);
  }, START_TIMEOUT_MS);

  it('prints the port it really listens on when PORT=0', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:(?!0\/)\d+\/graphql$/);
  });

  it('is ready: AWS answers with the credentials from the environment', async () => {
    const response = await fetch(new URL('/readyz', url));
    expect(response.status).toBe(200);
  });

  it('reads every account and its three statuses from the emulator, FleetWise included', async () => {
    const organizations = new OrganizationsClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const expectedIds: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations }, {})) expectedIds.push(...(page.Accounts ?? []).map((account) => account.Id!));
    organizations.destroy();
    await fetch(`${emulator.endpoint}/_emulator/calls`, { method: 'DELETE' });

    const result = await gql(url, ALL_STATUSES);
    expect(result.data?.viewer).toEqual({ id: MANAGEMENT_ACCOUNT_ID });
    const nodes: any[] = result.data!.organization.accounts.nodes;
    expect(nodes.map((node) => node.id).sort()).toEqual(expectedIds.sort());

    // The demo organization has members whose role cannot be assumed, and suspended or closing ones no role can be
    // assumed in: their FleetWise paths fail alone.
    const errors = result.errors ?? [];
    expect(errors.map((error) => error.extensions?.code)).toEqual(errors.map(() => 'AWS_ACCESS_DENIED'));
    expect(errors.length).toBeGreaterThanOrEqual(1);

    expect(new Set(nodes.map((node) => node.fleetwiseRegistration?.accountStatus ?? 'NEVER_REGISTERED'))).toEqual(
      new Set(['REGISTRATION_SUCCESS', 'REGISTRATION_PENDING', 'REGISTRATION_FAILURE', 'NEVER_REGISTERED']),
    );
    expect(new Set(nodes.map((node) => node.computeOptimizerEnrollment.status))).toEqual(new Set(['ACTIVE', 'INACTIVE', 'PENDING', 'FAILED']));
    // Accounts join ListAccounts when their creation succeeds; invited ones have no creation request.
    expect(new Set(nodes.map((node) => node.creationRequest?.state ?? 'JOINED_BY_INVITATION'))).toEqual(new Set(['SUCCEEDED', 'JOINED_BY_INVITATION']));

    const calls = await emulatorCalls();
    const readableAccounts = nodes.length - errors.length;
    expect(calls['iotfleetwise:GetRegisterAccountStatus']).toBe(readableAccounts);
    // No AssumeRole into a suspended or closing member: AWS would refuse it, and the directory says so already.
    const openMembers = nodes.filter((node) => !LOCKED_ACCOUNT_STATES.has(node.state) && node.id !== MANAGEMENT_ACCOUNT_ID);
    expect(openMembers.length).toBeLessThan(nodes.length - 1);
    expect(calls['sts:AssumeRole']).toBe(openMembers.length);
    expect(calls['organizations:ListAccounts']).toBeGreaterThanOrEqual(1);
    expect(calls['compute-optimizer:GetEnrollmentStatusesForOrganization']).toBeGreaterThanOrEqual(1);
  });
});

describe('a bad configuration', () => {
  it('stops the server at start with exit code 2 and one line naming STATUSGRAPH_BACKEND and what it accepts', async () => {
    const exit = await exitOf(startMain({ STATUSGRAPH_BACKEND: 'nope', PORT: '0' }));
    expect(exit.code).toBe(EXIT_BAD_CONFIGURATION);
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('STATUSGRAPH_BACKEND');
    expect(lines[0]).toContain('"nope"');
    expect(lines[0]).toMatch(/emulator, aws/);
  }, START_TIMEOUT_MS);
});
