// statusgraph while AWS misbehaves, with the emulator's fault injection: throttling absorbed by retries, an outage
// cut short by the circuit breakers and recovered from by their probes, and hanging calls ended by the timeout with
// a bounded number of sockets.
import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';
import { createLogger } from '../../src/server/logger.js';
import { startStatusGraph, type StatusGraph } from '../../src/server/start-statusgraph.js';
import { startStack, total, type Stack } from '../support/stack.js';
import { post } from './hardening-support.js';

const PAGE = /* GraphQL */ `
  query Page($first: Int!) {
    organization {
      accounts(first: $first) {
        nodes { id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } creationRequest { state } }
      }
    }
  }
`;

/** Errors other than the demo's one account without a member role, which is always AWS_ACCESS_DENIED. */
function unexpectedErrors(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) {
  return (result.errors ?? []).filter((error) => error.extensions?.code !== 'AWS_ACCESS_DENIED');
}

/** Runs `count` calls of `task`, `concurrency` at a time. */
async function inBatches<T>(count: number, concurrency: number, task: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let started = 0; started < count; started += concurrency) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, count - started) }, task))));
  }
  return results;
}

describe('30% throttling on every operation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 30,
      delayMs: 600_000,
      // Every query goes to AWS: nothing is served from the cache.
      env: { STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1', STATUSGRAPH_CACHE_TTL_SETTLED_MS: '1', STATUSGRAPH_AWS_RATE_LIMIT: '1000', STATUSGRAPH_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    await stack.gql(PAGE, { first: 30 }); // member credentials, assumed once an hour, are not what this measures
  });
  afterAll(() => stack?.close());

  it('leaves at most 1% of 100 queries of a 30-account page with an error', async () => {
    // What the queries cost without faults. Concurrent queries share in-flight calls (the status cache), which makes
    // this test stricter, not looser: one call that failed would fail every query sharing it.
    const WAVES = 2;
    await stack.resetCalls();
    await stack.gql(PAGE, { first: 30 });
    const callsPerWave = total(await stack.calls());

    await stack.setFaults({ throttleRate: 0.3 });
    await stack.resetCalls();
    const results = await inBatches(100, 100 / WAVES, () => stack.gql(PAGE, { first: 30 }));
    await stack.clearFaults();
    const failed = results.filter((result) => unexpectedErrors(result).length > 0);
    expect(failed.length).toBeLessThanOrEqual(1);
    // AWS did throttle: about 1 / 0.7 ≈ 1.43 attempts per call, where no faults cost one.
    expect(total(await stack.calls())).toBeGreaterThan(1.2 * WAVES * callsPerWave);
  }, 120_000);
});

