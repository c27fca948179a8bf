// Several statusgraph instances behind one real redis-server, all reading one emulator: subscribers anywhere, one
// poller per watched status across all instances, changes and createAccount idempotency shared, a crashed lease
// holder replaced, and queries answering while Redis is away.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startEmulator, type StartedEmulator } from '../../src/emulator/node.js';
import { createLogger } from '../../src/server/logger.js';
import { startStatusGraph, type StatusGraph } from '../../src/server/start-statusgraph.js';
import { countOf, total } from '../support/stack.js';
import { record, wsClient, type Received } from '../support/ws.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

const PROJECT_ROOT = new URL('../..', import.meta.url).pathname;
/** Transitions settle only when a test releases them (emulator.control), whatever the machine's speed. */
const TRANSITION_MS = 3_000; // 3 seconds, never reached by a held transition
/** Short, so a dead holder's statuses move within a second; renewed every 200 ms. */
const LEASE_MS = 600;
/** How long the emulator's call counts are sampled to see that polling goes on. */
const SAMPLE_MS = 1_500;
/** A child process compiling the whole server with tsx on a busy 2-core machine. */
const CHILD_START_TIMEOUT_MS = 60_000; // 1 minute

const WATCH = /* GraphQL */ `
  subscription Watch($ids: [AccountId!]) {
    accountStatusChanged(accountIds: $ids, sources: [FLEETWISE_REGISTRATION]) { accountId previous current error { code } }
  }
`;
const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterFleetwiseAccountInput!) { registerFleetwiseAccount(input: $input) { accountStatus } }
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateAccountInput!) { createAccount(input: $input) { id state } }
`;
const STATUSES = /* GraphQL */ `
  query Statuses($ids: [AccountId!]!) {
    accounts(ids: $ids) { id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } }
  }
