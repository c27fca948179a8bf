// What goes out to one subscriber of a status stream (status-stream.ts): repeats dropped, the first message of an
// entering account marked, a leaving account's statuses ended, and the newest cursor sent remembered — no message
// carries an older one (a recovery after an outage is back at its status's last, older, event) — or, while a cold
// whole-organization stream still catches its pages up from history, cursors held where nothing older is left.
import type { StatusChangeMessage } from './status-watcher.js';
import type { StreamMessage } from './status-stream.js';
import type { WatchTarget } from './status-service.js';
import { watchKey } from './watchable-kinds.js';

/**
 * What goes out to the subscriber: drops a reading equal to the last one it got for that status (the current-state read
 * and a change heard meanwhile can say the same), marks the first message of a status whose account entered, and
 * ends a status whose account left with a `left` message carrying its last state.
 */
export class Delivery {
  /** The last message sent for each status, whichever way it went: a reading repeating it is no news. */
  private readonly lastSent = new Map<string, StreamMessage>();
  /** Statuses whose last message sent was a replayed event (resume), not a live change or a current state. */
  private readonly lastReplayed = new Set<string>();
  /**
   * The newest history cursor this subscriber has (cursors are numbers in text), if any: the newest sent, or the one
   * it resumed after. A message whose own cursor is older carries this one — everything up to it was sent — so a
   * client resuming after the cursor of the last event it received is sent nothing twice.
   */
  newestCursor: string | undefined;
  /**
   * While set, the newest cursor the stream may send (cursors are numbers in text): a cold whole-organization stream
   * catches each page of the directory up from history on its own, so a later page's earlier events go out after an
   * earlier page's later ones, and a client resuming after the last cursor it saw would miss them. A newer event then
   * carries this cursor instead — everything up to it was sent — and never one older than a cursor already sent.
   */
  cursorBound: (() => string | undefined) | undefined;
  /** Keys of statuses whose account just entered: their first message says so. */
  private readonly entering = new Set<string>();

  /** The newest history cursor when the stream opened ('0': none recorded yet); a resumed stream has none. */
  private readonly startCursor: string | undefined;

  constructor(
    private readonly push: (message: StreamMessage) => void,
    cursors: {
      /** The cursor a resumed subscriber resumed after: it has every event through it. */
      readonly resumedAfter?: string | undefined;
      readonly startCursor?: string | undefined;
    } = {},
  ) {
    this.newestCursor = cursors.resumedAfter;
    this.startCursor = cursors.startCursor;
  }

  /** A message unless it repeats the last one sent for its status (a current state and a change heard meanwhile). */
  once(message: StreamMessage): void {
    if (!this.repeats(message)) this.send(message);
  }

  /** A replayed event of a resumed stream: always sent (it is the record the subscriber asked for), and remembered. */
  replayed(message: StreamMessage): void {
    this.send(message);
    this.lastReplayed.add(message.key);
  }

  /**
   * A live message a resumed stream's gate let through (history-stream.ts: its event was not replayed): sent, unless it
   * is a first reading (no previous) that repeats the last message sent for its status and carries no newer cursor —
   * the first poll of an account that joined, which history found unchanged, after the account's current state went
   * out with the newest cursor the subscriber had. One with a newer cursor goes: that cursor is where the value was
   * recorded (a resumed stream sends every event after its cursor), and a client resuming after it misses nothing.
   */
  live(message: StreamMessage): void {
    if (message.previous === undefined && this.repeats(message) && !this.newerThanSent(message)) return;
    this.send(message);
  }

  /**
   * Whether a live change or a current state was sent for this status (and not forgotten by its account leaving): a
   * reading taken as the stream opened is older than it. A replayed event is not one: it may be older than the reading.
   */
  hasSent(key: string): boolean {
    return this.lastSent.has(key) && !this.lastReplayed.has(key);
  }

  enter(targets: readonly WatchTarget[]): void {
    for (const target of targets) this.entering.add(watchKey(target));
  }

  left(target: WatchTarget): void {
    const key = watchKey(target);
    const last = this.lastSent.get(key);
    const current = last && !last.failure ? (last.current ?? null) : null;
    this.lastSent.delete(key);
    this.lastReplayed.delete(key);
    this.entering.delete(key);
    const cursor = this.cursorHeld;
    this.push({ key, target, previous: current, current, changedAt: new Date().toISOString(), membership: 'left', ...(cursor !== undefined && { cursor }) });
  }

  /** The cursor the subscriber holds: the newest sent (or resumed after), else the stream's start. */
  private get cursorHeld(): string | undefined {
    return this.newestCursor ?? this.startCursor;
  }

  /**
   * A message with no event of its own — a current state, an account entering or joining, a change history could not
   * record yet — carries the cursor the subscriber holds, so every message can be resumed after and cursors never go
   * backwards: a client resuming after the last one it saw gets no event twice and misses none. An error carries none.
   */
  private withCursor(message: StreamMessage): StreamMessage {
    const cursor = this.cursorHeld;
    return cursor !== undefined && message.cursor === undefined && !message.failure ? { ...message, cursor } : message;
  }

  private newerThanSent(message: StreamMessage): boolean {
    const last = this.lastSent.get(message.key)?.cursor;
    return message.cursor !== undefined && (last === undefined || Number(message.cursor) > Number(last));
  }

  private repeats(message: StreamMessage): boolean {
    const last = this.lastSent.get(message.key);
    return last !== undefined && readingOf(last) === readingOf(message);
  }

  private send(sent: StreamMessage): void {
    const message = this.bounded(this.withCursor(sent));
    if (message.cursor !== undefined && (this.newestCursor === undefined || Number(message.cursor) > Number(this.newestCursor))) {
      this.newestCursor = message.cursor;
    }
    this.lastSent.set(message.key, message);
    this.lastReplayed.delete(message.key);
    this.push(this.entering.delete(message.key) ? { ...message, membership: 'entered' } : message);
  }

  private bounded(message: StreamMessage): StreamMessage {
    if (message.cursor === undefined) return message;
    const bound = this.cursorBound?.();
    const own = Number(message.cursor);
    const allowed = bound === undefined ? own : Math.min(own, Number(bound));
    const cursor = this.newestCursor === undefined ? allowed : Math.max(allowed, Number(this.newestCursor));
    return cursor === own ? message : { ...message, cursor: String(cursor) };
  }
}

/** What a message says about its status, to drop a repeat of what the subscriber already has. */
function readingOf(message: StatusChangeMessage): string {
  return message.failure ? `failure:${message.failure.code}` : `status:${message.current}`;
}
