// The unmodified AWS SDK v3 clients pointed at a real emulator on an ephemeral port: what the contract tests drive.
import { ComputeOptimizerClient } from '@aws-sdk/client-compute-optimizer';
import { ListAccountsCommand, ListCreateAccountStatusCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { createEmulator } from '../../../src/emulator/emulator.js';
import { serveEmulator, startEmulator, type RunningEmulator } from '../../../src/emulator/node.js';
import { createAwsWorld } from '../../../src/emulator/services/index.js';

export const MANAGEMENT = '000000000000';
export const MEMBER_ROLE = 'OrganizationAccountAccessRole';
export const TEST_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Between two looks at a status in flight. */
const POLL_INTERVAL_MS = 25;
/** A transition that has not happened by then is a failure, however loaded the machine. */
const POLL_GIVE_UP_MS = 10_000;

export interface Clients {
  readonly sts: STSClient;
  readonly organizations: OrganizationsClient;
  readonly computeOptimizer: ComputeOptimizerClient;
}

export interface ContractEmulator {
  readonly endpoint: string;
  /** SDK clients signing with these credentials (test/test by default), region us-east-1. */
  clients(credentials?: AwsCredentialIdentity): Clients;
  /** Clients holding the credentials of an AssumeRole session in the member account. */
  clientsAsMember(accountId: string): Promise<Clients>;
  close(): Promise<void>;
}

export interface ContractEmulatorOptions {
  /** @default 12 */
  readonly memberAccounts?: number;
  readonly delayMs: number;
  /** An account quota other than the default; served through the same pipeline startEmulator assembles. */
  readonly maxAccounts?: number;
}

export async function startContractEmulator(options: ContractEmulatorOptions): Promise<ContractEmulator> {
  const memberAccounts = options.memberAccounts ?? 12;
  let emulator: RunningEmulator;
  if (options.maxAccounts === undefined) {
    emulator = await startEmulator({ port: 0, memberAccounts, delayMs: options.delayMs });
  } else {
    const world = createAwsWorld({ memberAccounts, delayMs: options.delayMs, maxAccounts: options.maxAccounts });
    const core = createEmulator({ services: world.services, identity: world.identity });
    const served = await serveEmulator(core, { port: 0 });
    emulator = {
      ...served,
      async close() {
        core.close();
        await served.close();
      },
    };
  }
  const created: { destroy(): void }[] = [];
  const clients = (credentials: AwsCredentialIdentity = TEST_CREDENTIALS): Clients => {
    // One attempt: a contract test wants to see the emulator's first answer, not the SDK's retries.
    const config = { endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
    const made = {
      sts: new STSClient(config),
      organizations: new OrganizationsClient(config),
      computeOptimizer: new ComputeOptimizerClient(config),
    };
    created.push(made.sts, made.organizations, made.computeOptimizer);
    return made;
  };
  const management = clients();
  return {
    endpoint: emulator.endpoint,
    clients,
    async clientsAsMember(accountId) {
      const { Credentials } = await management.sts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`, RoleSessionName: 'contract-test' }),
      );
      return clients({
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
        ...(Credentials!.Expiration && { expiration: Credentials!.Expiration }),
      });
    },
    async close() {
      for (const client of created) client.destroy();
      await emulator.close();
    },
  };
}

/** Every account, following ListAccounts pages to the end. */
export async function listAllAccounts(organizations: OrganizationsClient): Promise<Account[]> {
  const accounts: Account[] = [];
  let NextToken: string | undefined;
  do {
    const page = await organizations.send(new ListAccountsCommand({ NextToken }));
    accounts.push(...(page.Accounts ?? []));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return accounts;
}

/**
 * Waits for the creations in progress (the demo starts with one) to finish, so the set of accounts holds still
 * while a test compares two listings of it.
 */
export async function creationsSettled(organizations: OrganizationsClient): Promise<void> {
  await pollUntil(
    () => organizations.send(new ListCreateAccountStatusCommand({ States: ['IN_PROGRESS'] })),
    (page) => (page.CreateAccountStatuses ?? []).length === 0,
  );
}

/** The error a call fails with, as the SDK parsed it; the test fails when the call succeeds. */
export async function sdkFailure(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as SdkError;
  }
  throw new Error('the call succeeded but was expected to fail');
}

export type SdkError = Error & { $metadata: { httpStatusCode?: number }; $fault?: string } & Record<string, unknown>;

/** Asserts the error name and HTTP status the SDK reports. */
export function expectSdkError(error: SdkError, name: string, httpStatusCode: number): void {
  expect({ name: error.name, httpStatusCode: error.$metadata.httpStatusCode }).toEqual({ name, httpStatusCode });
}

/** Reads until the value satisfies the condition, and returns it; fails after POLL_GIVE_UP_MS. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const giveUpAt = Date.now() + POLL_GIVE_UP_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > giveUpAt) throw new Error(`still not there after ${POLL_GIVE_UP_MS} ms: ${JSON.stringify(value)}`);
    await sleep(POLL_INTERVAL_MS);
  }
}
