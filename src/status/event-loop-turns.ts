// Turns of the event loop shared by every subscriber's stream. A round's changes reach every stream at once: with 200
// whole-organization subscribers of 1,000 accounts that is 600,000 events, each taken by graphql-ws in a chain of
// promises — all microtasks, so the process neither reads a socket nor fires a timer until the last is sent (seconds:
// long enough for graphql-ws to terminate every socket whose pong it could not read, and for every query to wait).
// Streams therefore take events in slices of at most SLICE_MS of this process's time; past it, each waits for the
// next turn of the event loop (Node's scheduler.yield, after the I/O and timers due), so sockets, pings and requests
// are served between slices. Nothing is dropped or reordered: a stream only pauses before taking its next event.
import { scheduler } from 'node:timers/promises';

/** How long streams may take events before they let the event loop turn. @default 20 // ms */
export const SLICE_MS = 20;

export interface EventLoopTurns {
  /** Undefined while the current slice lasts (go on at once); past it, the next turn, shared by every caller. */
  next(): Promise<void> | undefined;
}

export function eventLoopTurns(options: { readonly sliceMs?: number; readonly now?: () => number; readonly yieldTurn?: () => Promise<void> } = {}): EventLoopTurns {
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const now = options.now ?? (() => performance.now());
  const yieldTurn = options.yieldTurn ?? (() => scheduler.yield());
  let sliceStartedAt = now();
  let lastAskedAt = sliceStartedAt;
  let turn: Promise<void> | undefined;
  return {
    next() {
      if (turn) return turn;
      const at = now();
      // Not asked for a slice's length: the streams were idle, and this is a new slice.
      if (at - lastAskedAt >= sliceMs) sliceStartedAt = at;
      lastAskedAt = at;
      if (at - sliceStartedAt < sliceMs) return undefined;
      turn = yieldTurn().then(() => {
        turn = undefined;
        sliceStartedAt = lastAskedAt = now();
      });
      return turn;
    },
  };
}

/** The one every stream of this process shares: the event loop is the process's. */
export const streamTurns = eventLoopTurns();
