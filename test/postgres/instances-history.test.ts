// Two statusgraph instances sharing one Redis and one PostgreSQL (real servers, started for this suite), reading one
// emulator: a change recorded through one instance is replayed by the other — in its history and to a subscriber that
// resumes there — and createAccount's keys are shared. Then PostgreSQL goes away: queries and live events go on,
// history answers HISTORY_UNAVAILABLE, /readyz says degraded, the change made meanwhile waits in memory (counted in
// /metrics) and is written when PostgreSQL returns.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';
import { createLogger } from '../../src/server/logger.js';
import { startStatusGraph, type StatusGraph } from '../../src/server/start-statusgraph.js';
import { startRedisServer, type RedisServer } from '../redis/support/redis-server.js';
import { record, wsClient } from '../support/ws.js';
import { startPostgresServer, type PostgresServer } from './support/postgres-server.js';

const ENROLL = 'mutation Enroll($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status } }';
const HISTORY = `query History($id: AccountId!) {
  account(id: $id) { history(first: 10, sources: [COMPUTE_OPTIMIZER_ENROLLMENT]) { nodes { cursor current observedBy } } }
}`;
const WATCH = `subscription Watch($ids: [AccountId!], $after: String) {
  accountStatusChanged(accountIds: $ids, sources: [COMPUTE_OPTIMIZER_ENROLLMENT], after: $after) { cursor accountId current observedBy }
}`;
const CREATE = 'mutation Create($input: CreateAccountInput!) { createAccount(input: $input) { id } }';
/** The management account: its enrollment is changed with the server's own credentials. */
const ACCOUNT = '000000000000';

let redis: RedisServer;
let postgres: PostgresServer;
let emulator: RunningEmulator;
let instances: StatusGraph[] = [];
const clients: Client[] = [];

async function gql(url: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return response.json();
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
  // Opting in stays Pending for ten minutes: nothing moves unless a test moves it.
  emulator = await startEmulator({ port: 0, memberAccounts: 4, delayMs: 600_000 });
  const config = loadConfig({
    PORT: '0',
    NODE_ENV: 'test',
    STATUSGRAPH_REDIS_URL: redis.url,
    STATUSGRAPH_DATABASE_URL: postgres.url,
    STATUSGRAPH_POLL_FAST_MS: '100',
    STATUSGRAPH_POLL_SLOW_MS: '300',
    STATUSGRAPH_LOG_LEVEL: 'silent',
  });
  // Started together: they migrate the one database once.
  instances = await Promise.all(
    [0, 1].map(() =>
      startStatusGraph(config, {
        awsEndpoint: emulator.endpoint,
        awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        logger: createLogger('silent'),
      }),
    ),
  );
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await Promise.all(instances.map((instance) => instance.close()));
  await emulator?.close();
  await Promise.all([redis?.close(), postgres?.close()]);
});

describe('history shared through PostgreSQL (with Redis)', () => {
  it('replays on one instance what the other recorded, in its history and to a resumed subscriber', async () => {
    const [a, b] = instances as [StatusGraph, StatusGraph];
    expect((await gql(a.url, ENROLL, { input: { accountId: ACCOUNT, status: 'INACTIVE' } })).errors).toBeUndefined();
    const start = (await gql(b.url, HISTORY, { id: ACCOUNT })).data.account.history.nodes[0];
    expect(start).toMatchObject({ current: 'INACTIVE' });

    expect((await gql(a.url, ENROLL, { input: { accountId: ACCOUNT, status: 'ACTIVE' } })).errors).toBeUndefined();
    const seenOnB = (await gql(b.url, HISTORY, { id: ACCOUNT })).data.account.history.nodes;
    expect(seenOnB[0]).toMatchObject({ current: 'PENDING', observedBy: 'MUTATION' });

    const client = wsClient(b.url);
    clients.push(client);
    const resumed = record(client, WATCH, { ids: [ACCOUNT], after: start.cursor });
    const replayed = await resumed.waitFor((event) => event.accountStatusChanged.current === 'PENDING', 'PENDING replayed on b');
    expect(replayed.accountStatusChanged).toEqual({ cursor: seenOnB[0].cursor, accountId: ACCOUNT, current: 'PENDING', observedBy: 'MUTATION' });
    // Live again, changed through the other instance.
    expect((await gql(a.url, ENROLL, { input: { accountId: ACCOUNT, status: 'INACTIVE' } })).errors).toBeUndefined();
    await resumed.waitFor((event) => event.accountStatusChanged.current === 'INACTIVE', 'INACTIVE live on b');
    expect(resumed.events.map((event) => event.accountStatusChanged.current)).toEqual(['PENDING', 'INACTIVE']);
    resumed.unsubscribe();
  });

  it('answers a createAccount retry on the other instance with the same request', async () => {
    const input = { email: 'shared@example.com', accountName: 'shared', idempotencyKey: 'shared-pg-1' };
    const first = await gql(instances[0]!.url, CREATE, { input });
    const retried = await gql(instances[1]!.url, CREATE, { input });
    expect(retried.data.createAccount.id).toBe(first.data.createAccount.id);
  });

  it('goes on without PostgreSQL: typed history errors, degraded /readyz, changes buffered and written when it returns', async () => {
    const [a] = instances as [StatusGraph];
    await postgres.stop();
    try {
      const refused = await gql(a.url, HISTORY, { id: ACCOUNT });
      expect(refused.errors?.[0]?.extensions?.code).toBe('HISTORY_UNAVAILABLE');
      expect(refused.data.account).not.toBeNull();
      const ready = await (await fetch(new URL('/readyz', a.url))).json();
      expect(ready).toMatchObject({ status: 'degraded', degraded: expect.arrayContaining(['history']) });

      expect((await gql(a.url, ENROLL, { input: { accountId: ACCOUNT, status: 'ACTIVE' } })).errors).toBeUndefined();
      const query = await gql(a.url, `{ account(id: "${ACCOUNT}") { computeOptimizerEnrollment { status } } }`);
      expect(query.errors).toBeUndefined();
      const metrics = await (await fetch(new URL('/metrics', a.url))).text();
      // The mutation's change, and the query's reading of it (written once the database answers: no second event).
      expect(metrics).toMatch(/^statusgraph_history_buffered_events [1-9]\d*$/m);
      expect(metrics).toMatch(/^statusgraph_history_up 0$/m);
    } finally {
      await postgres.start();
    }
    await expect
      .poll(async () => (await gql(a.url, HISTORY, { id: ACCOUNT })).data?.account?.history?.nodes?.[0]?.current, { timeout: 20_000 })
      .toBe('PENDING');
    const metrics = await (await fetch(new URL('/metrics', a.url))).text();
    expect(metrics).toMatch(/^statusgraph_history_buffered_events 0$/m);
  });
});
