// What the embedded store keeps outlives the process: the real server (`tsx src/main.ts`, embedded history store in
// a data directory) creates an account and changes an enrollment, is killed with SIGKILL or stopped with SIGTERM,
// starts again on the same data directory, and the retry with the same idempotencyKey gets the original request —
// the emulator counts one CreateAccount — and the account's history still has the change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';
import { startMainProcess, type MainProcess } from '../support/main-process.js';
import { post } from './hardening-support.js';

const CREATE = 'mutation Create($input: CreateAccountInput!) { createAccount(input: $input) { id state } }';
const ENROLL = 'mutation Enroll($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }';
const HISTORY = 'query History($id: AccountId!) { account(id: $id) { history(first: 1) { nodes { current observedBy cursor } } } }';
/** The management account: its enrollment is changed with the server's own credentials. */
const ACCOUNT = '000000000000';

let emulator: RunningEmulator;
let dataDir: string;
const running: MainProcess[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, memberAccounts: 3, delayMs: 600_000 });
  dataDir = mkdtempSync(join(tmpdir(), 'statusgraph-restart-'));
});
afterAll(async () => {
  for (const main of running) main.signal('SIGKILL');
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<MainProcess> {
  const main = await startMainProcess(emulator.endpoint, { STATUSGRAPH_DATA_DIR: dataDir });
  running.push(main);
  return main;
}

async function createAccountCalls(): Promise<number> {
  const calls = (await (await fetch(new URL('/_emulator/calls', emulator.endpoint))).json()) as Record<string, number>;
  return calls['organizations:CreateAccount'] ?? 0;
}

describe('createAccount idempotency across restarts (embedded store)', () => {
  it.each([
    ['SIGKILL', 'kill-9', 'INACTIVE'],
    ['SIGTERM', 'restart', 'ACTIVE'],
  ] as const)('a retry after %s gets the original request, with one CreateAccount, and history keeps its change', async (signal, name, status) => {
    const input = { email: `${name}@example.com`, accountName: name, idempotencyKey: `key-${name}` };
    const callsBefore = await createAccountCalls();
    const first = await start();
    const created = await post(first.url, { query: CREATE, variables: { input } });
    expect(created.body.errors).toBeUndefined();
    const enrolled = await post(first.url, { query: ENROLL, variables: { input: { accountId: ACCOUNT, status } } });
    expect(enrolled.body.errors).toBeUndefined();
    const before = (await post(first.url, { query: HISTORY, variables: { id: ACCOUNT } })).body.data.account.history.nodes[0];
    expect(before).toMatchObject({ observedBy: 'MUTATION' });
    first.signal(signal);
    await first.exited;

    const second = await start();
    const retried = await post(second.url, { query: CREATE, variables: { input } });
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.createAccount.id).toBe(created.body.data.createAccount.id);
    expect((await createAccountCalls()) - callsBefore).toBe(1);
    const after = (await post(second.url, { query: HISTORY, variables: { id: ACCOUNT } })).body.data.account.history.nodes[0];
    expect(after).toEqual(before);
    second.signal('SIGTERM');
    await second.exited;
  }, 120_000);
});
