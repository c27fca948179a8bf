// StatusPubSub over Redis pub/sub: a change published on any instance reaches the subscribers of every instance.
// Each instance subscribes to a Redis channel once per topic, however many of its subscribers listen, and fans the
// messages out locally. Messages are JSON: StatusChangeMessage is JSON-safe by design.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StatusPubSub } from '../pubsub.js';
import { REDIS_COMMAND_TIMEOUT_MS, type RedisConnection } from './connection.js';

/** @default 'statusgraph:v1:topic:' */
export const DEFAULT_TOPIC_PREFIX = 'statusgraph:v1:topic:';

export interface RedisPubSubOptions {
  readonly connection: RedisConnection;
  /** Prepended to every topic to make its channel name. @default DEFAULT_TOPIC_PREFIX */
  readonly channelPrefix?: string;
}

export class RedisPubSub implements StatusPubSub {
  private readonly connection: RedisConnection;
  private readonly prefix: string;
  private readonly local = new EventEmitter();
  private readonly listeners = new Map<string, number>();
  /** Per topic with listeners: the SUBSCRIBE's confirmation, which later listeners of the topic wait for too. */
  private readonly confirmations = new Map<string, Promise<unknown>>();
  private readonly onChannelMessage = (channel: string, payload: string) => {
    if (!channel.startsWith(this.prefix)) return;
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    this.local.emit(channel.slice(this.prefix.length), message);
  };

  constructor(options: RedisPubSubOptions) {
    this.connection = options.connection;
    this.prefix = options.channelPrefix ?? DEFAULT_TOPIC_PREFIX;
    // Thousands of subscribers may watch one topic; that is the design, not a leak.
    this.local.setMaxListeners(0);
    this.connection.subscriber.on('message', this.onChannelMessage);
  }

  /** Rejects while Redis is away: the change is not delivered anywhere, and the poller's holder republishes later. */
  async publish(topic: string, message: unknown): Promise<void> {
    await this.connection.commands.publish(this.prefix + topic, JSON.stringify(message));
  }

  /**
   * Resolves once Redis confirmed the channel subscription, so no message published after it is missed. While Redis
   * is away it resolves at once: ioredis sends the SUBSCRIBE when Redis returns, and messages resume then.
   */
  async subscribe(topic: string, onMessage: (message: unknown) => void): Promise<() => Promise<void>> {
    this.local.on(topic, onMessage);
    const count = (this.listeners.get(topic) ?? 0) + 1;
    this.listeners.set(topic, count);
    if (count === 1) {
      this.confirmations.set(topic, this.connection.subscriber.subscribe(this.prefix + topic).catch(() => undefined));
    }
    // Bounded: Redis may go away after this check, and a subscriber must still get its current state meanwhile.
    if (this.connection.up) {
      await Promise.race([this.confirmations.get(topic), sleep(REDIS_COMMAND_TIMEOUT_MS, undefined, { ref: false })]);
    }
    let unsubscribed = false;
    return async () => {
      if (unsubscribed) return;
      unsubscribed = true;
      this.local.off(topic, onMessage);
      const left = (this.listeners.get(topic) ?? 1) - 1;
      if (left > 0) {
        this.listeners.set(topic, left);
        return;
      }
      this.listeners.delete(topic);
      this.confirmations.delete(topic);
      // While Redis is away the UNSUBSCRIBE waits for it (ioredis queues it); nobody should wait with it.
      const confirmed = this.connection.subscriber.unsubscribe(this.prefix + topic).catch(() => undefined);
      if (this.connection.up) await Promise.race([confirmed, sleep(REDIS_COMMAND_TIMEOUT_MS, undefined, { ref: false })]);
    };
  }

  async close(): Promise<void> {
    this.connection.subscriber.off('message', this.onChannelMessage);
    this.local.removeAllListeners();
    this.listeners.clear();
    this.confirmations.clear();
  }
}
