// What an operator sees of AWS trouble in /metrics (issue 16, point 8): the retries behind the calls, and each circuit
// breaker's state once a service fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const EVERY_REGISTRATION = '{ organization { accounts { nodes { id fleetwiseRegistration { accountStatus } } } } }';

describe('/metrics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ memberAccounts: 12, env: { STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS: '3' } });
  });
  afterAll(() => stack?.close());

  const metrics = async () => (await fetch(new URL('/metrics', stack.graphqlUrl))).text();

  it('counts the retries behind throttled calls', async () => {
    await stack.setFaults({ throttleRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    try {
      await stack.gql('{ viewer { fleetwiseRegistration { accountStatus } } }');
    } finally {
      await stack.clearFaults();
    }
    const retried = /^statusgraph_aws_retries_total\{[^}]*operation="GetRegisterAccountStatus"[^}]*\} (\d+)/m.exec(await metrics());
    expect(Number(retried?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('shows a circuit breaker open (2) while a service fails, and closed (0) once it answers again', async () => {
    await stack.setFaults({ errorRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    const circuit = async () => /^statusgraph_aws_circuit_state\{[^}]*service="[^"]*fleetwise[^"]*"[^}]*\} (\d)/im.exec(await metrics())?.[1];
    try {
      await expect
        .poll(async () => (await stack.gql(EVERY_REGISTRATION), circuit()), { timeout: 20_000 })
        .toBe('2');
    } finally {
      await stack.clearFaults();
    }
    await expect.poll(async () => (await stack.gql(EVERY_REGISTRATION), circuit()), { timeout: 20_000 }).toBe('0');
  }, 60_000);
});
