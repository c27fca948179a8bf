// Starts the whole stack for end-to-end tests: the AWS emulator and statusgraph on ephemeral ports, wired as
// main.ts wires them, plus a plain HTTP GraphQL client and the emulator's control API.
import { loadConfig } from '../../src/config/index.js';
import { type EmulatorControl, startEmulator } from '../../src/emulator/node.js';
import { createLogger, type Logger } from '../../src/server/logger.js';
import { startStatusGraph, type StatusGraph } from '../../src/server/start-statusgraph.js';
import { watchTypedErrors } from './typed-errors.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: readonly { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Stack {
  readonly emulatorEndpoint: string;
  /** Holds and releases the emulator's transitions (tests follow a transition this way, never by waiting for it). */
  readonly emulator: EmulatorControl;
  readonly server: StatusGraph;
  readonly graphqlUrl: string;
  /** POSTs one operation as application/json, as any GraphQL client over HTTP does. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** The emulator's call counts keyed "<signing name>:<Operation>". */
  calls(): Promise<Record<string, number>>;
  resetCalls(): Promise<void>;
  setFaults(faults: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  /** Requests the `holdRate` fault holds in the emulator now. */
  held(): Promise<number>;
  /** Lets every held request go on to its answer; returns how many. */
  releaseHeld(): Promise<number>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Where the server logs; silent by default. */
  readonly logger?: Logger;
  readonly memberAccounts?: number;
  readonly delayMs?: number;
  /** Extra statusgraph environment (STATUSGRAPH_* variables). */
  readonly env?: Record<string, string>;
  /**
   * Whether an untyped INTERNAL_SERVER_ERROR may reach a client without failing the test (typed-errors.ts). Only a
   * test of what the server does with its own bugs sets it. @default false
   */
  readonly allowUntypedErrors?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({
    port: 0,
    memberAccounts: options.memberAccounts ?? 12,
    delayMs: options.delayMs ?? 200,
  });
  const config = loadConfig({
    PORT: '0',
    STATUSGRAPH_LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    // Wall-clock limits a busy machine can reach are the business of the tests that test them (they set their own):
    // elsewhere a slow AssumeRole or query is only slow, and a test counting calls must not see it as a failure.
    STATUSGRAPH_AWS_TIMEOUT_MS: '120000',
    STATUSGRAPH_QUERY_DEADLINE_MS: '600000',
    ...options.env,
  });
  const typedErrors = watchTypedErrors();
  const server = await startStatusGraph(config, {
    awsEndpoint: emulator.endpoint,
    awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    logger: options.logger ?? createLogger('silent'),
    ...(options.allowUntypedErrors ? {} : { onClientError: typedErrors.onClientError }),
  });
  const control = (path: string, init?: RequestInit) => fetch(new URL(`/_emulator/${path}`, emulator.endpoint), init);

  return {
    emulatorEndpoint: emulator.endpoint,
    emulator: emulator.control,
    server,
    graphqlUrl: server.url,
    async gql(query, variables) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      typedErrors.check();
      return { status: response.status, ...body } as GraphQLResponse<any>;
    },
    async calls() {
      return (await (await control('calls')).json()) as Record<string, number>;
    },
    async resetCalls() {
      await control('calls', { method: 'DELETE' });
    },
    async setFaults(faults) {
      const response = await control('faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
      if (!response.ok) throw new Error(`emulator refused faults: ${await response.text()}`);
    },
    async clearFaults() {
      await control('faults', { method: 'DELETE' });
    },
    async held() {
      return ((await (await control('faults/held')).json()) as { held: number }).held;
    },
    async releaseHeld() {
      return ((await (await control('faults/release', { method: 'POST' })).json()) as { released: number }).released;
    },
    async close() {
      await server.close();
      await emulator.close();
      // Errors sent over WebSockets, or to clients other than gql(), are checked here at the latest.
      typedErrors.check();
    },
  };
}

/** Sums call counts whose key starts with `prefix` (e.g. "iotfleetwise:" or "sts:AssumeRole"). */
export function countOf(calls: Record<string, number>, prefix: string): number {
  return Object.entries(calls)
    .filter(([key]) => key.startsWith(prefix))
    .reduce((sum, [, count]) => sum + count, 0);
}

export function total(calls: Record<string, number>): number {
  return Object.values(calls).reduce((sum, count) => sum + count, 0);
}
