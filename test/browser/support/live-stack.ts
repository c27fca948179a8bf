// The stack for browser tests: the AWS emulator and statusgraph as main.ts wires them, with a statusgraph that can
// be stopped and started again on the same port while the emulator (the organization's state) keeps running.
import { ListCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { loadConfig } from '../../../src/config/index.js';
import { startEmulator, type EmulatorControl, type StartedEmulator } from '../../../src/emulator/node.js';
import { createLogger } from '../../../src/server/logger.js';
import { startStatusGraph, type StatusGraph } from '../../../src/server/start-statusgraph.js';

export interface LiveStackOptions {
  readonly memberAccounts?: number;
  /** How long emulated transitions take. @default 1_000 // ms */
  readonly delayMs?: number;
  readonly env?: Record<string, string>;
}

export interface LiveStack {
  /** http://127.0.0.1:<port>, the origin every page must stay on. */
  readonly origin: string;
  readonly graphqlUrl: string;
  /** The emulator's control API: hold and release transitions, so a test moves statuses when it chooses. */
  readonly emulator: EmulatorControl;
  /** POSTs one operation; returns the parsed body. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] }>;
  /** Stops statusgraph (its port closes; open WebSockets are closed). */
  stopServer(): Promise<void>;
  /** Starts statusgraph again on the same port. */
  startServer(): Promise<void>;
  close(): Promise<void>;
}

/** Subscriptions poll transitional statuses this often in tests, so a change shows within a second. @default 200 // ms */
const TEST_POLL_FAST_MS = '200';

export async function startLiveStack(options: LiveStackOptions = {}): Promise<LiveStack> {
  const emulator: StartedEmulator = await startEmulator({ port: 0, memberAccounts: options.memberAccounts ?? 12, delayMs: options.delayMs ?? 1_000 });
  await settleAccountCreations(emulator.endpoint);
  const env = { STATUSGRAPH_LOG_LEVEL: 'silent', NODE_ENV: 'test', STATUSGRAPH_POLL_FAST_MS: TEST_POLL_FAST_MS, ...options.env };
  const start = (port: number) =>
    startStatusGraph(loadConfig({ ...env, PORT: String(port) }), {
      awsEndpoint: emulator.endpoint,
      awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      logger: createLogger('silent'),
    });
  let server: StatusGraph | undefined = await start(0);
  const port = server.port;
  const origin = `http://127.0.0.1:${port}`;
  const graphqlUrl = `${origin}/graphql`;

  return {
    origin,
    graphqlUrl,
    emulator: emulator.control,
    async gql(query, variables) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async stopServer() {
      await server?.close();
      server = undefined;
    },
    async startServer() {
      server ??= await start(port);
    },
    async close() {
      await server?.close();
      await emulator.close();
    },
  };
}

/** How often the settling loop asks the emulator. @default 100 // ms */
const SETTLE_POLL_MS = 100;

/**
 * The demo organization starts with an account creation IN_PROGRESS that adds an account once it completes (the
 * clock starts when it is first asked about). Tests count accounts, so they start after it completed.
 */
async function settleAccountCreations(endpoint: string): Promise<void> {
  const organizations = new OrganizationsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    for (;;) {
      const { CreateAccountStatuses = [] } = await organizations.send(new ListCreateAccountStatusCommand({ States: ['IN_PROGRESS'] }));
      if (CreateAccountStatuses.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  } finally {
    organizations.destroy();
  }
}

/** An ACTIVE account with no FleetWise registration (and a readable status): the one tests register. */
export async function unregisteredAccount(stack: LiveStack): Promise<{ id: string; name: string }> {
  const answer = await stack.gql<{ organization: { accounts: { nodes: { id: string; name: string; state: string; fleetwiseRegistration: unknown }[] } } }>(
    '{ organization { accounts(first: 1000) { nodes { id name state fleetwiseRegistration { accountStatus } } } } }',
  );
  const unreadable = new Set((answer.errors ?? []).map((error) => error.path?.[3]));
  const found = answer.data?.organization.accounts.nodes.find(
    (account, index) => account.state === 'ACTIVE' && account.fleetwiseRegistration === null && !unreadable.has(index),
  );
  if (!found) throw new Error('the demo organization has no unregistered active account');
  return found;
}

export const REGISTER = `mutation Register($accountId: AccountId!, $iamRoleArn: String!) {
  registerFleetwiseAccount(input: { accountId: $accountId, iamRoleArn: $iamRoleArn }) { accountStatus }
}`;

export function roleArnIn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/FleetWiseServiceRole`;
}
