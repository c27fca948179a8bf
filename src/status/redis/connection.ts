// The two Redis connections of one instance — one for commands, one in subscriber mode (Redis allows nothing else on
// a subscribed connection) — and whether Redis answers now. ioredis reconnects by itself and resubscribes the
// channels; this class only turns its connection events into one up/down state that the cache, the PubSub, the
// leases, /readyz and /metrics can read.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * How long one command may take before it fails: past it the cache answers from AWS directly rather than wait.
 * @default 1_000 // 1 second
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/** The longest pause between two reconnection attempts. @default 2_000 // 2 seconds */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** Reconnection back-off step: attempt n waits n times this. @default 100 // ms */
const RECONNECT_STEP_MS = 100;

export interface RedisConnectionOptions {
  /** redis://[:password@]host:port[/db] or rediss:// for TLS. */
  readonly url: string;
  /** Shown by CLIENT LIST, so an operator can tell the instances apart. */
  readonly name: string;
  /** Told on every change between up and down, with the error that brought it down when there was one. */
  readonly onStateChange?: (up: boolean, error?: Error) => void;
  /** @default REDIS_COMMAND_TIMEOUT_MS */
  readonly commandTimeoutMs?: number;
}

export class RedisConnection {
  /** Commands fail at once while Redis is away (no offline queue), so callers fall back instead of waiting. */
  readonly commands: Redis;
  /** Subscriber mode; SUBSCRIBE calls made while Redis is away wait for it, and ioredis resubscribes on reconnect. */
  readonly subscriber: Redis;
  private wasUp = false;
  private everUp = false;
  private lastError: Error | undefined;
  private readonly upListeners = new Set<() => void>();
  private readonly onStateChange: (up: boolean, error?: Error) => void;

  constructor(options: RedisConnectionOptions) {
    this.onStateChange = options.onStateChange ?? (() => undefined);
    const common: RedisOptions = {
      retryStrategy: (attempt) => Math.min(attempt * RECONNECT_STEP_MS, MAX_RECONNECT_DELAY_MS),
    };
    this.commands = new Redis(options.url, {
      ...common,
      connectionName: `${options.name}:commands`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS,
    });
    this.subscriber = new Redis(options.url, {
      ...common,
      connectionName: `${options.name}:subscriber`,
      maxRetriesPerRequest: null,
      autoResubscribe: true,
    });
    for (const client of [this.commands, this.subscriber]) {
      client.on('ready', () => this.update());
      client.on('close', () => this.update());
      client.on('end', () => this.update());
      // Without a listener ioredis prints every failed reconnection; the state change is reported once instead.
      client.on('error', (error: Error) => {
        this.lastError = error;
        this.update();
      });
    }
  }

  /** Both connections are ready: commands are answered and published changes are heard. */
  get up(): boolean {
    return this.commands.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Calls `listener` each time Redis comes back up (not at the first connection). */
  onReconnect(listener: () => void): () => void {
    this.upListeners.add(listener);
    return () => this.upListeners.delete(listener);
  }

  /** Resolves true once both connections are ready, or false after `timeoutMs`. */
  waitUntilUp(timeoutMs: number): Promise<boolean> {
    if (this.up) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!this.up) return;
        finish(true);
      };
      const finish = (up: boolean) => {
        clearTimeout(timer);
        this.commands.off('ready', check);
        this.subscriber.off('ready', check);
        resolve(up);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.commands.on('ready', check);
      this.subscriber.on('ready', check);
    });
  }

  /** QUIT when Redis answers (pending replies arrive first), else just drop the sockets: never waits for Redis. */
  async close(): Promise<void> {
    this.upListeners.clear();
    await Promise.all(
      [this.commands, this.subscriber].map(async (client) => {
        if (client.status === 'ready') {
          await Promise.race([client.quit().catch(() => undefined), sleep(REDIS_COMMAND_TIMEOUT_MS, undefined, { ref: false })]);
        }
        client.disconnect();
      }),
    );
  }

  private update(): void {
    const up = this.up;
    if (up === this.wasUp) return;
    const reconnected = up && this.everUp;
    this.wasUp = up;
    this.everUp ||= up;
    this.onStateChange(up, up ? undefined : this.lastError);
    if (up) this.lastError = undefined;
    if (reconnected) for (const listener of this.upListeners) listener();
  }
}
