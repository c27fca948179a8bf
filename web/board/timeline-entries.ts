// An account timeline's entries (account-timeline.ts reads and follows them): the recorded events of one account,
// each once by its cursor, newest first — a page read while an event also came live, or a replay after a reconnect,
// would otherwise show it twice. Pure, so the board's model tests run it without a browser.
import type { StatusSource } from '../../examples/generated/graphql.js';
import type { StatusEvent } from './board-store.js';

export interface TimelineEntry {
  readonly cursor: string;
  readonly source: StatusSource;
  readonly region: string | null;
  readonly previous: string | null;
  readonly current: string | null;
  readonly changedAt: string;
  readonly observedBy: string | null;
  readonly caller: string | null;
  readonly firstReading: boolean;
}

/** Newest first: cursors are decimal event ids, increasing in the order events were written. */
function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  return b.cursor.length - a.cursor.length || (b.cursor < a.cursor ? -1 : b.cursor > a.cursor ? 1 : 0);
}

/** The entries of one account, each cursor once. */
export class TimelineEntries {
  private readonly byCursor = new Map<string, TimelineEntry>();
  private sorted: TimelineEntry[] = [];

  /** Adds what is new; answers whether anything was. */
  add(entries: readonly TimelineEntry[]): boolean {
    let added = false;
    for (const entry of entries) {
      if (this.byCursor.has(entry.cursor)) continue;
      this.byCursor.set(entry.cursor, entry);
      added = true;
    }
    if (added) this.sorted = [...this.byCursor.values()].sort(newestFirst);
    return added;
  }

  all(): readonly TimelineEntry[] {
    return this.sorted;
  }
}

/** A subscription event as a timeline entry: only recorded events (with a cursor and an observer) of this account. */
export function entryOfEvent(accountId: string, event: StatusEvent): TimelineEntry | undefined {
  if (event.account.id !== accountId || !event.cursor || !event.observedBy || event.error) return undefined;
  return {
    cursor: event.cursor,
    source: event.source,
    region: event.region ?? null,
    previous: event.previous ?? null,
    current: event.current ?? null,
    changedAt: event.changedAt,
    observedBy: event.observedBy,
    caller: event.caller ?? null,
    firstReading: event.firstReading === true,
  };
}
