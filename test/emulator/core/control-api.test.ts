import { describe, expect, it } from 'vitest';
import { createEmulator, type EmulatorResponse } from '../../../src/emulator/emulator.js';
import { createAwsWorld } from '../../../src/emulator/services/index.js';
import { allTestServices, signRequest, TestIdentity } from './fixtures.js';

function setup() {
  const emulator = createEmulator({ services: allTestServices(), identity: new TestIdentity() });
  const control = async (method: string, resource: string, body?: unknown) => {
    const response = await emulator.handle({
      method,
      path: `/_emulator/${resource}`,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
    });
    return { status: response.status, body: parse(response), headers: response.headers };
  };
  const getEnrollmentStatus = async () =>
    emulator.handle(
      await signRequest(
        { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'ComputeOptimizerService.GetEnrollmentStatus' }, body: '{}' },
        { service: 'compute-optimizer' },
      ),
    );
  return { emulator, control, getEnrollmentStatus };
}

function parse(response: EmulatorResponse): unknown {
  const text = Buffer.from(response.body).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

describe('control API', () => {
  it('reports health', async () => {
    const { control } = setup();
    expect(await control('GET', 'health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('counts calls per operation and zeroes them on DELETE', async () => {
    const { control, getEnrollmentStatus } = setup();
    await getEnrollmentStatus();
    await getEnrollmentStatus();

    expect((await control('GET', 'calls')).body).toEqual({ 'compute-optimizer:GetEnrollmentStatus': 2 });
    expect(await control('DELETE', 'calls')).toMatchObject({ status: 200, body: {} });
    expect((await control('GET', 'calls')).body).toEqual({});
  });

  it('stores fault settings, reads them back and clears them', async () => {
    const { control } = setup();
    const settings = { throttleRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] };

    expect(await control('PUT', 'faults', settings)).toMatchObject({ status: 200, body: settings });
    expect((await control('GET', 'faults')).body).toEqual(settings);
    expect(await control('DELETE', 'faults')).toMatchObject({ status: 200, body: {} });
    expect((await control('GET', 'faults')).body).toEqual({});
  });

  it.each([
    ['a rate above 1', { errorRate: 2 }, 'errorRate'],
    ['an unknown setting', { slowness: 1 }, 'slowness'],
    ['an operation the emulator does not serve', { throttleRate: 1, operations: ['organizations:DeleteOrganization'] }, 'organizations:DeleteOrganization'],
    ['a body that is not JSON', '{latencyMs: 5', 'JSON object'],
  ])('refuses %s with 400, says why, and keeps the previous settings', async (_case, body, named) => {
    const { control } = setup();
    await control('PUT', 'faults', { latencyMs: 5 });

    const response = await control('PUT', 'faults', body);

    expect(response.status).toBe(400);
    expect((response.body as { message: string }).message).toContain(named);
    expect((await control('GET', 'faults')).body).toEqual({ latencyMs: 5 });
  });

  it('applies faults to the operations they name: throttled with the service’s own error, and still counted', async () => {
    const { control, getEnrollmentStatus } = setup();
    await control('PUT', 'faults', { throttleRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'] });

    const throttled = await getEnrollmentStatus();

    expect(throttled.status).toBe(429);
    expect(parse(throttled)).toEqual({ __type: 'com.amazonaws.computeoptimizer#ThrottlingException', message: 'Rate exceeded' });
    expect((await control('GET', 'calls')).body).toEqual({ 'compute-optimizer:GetEnrollmentStatus': 1 });
  });

  it('answers errorRate faults with the service’s 5xx', async () => {
    const { control, getEnrollmentStatus } = setup();
    await control('PUT', 'faults', { errorRate: 1 });

    const failed = await getEnrollmentStatus();

    expect(failed.status).toBe(500);
    expect(parse(failed)).toMatchObject({ __type: 'com.amazonaws.computeoptimizer#InternalServerException' });
  });

  it('keeps a hung request open until its signal aborts', async () => {
    const { emulator, control } = setup();
    await control('PUT', 'faults', { hangRate: 1 });
    const abandoned = new AbortController();
    const request = await signRequest(
      { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'ComputeOptimizerService.GetEnrollmentStatus' }, body: '{}' },
      { service: 'compute-optimizer' },
    );

    let settled = false;
    const answer = emulator.handle({ ...request, signal: abandoned.signal });
    answer.then(() => (settled = true), () => (settled = true));
    await new Promise((resolve) => setImmediate(resolve)); // every pending promise job has run by now
    const settledBeforeAbort = settled;
    abandoned.abort();

    expect(settledBeforeAbort).toBe(false);
    await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('settles hung requests when the emulator closes', async () => {
    const { emulator, control, getEnrollmentStatus } = setup();
    await control('PUT', 'faults', { hangRate: 1 });

    const answer = getEnrollmentStatus();
    emulator.close();

    await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('answers unknown resources with 404 and wrong methods with 405', async () => {
    const { control } = setup();
    expect((await control('GET', 'nothing')).status).toBe(404);
    expect(await control('POST', 'calls')).toMatchObject({ status: 405, headers: { allow: 'GET, DELETE' } });
  });
});

describe('control API over the emulated world', () => {
  function worldSetup() {
    let now = new Date('2030-03-01T12:00:00.000Z');
    const world = createAwsWorld({ memberAccounts: 3, delayMs: 1_000, clock: () => now });
    const emulator = createEmulator({ services: world.services, identity: world.identity, world: world.control, clock: () => now });
    const control = async (method: string, resource: string, body?: unknown) => {
      const response = await emulator.handle({
        method,
        path: `/_emulator/${resource}`,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      });
      return { status: response.status, body: parse(response) as any };
    };
    return { control, advance: (ms: number) => (now = new Date(now.getTime() + ms)), now: () => now };
  }

  it('holds the demo organization\'s creation in progress past its delay, then releases it at the release time', async () => {
    const { control, advance, now } = worldSetup();
    const held = await control('POST', 'transitions/hold', { keys: ['creation:*'] });
    expect(held.status).toBe(200);
    expect(held.body.held).toHaveLength(1);
    const key = (held.body.held as string[])[0]!;
    advance(60_000);
    expect((await control('GET', 'transitions')).body).toEqual({ holds: ['creation:*'], inFlight: [{ key, value: 'IN_PROGRESS' }] });

    expect((await control('POST', 'transitions/release', {})).body).toEqual({ released: [key] });
    const history = (await control('POST', 'history', { keys: [key] })).body[key];
    expect(history.at(-1)).toEqual({ at: now().toISOString(), value: 'SUCCEEDED' });
    expect((await control('GET', 'transitions')).body).toEqual({ holds: [], inFlight: [] });
  });

  it('invalidates sessions on DELETE /_emulator/sessions', async () => {
    const { control } = worldSetup();
    expect(await control('DELETE', 'sessions')).toMatchObject({ status: 200, body: { invalidated: 0 } });
  });

  it.each([
    ['transitions/hold', { keys: ['nothing:*'] }],
    ['transitions/release', { keys: [] }],
    ['history', { keys: ['fleetwise:1'] }],
  ])('refuses a bad body for %s with 400', async (resource, body) => {
    const { control } = worldSetup();
    const answer = await control('POST', resource, body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^Invalid /);
  });
});
