import { describe, expect, it } from 'vitest';
import { FaultInjector, faultSettingsSchema } from '../../../src/emulator/core/faults.js';

const OPERATION = 'iotfleetwise:GetRegisterAccountStatus';

/** Dice that roll the given values in order, then keep rolling the last. */
function scriptedDice(...rolls: number[]): () => number {
  let next = 0;
  return () => rolls[Math.min(next++, rolls.length - 1)]!;
}

/** A monotonic clock the test moves by hand. */
function manualClock(startMs = 0) {
  const clock = { nowMs: startMs, read: () => clock.nowMs };
  return clock;
}

describe('FaultInjector', () => {
  it('answers everything untouched when nothing is configured', () => {
    const faults = new FaultInjector();
    expect(faults.decide(OPERATION)).toEqual({ delayMs: 0, outcome: 'answer' });
  });

  it('adds latency plus a share of the jitter', () => {
    const faults = new FaultInjector({ random: scriptedDice(0.5) });
    faults.configure({ latencyMs: 100, jitterMs: 40 });
    expect(faults.decide(OPERATION)).toEqual({ delayMs: 120, outcome: 'answer' });
  });

  it('hangs, throttles or fails the share of requests each rate names', () => {
    const faults = new FaultInjector({ random: scriptedDice(0.1, 0.9, 0.1, 0.9, 0.9, 0.1, 0.9, 0.9, 0.9) });
    faults.configure({ hangRate: 0.5, throttleRate: 0.5, errorRate: 0.5 });

    expect(faults.decide(OPERATION).outcome).toBe('hang');
    expect(faults.decide(OPERATION).outcome).toBe('throttle');
    expect(faults.decide(OPERATION).outcome).toBe('fail');
    expect(faults.decide(OPERATION).outcome).toBe('answer');
  });

  it('applies only to the named operations', () => {
    const faults = new FaultInjector();
    faults.configure({ throttleRate: 1, operations: [OPERATION] });

    expect(faults.decide(OPERATION).outcome).toBe('throttle');
    expect(faults.decide('organizations:ListAccounts').outcome).toBe('answer');
  });

  it('applies only to callers from the named accounts', () => {
    const faults = new FaultInjector();
    faults.configure({ errorRate: 1, accounts: ['111111111111'] });

    expect(faults.decide(OPERATION, '111111111111').outcome).toBe('fail');
    expect(faults.decide(OPERATION, '222222222222').outcome).toBe('answer');
    expect(faults.decide(OPERATION).outcome).toBe('answer');
  });

  it('admits tpsLimit requests per operation per second and throttles the rest until the next second', () => {
    const clock = manualClock(10_000);
    const faults = new FaultInjector({ monotonicNowMs: clock.read });
    faults.configure({ tpsLimit: 2 });

    const firstSecond = [1, 2, 3].map(() => faults.decide(OPERATION).outcome);
    const otherOperation = faults.decide('organizations:ListAccounts').outcome;
    clock.nowMs += 1_000;
    const nextSecond = faults.decide(OPERATION).outcome;

    expect(firstSecond).toEqual(['answer', 'answer', 'throttle']);
    expect(otherOperation).toBe('answer');
    expect(nextSecond).toBe('answer');
  });

  it('forgets its settings when cleared', () => {
    const faults = new FaultInjector();
    faults.configure({ errorRate: 1 });
    faults.clear();
    expect(faults.settings).toEqual({});
    expect(faults.decide(OPERATION).outcome).toBe('answer');
  });
});

describe('faultSettingsSchema', () => {
  it('accepts every documented setting', () => {
    const settings = { latencyMs: 10, jitterMs: 5, throttleRate: 0.1, tpsLimit: 5, errorRate: 0.2, hangRate: 0, operations: [OPERATION] };
    expect(faultSettingsSchema.parse(settings)).toEqual(settings);
  });

  it.each([
    [{ throttleRate: 1.5 }, 'throttleRate'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ tpsLimit: 0 }, 'tpsLimit'],
    [{ operations: ['ListAccounts'] }, 'operations'],
    [{ hangrate: 0.5 }, 'hangrate'],
  ])('refuses %j', (settings, field) => {
    const result = faultSettingsSchema.safeParse(settings);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(field);
  });
});
