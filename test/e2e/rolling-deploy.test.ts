// Rolling deploys on the real process (issue 16, point 5): SIGTERM makes /readyz fail first while requests are still
// served (STATUSGRAPH_READINESS_GRACE_MS), then in-flight requests and WebSockets drain and the process exits 0 by
// itself — the shutdown timeout is set far beyond the test's own, so an exit 1 by the timer cannot pass for a clean one.
// A client here behaves as a load balancer does: it sends work while /readyz says ready, and no request it sent fails.
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';
import { startBalancedLoad } from '../support/balanced-load.js';
import { startMainProcess, type MainProcess } from '../support/main-process.js';
import { connect, post, runOverSocket } from './hardening-support.js';

const QUERY = '{ viewer { id fleetwiseRegistration { accountStatus } } }';
const WATCH = 'subscription { accountStatusChanged(accountIds: ["000000000000"], sources: [CREATION_REQUEST]) { accountId } }';
/** Far beyond any test's timeout: an exit before it is the process's own. */
const NEVER_FORCED = { STATUSGRAPH_SHUTDOWN_TIMEOUT_MS: '600000' };

let emulator: RunningEmulator;
const children: ChildProcess[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, memberAccounts: 3, delayMs: 600_000 });
});
afterEach(async () => {
  await fetch(new URL('/_emulator/faults', emulator.endpoint), { method: 'DELETE' });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  await emulator.close();
});

async function startMain(variables: Record<string, string>): Promise<MainProcess> {
  const main = await startMainProcess(emulator.endpoint, variables);
  children.push(main.child);
  return main;
}

async function readiness(main: MainProcess): Promise<number> {
  return (await fetch(new URL('/readyz', main.url))).status;
}

describe('SIGTERM', () => {
  it('ends a demo-mode instance with an open WebSocket and a kept-alive connection: 1001, exit 0', async () => {
    const main = await startMain({ ...NEVER_FORCED, STATUSGRAPH_BACKEND: 'emulator' });
    const socket = await connect(main.url);
    await runOverSocket(socket, 'watch', { query: WATCH });
    // fetch keeps this connection alive afterwards: an idle keep-alive socket must not hold the process.
    expect((await post(main.url, { query: '{ viewer { id } }' })).status).toBe(200);

    main.signal('SIGTERM');

    expect(await socket.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(await main.exited).toBe(0);
  }, 60_000);

  it('fails /readyz first while still serving, then drains in-flight requests and exits 0: no request fails', async () => {
    const main = await startMain({ ...NEVER_FORCED, STATUSGRAPH_READINESS_GRACE_MS: '5000' });
    await fetch(new URL('/_emulator/faults', emulator.endpoint), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 300, operations: ['iotfleetwise:GetRegisterAccountStatus'] }),
    });
    expect(await readiness(main)).toBe(200);
    // The load: four clients, each sending while the instance says it is ready, as a load balancer would.
    const load = startBalancedLoad(main.url, QUERY, 4);
    await load.answered(8);

    main.signal('SIGTERM');
    await expect.poll(() => readiness(main), { timeout: 10_000 }).toBe(503);
    // Still served while a load balancer takes the instance out.
    const duringGrace = await post(main.url, { query: QUERY });
    expect(duringGrace.status).toBe(200);
    await load.stop();

    expect(await main.exited).toBe(0);
    expect(load.statuses.length).toBeGreaterThan(8);
    expect(load.statuses.filter((status) => status !== 200)).toEqual([]);
  }, 60_000);
});
