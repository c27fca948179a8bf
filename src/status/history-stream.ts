// Status history as change messages (status-watcher.ts's StatusChangeMessage), for streams that resume after a cursor:
// the recorded events after it, oldest first, a page at a time, then whatever the live stream brings that is newer —
// so a subscriber that reconnects with the last cursor it saw gets exactly what it missed, then the live changes.
import type { StatusEvent, StatusEventFilter, StatusHistory } from './history-port.js';
import type { StatusChangeMessage } from './status-watcher.js';
import { watchKey } from './watchable-kinds.js';

/** Events read from history per query while replaying. @default 1_000 */
const REPLAY_PAGE = 1_000;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A recorded event as a subscriber receives it. Optional members are set one by one, not spread in: a replay maps
 * thousands of events a second, and each spread of a conditional object was an allocation per member.
 */
export function messageOfEvent(event: StatusEvent): StatusChangeMessage {
  const message: Writable<StatusChangeMessage> = {
    key: event.key,
    target: event.target,
    current: event.current,
    changedAt: event.observedAt.toISOString(),
    cursor: event.cursor,
    observedBy: event.observedBy,
  };
  if (event.hasPrevious) message.previous = event.previous;
  if (event.caller !== undefined) message.caller = event.caller;
  if (event.idempotencyKey !== undefined) message.idempotencyKey = event.idempotencyKey;
  if (event.accountId !== undefined) message.accountId = event.accountId;
  return message;
}

/**
 * A recorded event as a stream of account statuses receives it: an event of the creation request that made an account
 * (`request:` key, named to its account) is that account's creation status (`creation:` key) — the status the stream
 * watches once the account joins, so what the replay sent of it and what the stream hears of it live are one status
 * (no repeat of its state when the account joins, no live event dropped or sent twice).
 */
export function asAccountStatus(message: StatusChangeMessage): StatusChangeMessage {
  if (message.target.kind !== 'request' || message.accountId === undefined) return message;
  const target = { kind: 'creation', accountId: message.accountId } as const;
  return { ...message, key: watchKey(target), target };
}

function accountMessageOfEvent(event: StatusEvent): StatusChangeMessage {
  return asAccountStatus(messageOfEvent(event));
}

/**
 * Every event matching `filter` after the cursor, oldest first, a page at a time (a stream hands a page to its
 * subscriber in one go). Throws CursorExpiredError, HistoryUnavailableError.
 */
export async function* replayAfter(history: StatusHistory, filter: StatusEventFilter, after: string): AsyncGenerator<StatusChangeMessage[]> {
  let cursor = after;
  const toMessage = filter.accountStatusesOnly ? accountMessageOfEvent : messageOfEvent;
  for (;;) {
    const events = await history.replay(filter, cursor, REPLAY_PAGE);
    if (events.length > 0) yield events.map(toMessage);
    if (events.length < REPLAY_PAGE) return;
    cursor = events.at(-1)!.cursor;
  }
}

/**
 * A replay that starts before every status it covers is listened to (a resumed whole-organization stream whose
 * directory is still being read): the events after the cursor, then — once they all are (`settled`) — those recorded
 * meanwhile, so none falls between the replay's last read and the topic of a status heard later (the stream's
 * ResumeGate drops a live one that was replayed). A `settled` that fails ends it (the stream ends with that error).
 */
export async function* replayAcross(history: StatusHistory, filter: StatusEventFilter, after: string, settled: Promise<void>): AsyncGenerator<StatusChangeMessage[]> {
  let cursor = after;
  for await (const page of replayAfter(history, filter, cursor)) {
    cursor = page.at(-1)!.cursor!;
    yield page;
  }
  if (!(await settled.then(() => true, () => false))) return;
  yield* replayAfter(history, filter, cursor);
}

/** Where a ResumeGate's messages go: the replayed events, and the live messages it lets through. */
export interface GateOutput {
  replayed(message: StatusChangeMessage): void;
  live(message: StatusChangeMessage): void;
}

/**
 * Orders a resumed stream: live messages that arrive while history is replayed wait; afterwards a message goes out
 * unless its event was replayed (cursor not above the last replayed) or already sent for its status (cursor not
 * above that status's last). A message without a cursor — an error — always goes, and so does a recovery from an error
 * (`recovered`) unless this stream sent its event or a newer one of its status without an error since: a status back
 * to its last recorded value carries that event's cursor again (failures are not history), which the replay may have
 * covered — dropped, the subscriber would keep the error, this stream's or one it saw before it resumed. One per
 * subscriber.
 */
export class ResumeGate {
  private replaying = true;
  private readonly waiting: StatusChangeMessage[] = [];
  private replayedThrough: number;
  private readonly sentThrough = new Map<string, number>();
  /** Statuses a recorded event (replayed or live, with a cursor) went out for. */
  private readonly recorded = new Set<string>();
  /** Statuses whose last message sent was an error. */
  private readonly failing = new Set<string>();

  constructor(
    after: string,
    private readonly out: GateOutput,
  ) {
    this.replayedThrough = Number(after);
  }

  /** A replayed event (oldest first). */
  replayed(message: StatusChangeMessage): void {
    const cursor = Number(message.cursor);
    this.replayedThrough = Math.max(this.replayedThrough, cursor);
    this.sentThrough.set(message.key, Math.max(cursor, this.sentThrough.get(message.key) ?? 0));
    this.recorded.add(message.key);
    this.out.replayed(message);
  }

  /** The cursor the replay has sent every event through (the cursor it resumed after, until one is sent). */
  get through(): number {
    return this.replayedThrough;
  }

  /** Whether the replay is over (live messages go through now). */
  get caughtUpAlready(): boolean {
    return !this.replaying;
  }

  /** Whether a recorded event of this status went out: it is at least as new as a reading taken as the stream opened. */
  sentRecorded(key: string): boolean {
    return this.recorded.has(key);
  }

  /** An error the stream sent itself (a resumed stream's failure now): its recovery goes through as a live one's does. */
  sentFailure(key: string): void {
    this.failing.add(key);
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
    const { key } = message;
    if (message.cursor !== undefined) {
      const cursor = Number(message.cursor);
      const sent = this.sentThrough.get(key) ?? 0;
      const afterError = this.failing.delete(key) || (message.recovered === true && cursor > sent);
      if (!afterError && (cursor <= this.replayedThrough || cursor <= sent)) return;
      this.sentThrough.set(key, Math.max(cursor, sent));
      this.recorded.add(key);
    } else if (message.failure) this.failing.add(key);
    this.out.live(message);
  }
}
