// The slices in which every subscriber's stream takes its events: on at once within a slice, then one shared turn of
// the event loop. The clock and the turn are the test's, so nothing here depends on how fast the machine is.
import { describe, expect, it } from 'vitest';
import { eventLoopTurns } from '../../src/status/event-loop-turns.js';

function turnsAt(sliceMs: number) {
  let now = 0;
  const turns: (() => void)[] = [];
  const loop = eventLoopTurns({ sliceMs, now: () => now, yieldTurn: () => new Promise<void>((resolve) => turns.push(resolve)) });
  return {
    loop,
    turns,
    at: (ms: number) => {
      now = ms;
    },
  };
}

describe('eventLoopTurns', () => {
  it('goes on at once within a slice, then makes every caller wait for the same turn, then starts a new slice', async () => {
    const { loop, turns, at } = turnsAt(20);
    for (const ms of [0, 5, 19]) {
      at(ms);
      expect(loop.next()).toBeUndefined();
    }
    at(20);
    const turn = loop.next();
    expect(turn).toBeInstanceOf(Promise);
    at(21);
    expect(loop.next()).toBe(turn);
    expect(turns).toHaveLength(1);

    at(30);
    turns[0]!();
    await turn;
    // The slice starts when the turn comes back.
    at(49);
    expect(loop.next()).toBeUndefined();
    at(50);
    expect(loop.next()).toBeInstanceOf(Promise);
    expect(turns).toHaveLength(2);
  });

  it('starts a new slice after the streams were idle for a slice', () => {
    const { loop, turns, at } = turnsAt(20);
    at(0);
    expect(loop.next()).toBeUndefined();
    at(15);
    expect(loop.next()).toBeUndefined();
    // Nothing asked between 15 and 40: the event loop was free meanwhile.
    at(40);
    expect(loop.next()).toBeUndefined();
    at(59);
    expect(loop.next()).toBeUndefined();
    expect(turns).toHaveLength(0);
  });
});
