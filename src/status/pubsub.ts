// How status changes travel from the poller that saw them to every subscriber that watches them. In-process
// by default; the Redis implementation lets one instance's poller reach subscribers on all instances.
import { EventEmitter } from 'node:events';
import { streamTurns } from './event-loop-turns.js';

export interface StatusPubSub {
  publish(topic: string, message: unknown): Promise<void>;
  /** Calls `onMessage` for every message published on `topic` until the returned function is called. */
  subscribe(topic: string, onMessage: (message: unknown) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** One process, no network: an EventEmitter per topic name. */
export class InProcessPubSub implements StatusPubSub {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Thousands of subscribers may watch one topic; that is the design, not a leak.
    this.emitter.setMaxListeners(0);
  }

  async publish(topic: string, message: unknown): Promise<void> {
    // Each message reaches every subscriber of its topic at once (hundreds of whole-organization streams): a round
    // whose statuses all changed — the recovery after a fault — would otherwise reach them all in one turn of the
    // event loop (a 14 s stall in the 10-minute soak). Publications take the slices the streams share
    // (event-loop-turns.ts); those that wait for a turn wait for the same one, so they keep their order.
    const turn = streamTurns.next();
    if (turn) await turn;
    this.emitter.emit(topic, message);
  }

  async subscribe(topic: string, onMessage: (message: unknown) => void): Promise<() => Promise<void>> {
    this.emitter.on(topic, onMessage);
    return async () => {
      this.emitter.off(topic, onMessage);
    };
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
