// Redis-backed instances at the edges of their life (issue 16, points 4 and 5): a hung Redis (SIGSTOP: its sockets
// stay open, nothing answers) turns /readyz "degraded" and statusgraph_redis_up 0 through the probe, and back when
// it wakes; a Redis-backed process that receives SIGTERM under load fails /readyz first, answers every request it was
// sent, hands its poller leases to the instance that stays, and exits 0 by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { loadConfig } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';
import { createLogger } from '../../src/server/logger.js';
import { startStatusGraph, type StatusGraph } from '../../src/server/start-statusgraph.js';
import { startBalancedLoad } from '../support/balanced-load.js';
import { startMainProcess, type MainProcess } from '../support/main-process.js';
import { record, wsClient } from '../support/ws.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

const WATCH = 'subscription Watch($ids: [AccountId!]) { accountStatusChanged(accountIds: $ids, sources: [FLEETWISE_REGISTRATION]) { accountId current } }';
const QUERY = '{ viewer { id fleetwiseRegistration { accountStatus } } }';

let redis: RedisServer;
let emulator: RunningEmulator;
let staying: StatusGraph;
let leaving: MainProcess | undefined;
const clients: Client[] = [];

function environment(): Record<string, string> {
  return { STATUSGRAPH_REDIS_URL: redis.url, STATUSGRAPH_POLLER_LEASE_MS: '600', STATUSGRAPH_POLL_FAST_MS: '100', STATUSGRAPH_POLL_SLOW_MS: '300' };
}

async function readiness(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL('/readyz', url));
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  redis = await startRedisServer();
  emulator = await startEmulator({ port: 0, memberAccounts: 3, delayMs: 600_000 });
  staying = await startStatusGraph(loadConfig({ PORT: '0', NODE_ENV: 'test', STATUSGRAPH_LOG_LEVEL: 'silent', ...environment() }), {
    awsEndpoint: emulator.endpoint,
    awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    logger: createLogger('silent'),
  });
});

afterAll(async () => {
  leaving?.signal('SIGKILL');
  await Promise.all(clients.map((created) => created.dispose()));
  await staying?.close();
  await emulator?.close();
  await redis?.close();
});

describe('a hung Redis', () => {
  it('turns /readyz degraded and statusgraph_redis_up 0 while it does not answer, and ready again when it does', async () => {
    const redisUp = async () => /^statusgraph_redis_up (\d)/m.exec(await (await fetch(new URL('/metrics', staying.url))).text())?.[1];
    expect(await readiness(staying.url)).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await redisUp()).toBe('1');

    redis.pause();
    try {
      await expect.poll(() => readiness(staying.url), { timeout: 15_000 }).toEqual({ status: 200, body: { status: 'degraded', degraded: ['redis'] } });
      expect(await redisUp()).toBe('0');
    } finally {
      redis.resume();
    }
    await expect.poll(() => readiness(staying.url), { timeout: 15_000 }).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await redisUp()).toBe('1');
  }, 60_000);
});

describe('SIGTERM to a Redis-backed instance under load', () => {
  it('fails /readyz first, answers every request it was sent, hands its leases over and exits 0', async () => {
    const main = await startMainProcess(emulator.endpoint, {
      ...environment(),
      STATUSGRAPH_READINESS_GRACE_MS: '2000',
      STATUSGRAPH_SHUTDOWN_TIMEOUT_MS: '600000',
    });
    leaving = main;
    const accountId = '000000000000';
    // The leaving instance watches first, so it holds the lease; the staying one hears its changes.
    const onLeaving = record(wsClientOf(main.url), WATCH, { ids: [accountId] });
    await onLeaving.waitFor(() => true, 'the current state on the leaving instance');
    const onStaying = record(wsClientOf(staying.url), WATCH, { ids: [accountId] });
    await onStaying.waitFor(() => true, 'the current state on the staying instance');
    expect(staying.watcher.polling).toBe(0);

    const load = startBalancedLoad(main.url, QUERY, 3);
    await load.answered(6);

    main.signal('SIGTERM');
    await expect.poll(async () => (await readiness(main.url)).status, { timeout: 10_000 }).toBe(503);
    await load.stop();

    expect(await main.exited).toBe(0);
    expect(load.statuses.filter((status) => status !== 200)).toEqual([]);
    await expect.poll(() => staying.watcher.polling, { timeout: 10_000 }).toBe(1);
  }, 120_000);
});

function wsClientOf(url: string): Client {
  const created = wsClient(url);
  clients.push(created);
  return created;
}