`;

let redis: RedisServer;
let emulator: StartedEmulator;
let instances: StatusGraph[];
let child: ChildProcess | undefined;
const clients: Client[] = [];
/** Every subscription a test opened: the next test starts with none open, even after a failure. */
const opened: Received[] = [];
/** Active member accounts whose statuses can be read and that were never registered with FleetWise. */
let unregistered: string[];

function environment(): Record<string, string> {
  return {
    STATUSGRAPH_REDIS_URL: redis.url,
    STATUSGRAPH_POLLER_LEASE_MS: String(LEASE_MS),
    STATUSGRAPH_POLL_FAST_MS: '100',
    STATUSGRAPH_POLL_SLOW_MS: '300',
    STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '100',
    STATUSGRAPH_CACHE_TTL_SETTLED_MS: '60000',
    STATUSGRAPH_LOG_LEVEL: 'silent',
  };
}

async function gql(url: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: any[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
}

async function emulatorCalls(): Promise<Record<string, number>> {
  return (await (await fetch(new URL('/_emulator/calls', emulator.endpoint))).json()) as Record<string, number>;
}

async function resetCalls(): Promise<void> {
  await fetch(new URL('/_emulator/calls', emulator.endpoint), { method: 'DELETE' });
}

/** A recorded subscription that is closed after its test whatever the outcome. */
function watch(on: Client, variables: Record<string, unknown>): Received {
  const events = record(on, WATCH, variables);
  opened.push(events);
  return events;
}

function client(url: string): Client {
  const created = wsClient(url);
  clients.push(created);
  return created;
}

function pollingTotal(): number {
  return instances.reduce((sum, instance) => sum + instance.watcher.polling, 0);
}

async function allReleased(): Promise<void> {
  await expect.poll(() => instances.map((instance) => instance.watcher.size), { timeout: 10_000 }).toEqual([0, 0, 0]);
}

/** Waits until every subscriber has seen the held registration pending. */
async function untilPending(...subscribers: Received[]): Promise<void> {
  for (const events of subscribers) await events.waitFor((event) => event.accountStatusChanged.current === 'REGISTRATION_PENDING', 'PENDING');
}

function statusesOf(events: Received): (string | null)[] {
  return events.events.map((event) => event.accountStatusChanged.current);
}

beforeAll(async () => {
  redis = await startRedisServer();
  emulator = await startEmulator({ port: 0, memberAccounts: 40, delayMs: TRANSITION_MS });
  const config = loadConfig({ PORT: '0', NODE_ENV: 'test', ...environment() });
  instances = [];
  for (let index = 0; index < 3; index++) {
    instances.push(
      await startStatusGraph(config, {
        awsEndpoint: emulator.endpoint,
        awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        logger: createLogger('silent'),
      }),
    );
  }
  const result = await gql(instances[0]!.url, `{ organization { accounts(first: 100) { nodes { id state fleetwiseRegistration { accountStatus } } } } }`);
  const failed = new Set((result.errors ?? []).map((error) => String(error.path?.[3])));
  unregistered = result.data.organization.accounts.nodes
    .filter((node: any, index: number) => node.state === 'ACTIVE' && node.id !== '000000000000' && !node.fleetwiseRegistration && !failed.has(String(index)))
    .map((node: any) => node.id);
  expect(unregistered.length).toBeGreaterThanOrEqual(16);
});

afterEach(async () => {
  for (const events of opened.splice(0)) events.unsubscribe();
  await allReleased();
});

afterAll(async () => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  await Promise.all(clients.map((created) => created.dispose()));
  await Promise.all((instances ?? []).map((instance) => instance.close()));
  await emulator?.close();
  await redis?.close();
});

describe('several instances behind one Redis', () => {
  it('answers a query on one instance from the cache another instance filled', async () => {
    const ids = unregistered.slice(0, 5);
    const first = await gql(instances[0]!.url, STATUSES, { ids });
    expect(first.errors).toBeUndefined();
    await resetCalls();
    const second = await gql(instances[1]!.url, STATUSES, { ids });
    expect(second.errors).toBeUndefined();
    expect(second.data).toEqual(first.data);
    expect(total(await emulatorCalls())).toBe(0);
  });

  it('polls each of 10 accounts watched by 300 subscribers on three instances as one instance would', async () => {
    const ids = unregistered.slice(0, 10);
    const holders = async () => {
      const keys = ids.map((id) => `statusgraph:v1:lease:fleetwise:${id}:us-east-1`);
      return Promise.all(keys.map((key) => redis.client().get(key)));
    };
    const pollCalls = async () => {
      await resetCalls();
      await sleep(SAMPLE_MS);
      return countOf(await emulatorCalls(), 'iotfleetwise:GetRegisterAccountStatus');
    };

    const single = watch(client(instances[0]!.url), { ids });
    await expect.poll(() => single.events.length, { timeout: 20_000 }).toBe(10);
    await expect.poll(pollingTotal, { timeout: 10_000 }).toBe(10);
    expect(new Set(await holders()).size).toBe(1);

    // 100 subscribers on each instance (one socket each: a socket carries at most 100 subscriptions).
    const many = instances.flatMap((instance) => {
      const socket = client(instance.url);
      return Array.from({ length: 100 }, () => watch(socket, { ids }));
    });
    await Promise.all(many.map((events) => expect.poll(() => events.events.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(10)));
    expect(instances.map((instance) => instance.watcher.size)).toEqual([10, 10, 10]);
    // One poller per key across all instances: ten statuses polled in all, and as many by each instance as it holds
    // leases. A lease may move to another instance when a busy holder renews late (600 ms here), so the two are
    // compared once no hand-over is under way; at no moment are more than ten polled.
    let mostPolled = 0;
    const oneHolderPerKey = async () => {
      const polling = instances.map((instance) => instance.watcher.polling);
      mostPolled = Math.max(mostPolled, polling.reduce((sum, count) => sum + count, 0));
      const leases = await holders();
      if (polling.reduce((sum, count) => sum + count, 0) !== ids.length || leases.some((holder) => holder === null)) return false;
      const leasesPerHolder = [...new Set(leases)].map((holder) => leases.filter((each) => each === holder).length);
      return JSON.stringify(leasesPerHolder.sort()) === JSON.stringify(polling.filter((count) => count > 0).sort());
    };
    await expect.poll(oneHolderPerKey, { timeout: 15_000 }).toBe(true);
    expect(mostPolled).toBe(ids.length);
    expect(await pollCalls()).toBeGreaterThan(0);
    for (const events of many) expect(new Set(events.events.map((event) => event.accountStatusChanged.accountId))).toEqual(new Set(ids));
  });

  it('delivers a change made through one instance to subscribers on the other two', async () => {
    const accountId = unregistered[10]!;
    const onSecond = watch(client(instances[1]!.url), { ids: [accountId] });
    const onThird = watch(client(instances[2]!.url), { ids: [accountId] });
    await onSecond.waitFor(() => true, 'the current state');
    await onThird.waitFor(() => true, 'the current state');

    emulator.control.hold(`fleetwise:${accountId}`);
    const registered = await gql(instances[0]!.url, REGISTER, { input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWise` } });
    expect(registered.errors).toBeUndefined();
    await untilPending(onSecond, onThird);
    emulator.control.release(`fleetwise:${accountId}`);
    for (const events of [onSecond, onThird]) {
      await events.waitFor((event) => event.accountStatusChanged.current === 'REGISTRATION_SUCCESS', 'SUCCESS');
      expect(statusesOf(events)).toEqual([null, 'REGISTRATION_PENDING', 'REGISTRATION_SUCCESS']);
      events.unsubscribe();
    }
    await allReleased();
  });

  it('makes one CreateAccount call for an idempotencyKey retried on other instances', async () => {
    await resetCalls();
    const input = { email: 'scale-out@example.com', accountName: 'scale out', idempotencyKey: 'scale-out-1' };
    const [first, second] = await Promise.all([gql(instances[0]!.url, CREATE, { input }), gql(instances[1]!.url, CREATE, { input })]);
    const third = await gql(instances[2]!.url, CREATE, { input });
    expect(first.errors).toBeUndefined();
    expect(second.data.createAccount.id).toBe(first.data.createAccount.id);
    expect(third.data.createAccount.id).toBe(first.data.createAccount.id);
    expect((await emulatorCalls())['organizations:CreateAccount']).toBe(1);

    const reused = await gql(instances[2]!.url, CREATE, { input: { ...input, accountName: 'another' } });
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
    expect((await emulatorCalls())['organizations:CreateAccount']).toBe(1);
  });

  it('hands polling over when the holder\'s last subscriber leaves, and when the holder shuts down', async () => {
    const [leaving, staying] = [unregistered[13]!, unregistered[14]!];
    const leaseOf = (accountId: string) => redis.client().get(`statusgraph:v1:lease:fleetwise:${accountId}:us-east-1`);

    // The last subscriber of the holder leaves: its lease is released and the instance still watching takes it.
    const first = watch(client(instances[0]!.url), { ids: [leaving] });
    await first.waitFor(() => true, 'the current state');
    await expect.poll(() => instances[0]!.watcher.polling, { timeout: 5_000 }).toBe(1);
    const second = watch(client(instances[1]!.url), { ids: [leaving] });
    await second.waitFor(() => true, 'the current state');
    const holder = await leaseOf(leaving);
    first.unsubscribe();
    await expect.poll(() => instances[1]!.watcher.polling, { timeout: 10_000 }).toBe(1);
    expect(await leaseOf(leaving)).not.toBe(holder);
    second.unsubscribe();

    // An instance that shuts down gives its leases back before it is gone.
    const extra = await startStatusGraph(loadConfig({ PORT: '0', NODE_ENV: 'test', ...environment() }), {
      awsEndpoint: emulator.endpoint,
      awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      logger: createLogger('silent'),
    });
    const onExtra = watch(client(extra.url), { ids: [staying] });
    await onExtra.waitFor(() => true, 'the current state');
    await expect.poll(() => extra.watcher.polling, { timeout: 5_000 }).toBe(1);
    const onThird = watch(client(instances[2]!.url), { ids: [staying] });
    await onThird.waitFor(() => true, 'the current state');
    const extraId = await leaseOf(staying);
    await extra.close();
    expect(await leaseOf(staying)).not.toBe(extraId);
    await expect.poll(() => instances[2]!.watcher.polling, { timeout: 10_000 }).toBe(1);
    onThird.unsubscribe();
    await allReleased();
  });

  it('moves polling off a killed lease holder within a lease period, and loses no change', async () => {
    const accountId = unregistered[11]!;
    const holderUrl = await startHolderProcess();
    const onHolder = watch(client(holderUrl), { ids: [accountId] });
    await onHolder.waitFor(() => true, 'the current state on the holder');
    const onSecond = watch(client(instances[1]!.url), { ids: [accountId] });
    const onThird = watch(client(instances[2]!.url), { ids: [accountId] });
    await onSecond.waitFor(() => true, 'the current state');
    await onThird.waitFor(() => true, 'the current state');
    expect(pollingTotal()).toBe(0);

    process.kill(-child!.pid!, 'SIGKILL');
    // Changed while nobody polls: the mutation's poke reaches no holder. The registration stays pending until the
    // lease has moved, so the new holder has a change to find.
    emulator.control.hold(`fleetwise:${accountId}`);
    const registered = await gql(instances[0]!.url, REGISTER, { input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWise` } });
    expect(registered.errors).toBeUndefined();

    await expect.poll(pollingTotal, { timeout: 10_000 }).toBe(1);
    await untilPending(onSecond, onThird);
    emulator.control.release(`fleetwise:${accountId}`);
    for (const events of [onSecond, onThird]) {
      await events.waitFor((event) => event.accountStatusChanged.current === 'REGISTRATION_SUCCESS', 'SUCCESS after the hand-over');
      expect(statusesOf(events)).toEqual([null, 'REGISTRATION_PENDING', 'REGISTRATION_SUCCESS']);
      events.unsubscribe();
    }
    await allReleased();
  });

  it('gives the first change after a killed holder\'s lease moves the value the holder last published as previous', async () => {
    const accountId = unregistered[12]!;
    const holderUrl = await startHolderProcess();
    const onHolder = watch(client(holderUrl), { ids: [accountId] });
    await onHolder.waitFor(() => true, 'the current state on the holder');
    emulator.control.hold(`fleetwise:${accountId}`);
    const registered = await gql(instances[0]!.url, REGISTER, { input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWise` } });
    expect(registered.errors).toBeUndefined();
    await untilPending(onHolder);

    // These instances start watching after the holder published PENDING: they never heard it, only read it.
    const onSecond = watch(client(instances[1]!.url), { ids: [accountId] });
    const onThird = watch(client(instances[2]!.url), { ids: [accountId] });
    await untilPending(onSecond, onThird);
    expect(pollingTotal()).toBe(0);

    // The holder dies, then the registration completes while nobody polls: the new holder's first reading is a change.
    const exited = once(child!, 'exit');
    process.kill(-child!.pid!, 'SIGKILL');
    await exited;
    emulator.control.release(`fleetwise:${accountId}`);
    await expect.poll(pollingTotal, { timeout: 10_000 }).toBe(1);
    for (const events of [onSecond, onThird]) {
      await events.waitFor((event) => event.accountStatusChanged.current === 'REGISTRATION_SUCCESS', 'SUCCESS after the hand-over');
      expect(events.events.map((event) => [event.accountStatusChanged.previous, event.accountStatusChanged.current])).toEqual([
        [null, 'REGISTRATION_PENDING'],
        ['REGISTRATION_PENDING', 'REGISTRATION_SUCCESS'],
      ]);
      events.unsubscribe();
    }
    await allReleased();
  });

  it('answers queries while Redis is away, says so in /readyz and /metrics, and resumes subscriptions when it returns', async () => {
    const accountId = unregistered[15]!;
    const [first, second, third] = instances as [StatusGraph, StatusGraph, StatusGraph];
    const events = watch(client(second.url), { ids: [accountId] });
    await events.waitFor(() => true, 'the current state');
    const readiness = async (instance: StatusGraph) => {
      const response = await fetch(new URL('/readyz', instance.url));
      return { status: response.status, body: await response.json() };
    };
    const redisUp = async (instance: StatusGraph) =>
      /^statusgraph_redis_up (\d)$/m.exec(await (await fetch(new URL('/metrics', instance.url))).text())?.[1];
    expect(await readiness(first)).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await redisUp(first)).toBe('1');

    await redis.stop();
    await expect.poll(() => readiness(first), { timeout: 10_000 }).toEqual({ status: 200, body: { status: 'degraded', degraded: ['redis'] } });
    expect(await redisUp(first)).toBe('0');
    await resetCalls();
    const answered = await gql(first.url, STATUSES, { ids: unregistered.slice(12, 16) });
    expect(answered.errors).toBeUndefined();
    expect(answered.data.accounts.map((account: any) => account.id)).toEqual(unregistered.slice(12, 16));
    expect(countOf(await emulatorCalls(), 'iotfleetwise:GetRegisterAccountStatus')).toBeGreaterThan(0);
    // Without the shared keys a retry on another instance could create a second account: creation waits for Redis.
    const refused = await gql(first.url, CREATE, { input: { email: 'outage@example.com', accountName: 'outage', idempotencyKey: 'outage-1' } });
    expect(refused.errors).toHaveLength(1);
    expect((await emulatorCalls())['organizations:CreateAccount']).toBeUndefined();

    await redis.start();
    await expect.poll(() => readiness(first), { timeout: 15_000 }).toEqual({ status: 200, body: { status: 'ready' } });
    expect(await redisUp(first)).toBe('1');
    await expect.poll(() => redisUp(second), { timeout: 15_000 }).toBe('1');
    await expect.poll(pollingTotal, { timeout: 10_000 }).toBe(1);
    emulator.control.hold(`fleetwise:${accountId}`);
    const registered = await gql(third.url, REGISTER, { input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWise` } });
    expect(registered.errors).toBeUndefined();
    await untilPending(events);
    emulator.control.release(`fleetwise:${accountId}`);
    await events.waitFor((event) => event.accountStatusChanged.current === 'REGISTRATION_SUCCESS', 'SUCCESS after Redis returned');
    expect(statusesOf(events)).toEqual([null, 'REGISTRATION_PENDING', 'REGISTRATION_SUCCESS']);
    events.unsubscribe();
    await allReleased();
  });
});

/**
 * Starts statusgraph as a separate process (`child`), so it can die as a crashed instance does: no goodbye, leases
 * left in Redis. Resolves with its URL.
 */
function startHolderProcess(): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...environment(),
      STATUSGRAPH_BACKEND: 'aws',
      STATUSGRAPH_AUTH: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return listeningUrl(child);
}

/** Resolves with the URL main prints once it listens; rejects with its output if it exits first. */
function listeningUrl(process: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`statusgraph did not start:\n${output}`)), CHILD_START_TIMEOUT_MS);
    process.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    process.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /playground: (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    process.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`statusgraph exited with ${code} before listening:\n${output}`));
    });
  });
}
