// How status changes travel from the poller that saw them to every subscriber that watches them. In-process
// by default; the Redis implementation lets one instance's poller reach subscribers on all instances.
import { EventEmitter } from 'node:events';

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