describe('an AWS outage', () => {
  /** statusgraph_aws_circuit_state's values. */
  const CLOSED = 0;
  const OPEN = 2;
  const WINDOW_MS = 1_000;
  const HALF_OPEN_MS = 500;
  const POLL_FAST_MS = 1_000;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: 10,
      delayMs: 600_000,
      env: {
        STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1',
        STATUSGRAPH_CACHE_TTL_SETTLED_MS: '1',
        STATUSGRAPH_AWS_RATE_LIMIT: '1000',
        STATUSGRAPH_RATE_LIMIT_PER_MINUTE: '100000',
        STATUSGRAPH_AWS_CIRCUIT_WINDOW_MS: String(WINDOW_MS),
        STATUSGRAPH_AWS_CIRCUIT_HALF_OPEN_MS: String(HALF_OPEN_MS),
        STATUSGRAPH_POLL_FAST_MS: String(POLL_FAST_MS),
      },
    });
  });
  afterAll(() => stack?.close());

  it('cuts calls to AWS by at least 80% within the breaker window, fails fast, and recovers within one poll interval', async () => {
    const results: { phase: string; errors: readonly any[] }[] = [];
    let phase = 'healthy';
    let running = true;
    const clients = Array.from({ length: 4 }, async () => {
      while (running) {
        const result = await stack.gql(PAGE, { first: 11 });
        results.push({ phase, errors: unexpectedErrors(result) });
      }
    });
    const circuitStates = async () => {
      const metrics = await (await fetch(new URL('/metrics', stack.graphqlUrl))).text();
      return [...metrics.matchAll(/^statusgraph_aws_circuit_state\{[^}]*\} (\d+)$/gm)].map((match) => Number(match[1]));
    };
    // Calls per answered query over a window: how many queries a busy machine completes in a window varies, what
    // each of them costs AWS does not.
    const callsPerQueryDuring = async (ms: number) => {
      await stack.resetCalls();
      const answeredBefore = results.length;
      await sleep(ms);
      // On a busy machine a query can outlast the window: the window then lasts until a few have been answered.
      while (results.length - answeredBefore < 4) await sleep(50);
      const calls = total(await stack.calls());
      return calls / (results.length - answeredBefore);
    };

    await sleep(200);
    const healthyCalls = await callsPerQueryDuring(WINDOW_MS);

    await stack.setFaults({ errorRate: 1 });
    phase = 'failing';
    await sleep(2 * WINDOW_MS); // the "within 10 s" is this window's length by default
    // A busy machine answers fewer queries per window, so the breakers may need longer to see enough failures.
    await until(async () => (await circuitStates()).some((state) => state === OPEN), 'a circuit breaker opens');
    phase = 'open';
    const openCalls = await callsPerQueryDuring(WINDOW_MS);

    await stack.clearFaults();
    phase = 'healing';
    await sleep(POLL_FAST_MS);
    // Each breaker closes after its half-open probe succeeds; on a busy machine that probe can come later.
    await until(async () => (await circuitStates()).every((state) => state === CLOSED), 'every circuit breaker closes');
    phase = 'healed';
    await sleep(200);
    running = false;
    await Promise.all(clients);

    // A page of 11 accounts costs AWS calls when healthy (the caches live 1 ms, though concurrent queries share loads
    // in flight: 4–20 a query, measured); open breakers refuse most of them.
    expect(healthyCalls).toBeGreaterThan(2);
    expect(openCalls).toBeLessThanOrEqual(0.2 * healthyCalls);
    // Errors reach clients at once, without waiting for AWS: the open circuit refused the calls.
    const refusals = results.filter((r) => r.phase === 'open').flatMap((r) => r.errors);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.filter((error) => error.extensions?.aws?.code === 'CircuitOpen').length).toBeGreaterThan(refusals.length / 2);
    expect(refusals.every((error) => error.extensions?.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    // One poll interval after AWS healed, queries are answered in full again.
    const healed = results.filter((r) => r.phase === 'healed');
    expect(healed.length).toBeGreaterThan(0);
    expect(healed.every((r) => r.errors.length === 0)).toBe(true);
  }, 60_000);
});

/** A TCP relay in front of the emulator that remembers the most connections it held at once. */
async function startConnectionCounter(target: RunningEmulator): Promise<{ endpoint: string; open: () => number; peak: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let peak = 0;
  const server: Server = createServer((client) => {
    sockets.add(client);
    peak = Math.max(peak, sockets.size);
    const upstream = connectTcp(target.port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => {
      sockets.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open: () => sockets.size,
    peak: () => peak,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('AWS hanging', () => {
  const MAX_SOCKETS = 4;
  let emulator: RunningEmulator;
  let counter: Awaited<ReturnType<typeof startConnectionCounter>>;
  let server: StatusGraph;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, memberAccounts: 8, delayMs: 600_000 });
    counter = await startConnectionCounter(emulator);
    const config = loadConfig({
      PORT: '0',
      STATUSGRAPH_LOG_LEVEL: 'silent',
      STATUSGRAPH_AWS_TIMEOUT_MS: '300',
      STATUSGRAPH_AWS_MAX_SOCKETS: String(MAX_SOCKETS),
      STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '1',
      STATUSGRAPH_CACHE_TTL_SETTLED_MS: '1',
    });
    server = await startStatusGraph(config, {
      awsEndpoint: counter.endpoint,
      awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      logger: createLogger('silent'),
    });
    await post(server.url, { query: PAGE, variables: { first: 9 } });
  });
  afterAll(async () => {
    await server?.close();
    await counter?.close();
    await emulator?.close();
  });

  it('ends every call at the configured timeout and never holds more sockets than the pool allows', async () => {
    await fetch(new URL('/_emulator/faults', emulator.endpoint), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hangRate: 1 }),
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(server.url, { query: PAGE, variables: { first: 9 } })));
    for (const answer of answers) {
      const errors = unexpectedErrors(answer.body);
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
        expect(['TimeoutError', 'CircuitOpen']).toContain((error.extensions?.aws as { code?: string } | undefined)?.code);
      }
    }
    expect(counter.peak()).toBeLessThanOrEqual(MAX_SOCKETS);
  }, 60_000);
});

/** Polls a condition of the running stack until it holds, up to 600 looks (the test's own timeout bounds them). */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let look = 0; look < 600; look++) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error(`waited in vain until ${what}`);
}
