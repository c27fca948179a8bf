// The circuit breaker per (service, region), on real SDK calls against the emulator: it opens when a service fails,
// refuses calls without sending them while open, probes once after halfOpenMs, and ignores AWS working as intended.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsCallError, CIRCUIT_OPEN, type AwsServices, type CircuitStateName } from '../../src/aws/index.js';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

const WINDOW_MS = 1_000;
const HALF_OPEN_MS = 300;
/** Enough calls in one window for the breaker to judge (it needs 10). */
const CALLS_TO_TRIP = 12;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ memberAccounts: 3 });
});
afterAll(() => harness.close());
afterEach(() => harness.setFaults({}));

function servicesWithBreaker(transitions: CircuitStateName[] = []): AwsServices {
  return harness.servicesWith({
    maxAttempts: 1,
    circuitBreaker: { windowMs: WINDOW_MS, halfOpenMs: HALF_OPEN_MS, onStateChange: (_key, state) => transitions.push(state) },
  });
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'ok',
    (error: unknown) => error,
  );
}

async function callManagementEnrollment(services: AwsServices, times: number): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  for (let i = 0; i < times; i++) outcomes.push(await settle(services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID)));
  return outcomes;
}

describe('the circuit breaker', () => {
  it('opens when most calls to a service fail, then refuses calls without sending them', async () => {
    const transitions: CircuitStateName[] = [];
    const services = servicesWithBreaker(transitions);
    await harness.setFaults({ errorRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });
    await callManagementEnrollment(services, CALLS_TO_TRIP);
    expect(transitions).toEqual(['open']);

    await harness.resetCalls();
    const refused = await settle(services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID));
    expect(refused).toBeInstanceOf(AwsCallError);
    expect(refused).toMatchObject({ code: CIRCUIT_OPEN, service: 'compute-optimizer', retryable: true, throttled: false });
    expect((await harness.calls())['compute-optimizer:GetEnrollmentStatus'] ?? 0).toBe(0);
    expect(harness.events.at(-1)).toMatchObject({ operation: 'GetEnrollmentStatus', outcome: 'error', errorCode: CIRCUIT_OPEN, attempts: 0 });
  });

  it('lets one probe through after halfOpenMs and closes when the service has healed', async () => {
    const transitions: CircuitStateName[] = [];
    const services = servicesWithBreaker(transitions);
    await harness.setFaults({ errorRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });
    await callManagementEnrollment(services, CALLS_TO_TRIP);
    await harness.setFaults({});
    await sleep(HALF_OPEN_MS);
    await harness.resetCalls();

    const probes = await Promise.all([0, 1, 2].map(() => settle(services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID))));
    expect(probes).toEqual(['ok', 'ok', 'ok']);
    expect(transitions).toEqual(['open', 'half-open', 'closed']);
    expect((await harness.calls())['compute-optimizer:GetEnrollmentStatus']).toBe(3);
  });

  it('opens again when the probe fails', async () => {
    const transitions: CircuitStateName[] = [];
    const services = servicesWithBreaker(transitions);
    await harness.setFaults({ errorRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });
    await callManagementEnrollment(services, CALLS_TO_TRIP);
    await sleep(HALF_OPEN_MS);
    await harness.resetCalls();
    const [probe, next] = await callManagementEnrollment(services, 2);
    expect(probe).toMatchObject({ code: 'InternalServerException' });
    expect(next).toMatchObject({ code: CIRCUIT_OPEN });
    expect(transitions).toEqual(['open', 'half-open', 'open']);
    expect((await harness.calls())['compute-optimizer:GetEnrollmentStatus']).toBe(1);
  });

  it('keeps one circuit per service and region: a failing service does not stop another', async () => {
    const services = servicesWithBreaker();
    await harness.setFaults({ errorRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });
    await callManagementEnrollment(services, CALLS_TO_TRIP);
    expect(await settle(services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID))).toMatchObject({ code: CIRCUIT_OPEN });
    expect(await settle(services.listAccounts())).toBe('ok');
    expect(await settle(services.getFleetwiseRegistration(MANAGEMENT_ACCOUNT_ID, 'us-east-1'))).toBe('ok');
  });

  it('never counts throttling: AWS is working and asks us to slow down', async () => {
    const transitions: CircuitStateName[] = [];
    const services = servicesWithBreaker(transitions);
    await harness.setFaults({ throttleRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });
    const outcomes = await callManagementEnrollment(services, CALLS_TO_TRIP * 2);
    expect(outcomes.every((outcome) => (outcome as AwsCallError).code === 'ThrottlingException')).toBe(true);
    expect(transitions).toEqual([]);
  });

  it('does not open on a few failures among many successes', async () => {
    const transitions: CircuitStateName[] = [];
    const services = servicesWithBreaker(transitions);
    await callManagementEnrollment(services, CALLS_TO_TRIP);
    await harness.setFaults({ errorRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });
    await callManagementEnrollment(services, 3);
    expect(transitions).toEqual([]);
  });
});
