// The shutdown sequence with a recorded exit instead of process.exit: a clean stop exits 0, a failed one 1, a stop
// that never ends is cut off by the timer, and a repeated signal starts nothing new.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { drainGraceMs, handleShutdownSignals } from '../../src/server/shutdown.js';

const logger = createLogger('silent');

function recordedShutdown(stop: () => Promise<void>, timeoutMs = 10_000) {
  const exits: number[] = [];
  let stops = 0;
  const handle = handleShutdownSignals({
    timeoutMs,
    logger,
    signals: [],
    exit: (code) => exits.push(code),
    stop: () => {
      stops += 1;
      return stop();
    },
  });
  return { handle, exits, stops: () => stops };
}

describe('handleShutdownSignals', () => {
  it('exits 0 once everything has stopped, and stops once however many signals arrive', async () => {
    const { handle, exits, stops } = recordedShutdown(async () => undefined);
    await Promise.all([handle.shutdown('SIGTERM'), handle.shutdown('SIGTERM'), handle.shutdown('SIGINT')]);
    expect(stops()).toBe(1);
    expect(exits).toEqual([0]);
  });

  it('exits 1 when stopping fails', async () => {
    const { handle, exits } = recordedShutdown(async () => {
      throw new Error('pubsub would not close');
    });
    await handle.shutdown('SIGTERM');
    expect(exits).toEqual([1]);
  });

  it('exits 1 when stopping outlasts the timeout', async () => {
    const { handle, exits } = recordedShutdown(() => new Promise<void>(() => undefined), 50);
    void handle.shutdown('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(exits).toEqual([1]);
  });

  it('gives in-flight requests three quarters of the timeout', () => {
    expect(drainGraceMs(10_000)).toBe(7_500);
  });
});
