// The in-process PubSub lets the event loop turn while it hands out a burst of messages: each reaches every
// subscriber of its topic at once, and a round whose statuses all changed is thousands of messages to hundreds of
// subscribers — one synchronous turn of seconds without it. Each subscriber here works longer than a slice
// (event-loop-turns.ts), so the burst cannot fit in one turn however fast the machine.
import { describe, expect, it } from 'vitest';
import { InProcessPubSub } from '../../src/status/index.js';
import { SLICE_MS } from '../../src/status/event-loop-turns.js';

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a subscriber's work: sending the message on its socket
  }
}

describe('the in-process PubSub under a burst', () => {
  it('lets the event loop turn between slices, and keeps every message in order', async () => {
    const pubsub = new InProcessPubSub();
    const received: number[] = [];
    await pubsub.subscribe('status:x', (message) => {
      received.push(message as number);
      busyFor(SLICE_MS / 4);
    });
    let receivedWhenTheLoopTurned: number | undefined;
    setImmediate(() => (receivedWhenTheLoopTurned = received.length));
    // A round publishes all its changes in one go.
    await Promise.all(Array.from({ length: 40 }, (_, index) => pubsub.publish('status:x', index)));
    expect(received).toEqual(Array.from({ length: 40 }, (_, index) => index));
    expect(receivedWhenTheLoopTurned).toBeDefined();
    expect(receivedWhenTheLoopTurned).toBeLessThan(40);
  });
});
