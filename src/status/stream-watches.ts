// The statuses one subscriber's stream watches (status-stream.ts): for each, its topic's listener and its poller's
// watch — added as the stream opens, as accounts join or enter its filter, and dropped, account by account, when an
// account leaves the filter, or all at once when the stream ends. A status dropped is heard no more: a message its
// topic still carries (published before the listener went) is not passed on.
import type { StatusPubSub } from './pubsub.js';
import type { StatusChangeMessage, StatusWatcher, Watch } from './status-watcher.js';
import type { WatchTarget } from './watchable-kinds.js';

export interface StreamWatchHandlers {
  /** A change heard on a watched status's topic. */
  live(message: StatusChangeMessage): void;
  /** A status's current state as its watch begins; absent: not read (a resumed stream learns it from history). */
  readonly current?: (message: StatusChangeMessage) => void;
  /** The current state of a status whose account entered the stream's filter (always read). */
  entered(message: StatusChangeMessage): void;
  /** A status dropped because its account left. */
  left(target: WatchTarget): void;
}

interface Watched {
  readonly target: WatchTarget;
  unsubscribe?: () => Promise<void>;
  watch?: Watch;
  gone?: boolean;
}

export class StreamWatches {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly watcher: StatusWatcher,
    private readonly pubsub: StatusPubSub,
    private readonly handlers: StreamWatchHandlers,
  ) {}

  /** Listens on each status's topic first, then watches it and reads its current state: no change falls between. */
  async add(targets: readonly WatchTarget[], entered = false): Promise<void> {
    const fresh: Watched[] = [];
    for (const target of targets) {
      const topic = this.watcher.topicOf(target);
      if (this.watched.has(topic)) continue;
      const entry: Watched = { target };
      this.watched.set(topic, entry);
      fresh.push(entry);
    }
    await Promise.all(
      fresh.map(async (entry) => {
        entry.unsubscribe = await this.pubsub.subscribe(this.watcher.topicOf(entry.target), (message) => {
          if (!entry.gone) this.handlers.live(message as StatusChangeMessage);
        });
      }),
    );
    const { current, entered: onEntered } = this.handlers;
    for (const entry of fresh) {
      if (entry.gone) continue;
      entry.watch = this.watcher.watch(entry.target);
      const deliver = entered ? onEntered : current;
      if (deliver) void entry.watch.current().then((message) => entry.gone || deliver(message));
    }
  }

  /** Whether this status is watched already. */
  has(target: WatchTarget): boolean {
    return this.watched.has(this.watcher.topicOf(target));
  }

  /** Drops every watched status of these accounts, each told to `left` first. */
  async removeAccounts(accountIds: ReadonlySet<string>): Promise<void> {
    const leaving = [...this.watched].filter(([, entry]) => entry.target.kind !== 'request' && accountIds.has(entry.target.accountId));
    for (const [topic, entry] of leaving) {
      this.drop(topic, entry);
      this.handlers.left(entry.target);
    }
    await Promise.all(leaving.map(([, entry]) => entry.unsubscribe?.()));
  }

  async close(): Promise<void> {
    const all = [...this.watched];
    for (const [topic, entry] of all) this.drop(topic, entry);
    await Promise.all(all.map(([, entry]) => entry.unsubscribe?.()));
  }

  private drop(topic: string, entry: Watched): void {
    entry.gone = true;
    this.watched.delete(topic);
    entry.watch?.release();
  }
}
