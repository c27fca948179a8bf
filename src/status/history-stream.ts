// Status history as change messages (status-watcher.ts's StatusChangeMessage), for streams that resume after a cursor:
// the recorded events after it, oldest first, a page at a time, then whatever the live stream brings that is newer —
// so a subscriber that reconnects with the last cursor it saw gets exactly what it missed, then the live changes.
import type { StatusEvent, StatusEventFilter, StatusHistory } from './history-port.js';
import type { StatusChangeMessage } from './status-watcher.js';

/** Events read from history per query while replaying. @default 1_000 */
const REPLAY_PAGE = 1_000;

/** A recorded event as a subscriber receives it. */
export function messageOfEvent(event: StatusEvent): StatusChangeMessage {
  return {
    key: event.key,
    target: event.target,
    ...(event.hasPrevious ? { previous: event.previous } : {}),
    current: event.current,
    changedAt: event.observedAt.toISOString(),
    cursor: event.cursor,
    observedBy: event.observedBy,
    ...(event.caller === undefined ? {} : { caller: event.caller }),
    ...(event.idempotencyKey === undefined ? {} : { idempotencyKey: event.idempotencyKey }),
    ...(event.accountId === undefined ? {} : { accountId: event.accountId }),
  };
}

/** Every event matching `filter` after the cursor, oldest first. Throws CursorExpiredError, HistoryUnavailableError. */
export async function* replayAfter(history: StatusHistory, filter: StatusEventFilter, after: string): AsyncGenerator<StatusChangeMessage> {
  let cursor = after;
  for (;;) {
    const events = await history.replay(filter, cursor, REPLAY_PAGE);
    for (const event of events) yield messageOfEvent(event);
    if (events.length < REPLAY_PAGE) return;
    cursor = events.at(-1)!.cursor;
  }
}

/**
 * Orders a resumed stream: live messages that arrive while history is replayed wait; afterwards a message goes out
 * unless its event was replayed (cursor not above the last replayed) or already sent for its status (cursor not
 * above that status's last). A message without a cursor — an error — always goes. One per subscriber.
 */
export class ResumeGate {
  private replaying = true;
  private readonly waiting: StatusChangeMessage[] = [];
  private replayedThrough: number;
  private readonly sentThrough = new Map<string, number>();
  /** Statuses a recorded event (replayed or live, with a cursor) went out for. */
  private readonly recorded = new Set<string>();

  constructor(
    after: string,
    private readonly send: (message: StatusChangeMessage) => void,
  ) {
    this.replayedThrough = Number(after);
  }

  /** A replayed event (oldest first). */
  replayed(message: StatusChangeMessage): void {
    this.replayedThrough = Math.max(this.replayedThrough, Number(message.cursor));
    this.recorded.add(message.key);
    this.send(message);
  }

  /** Whether the replay is over (live messages go through now). */
  get caughtUpAlready(): boolean {
    return !this.replaying;
  }

  /** Whether a recorded event of this status went out: it is at least as new as a reading taken as the stream opened. */
  sentRecorded(key: string): boolean {
    return this.recorded.has(key);
  }

  /** A live message: held while replaying. */
  live(message: StatusChangeMessage): void {
    if (this.replaying) this.waiting.push(message);
    else this.forward(message);
  }

  /** Replay done: the held live messages that are new go out, then live ones as they come. */
  caughtUp(): void {
    this.replaying = false;
    for (const message of this.waiting.splice(0)) this.forward(message);
  }

  private forward(message: StatusChangeMessage): void {
    if (message.cursor !== undefined) {
      const cursor = Number(message.cursor);
      if (cursor <= this.replayedThrough || cursor <= (this.sentThrough.get(message.key) ?? 0)) return;
      this.sentThrough.set(message.key, cursor);
      this.recorded.add(message.key);
    }
    this.send(message);
  }
}
