// The board's model, outside React: one row per account, one cell per status column, filled by the directory query
// and the accountStatusChanged stream. Events are applied in batches (the first burst is one per status of every
// account: 3,000 for 1,000 accounts) and React re-renders once per batch through useSyncExternalStore.
import type { StatusSource } from '../../examples/generated/graphql.js';
import { lookOf, NO_STATUS, READ_ERROR, SOURCE_ORDER, type Tone } from './status-labels.js';

export interface Column {
  readonly key: string;
  readonly source: StatusSource;
  readonly region: string | null;
}

export interface Cell {
  /** The status value (an enum name), null = none. Kept while a read error is shown, so the last known state stays. */
  readonly value: string | null;
  /** Whether `value` was ever read (a status that failed from the start has no last known value). */
  readonly known: boolean;
  readonly error?: { readonly code: string; readonly message: string };
  readonly changedAt: string;
}

export interface UnitRef {
  readonly id: string;
  readonly name: string;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface Row {
  readonly id: string;
  readonly name: string | null;
  readonly state: string | null;
  /** Where the account sits: the root, then its OUs from the top level down (empty: not known yet). */
  readonly path: readonly UnitRef[];
  readonly tags: readonly Tag[];
  readonly cells: ReadonlyMap<string, Cell>;
  /** When a status of this row last changed while the board watched it. */
  readonly lastChangedAt: string | null;
}

export interface StatusEvent {
  readonly account: { readonly id: string; readonly name?: string | null; readonly state?: string | null };
  readonly source: StatusSource;
  readonly region?: string | null;
  readonly previous?: string | null;
  readonly current?: string | null;
  readonly changedAt: string;
  /** The history cursor of a recorded event (null on errors). */
  readonly cursor?: string | null;
  /** Set on recorded events: what observed the change. Current-state readings have none. */
  readonly observedBy?: string | null;
  readonly caller?: string | null;
  /** On recorded events: true for a status's first reading (not a change), false for a change. */
  readonly firstReading?: boolean | null;
  readonly error?: { readonly code: string; readonly message: string } | null;
}

/** A change recorded in history, as the "last 24 h" filter reads it. */
export interface RecordedChange {
  readonly accountId: string;
  readonly changedAt: string;
}

/** What "recently" means for the recent filter. @default 86_400_000 // 24 hours */
export const RECENT_MS = 86_400_000;

export type Filter =
  | { readonly kind: 'all' }
  | { readonly kind: 'recent' }
  | { readonly kind: 'tone'; readonly tone: Tone }
  | { readonly kind: 'value'; readonly column: string; readonly value: string };

export function columnKey(source: StatusSource, region: string | null | undefined): string {
  return region ? `${source}@${region}` : source;
}

/** The summary's value for a cell: the status, NONE, or ERROR while it cannot be read. */
export function summaryValueOf(cell: Cell | undefined): string | undefined {
  if (cell === undefined) return undefined;
  if (cell.error) return READ_ERROR;
  return cell.value ?? NO_STATUS;
}

export class BoardStore {
  private rows = new Map<string, Row>();
  /** Changes read from history for accounts the directory has not listed yet. */
  private changesOfUnlisted = new Map<string, string>();
  private columns = new Map<string, Column>();
  private readonly eventListeners = new Set<(events: readonly StatusEvent[]) => void>();
  private sortedRows: Row[] = [];
  private version = 0;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Hears every batch of events as it is applied (an account's open timeline takes its own). */
  listenToEvents(listener: (events: readonly StatusEvent[]) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  allRows(): readonly Row[] {
    return this.sortedRows;
  }

  allColumns(): readonly Column[] {
    return [...this.columns.values()].sort(
      (a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) || (a.region ?? '').localeCompare(b.region ?? ''),
    );
  }

  /** Declares columns known ahead of events (from the summary), so an empty board already shows its layout. */
  addColumns(columns: readonly { source: StatusSource; region?: string | null }[]): void {
    let added = false;
    for (const { source, region } of columns) added = this.ensureColumn(source, region ?? null) || added;
    if (added) this.changed();
  }

  /** Rows for these accounts; a row the directory no longer lists stays only if events named it. */
  setDirectory(
    accounts: readonly {
      id: string;
      name?: string | null;
      state?: string | null;
      path?: readonly UnitRef[] | null;
      tags?: readonly Tag[] | null;
    }[],
  ): void {
    for (const account of accounts) {
      const existing = this.rows.get(account.id);
      this.rows.set(account.id, {
        id: account.id,
        name: account.name ?? existing?.name ?? null,
        state: account.state ?? existing?.state ?? null,
        path: account.path ?? existing?.path ?? [],
        tags: account.tags ?? existing?.tags ?? [],
        cells: existing?.cells ?? new Map(),
        lastChangedAt: latestOf(existing?.lastChangedAt ?? null, this.changesOfUnlisted.get(account.id) ?? null),
      });
      this.changesOfUnlisted.delete(account.id);
    }
    this.changed();
  }

  /** Changes history recorded (before the board watched, or while it was away): they move "Last changed" too. */
  noteRecordedChanges(changes: readonly RecordedChange[]): void {
    if (changes.length === 0) return;
    for (const { accountId, changedAt } of changes) {
      const row = this.rows.get(accountId);
      if (row) this.rows.set(accountId, { ...row, lastChangedAt: latestOf(row.lastChangedAt, changedAt) });
      else this.changesOfUnlisted.set(accountId, latestOf(this.changesOfUnlisted.get(accountId) ?? null, changedAt)!);
    }
    this.changed();
  }

  /**
   * Applies a batch of events. A cell that had a value and now has another counts as a change of its row; the first
   * value of a cell, the same value again (e.g. after a reconnect), a read error and its recovery do not.
   */
  applyEvents(events: readonly StatusEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) {
      this.ensureColumn(event.source, event.region ?? null);
      const key = columnKey(event.source, event.region);
      const row = this.rows.get(event.account.id) ?? {
        id: event.account.id,
        name: event.account.name ?? null,
        state: event.account.state ?? null,
        path: [],
        tags: [],
        cells: new Map<string, Cell>(),
        lastChangedAt: null,
      };
      const previous = row.cells.get(key);
      const cell: Cell = event.error
        ? {
            value: previous?.value ?? null,
            known: previous?.known ?? false,
            error: { code: event.error.code, message: event.error.message },
            changedAt: event.changedAt,
          }
        : { value: event.current ?? null, known: true, changedAt: event.changedAt };
      // Only a status moves "Last changed": a read error, and the recovery from one, leave the value as it was. A
      // change history recorded counts even when the board had not seen the status before (a replay after a reconnect).
      const changed =
        event.firstReading === false || (previous !== undefined && previous.known && cell.error === undefined && previous.value !== cell.value);
      const cells = new Map(row.cells);
      cells.set(key, cell);
      this.rows.set(row.id, {
        ...row,
        name: event.account.name ?? row.name,
        state: event.account.state ?? row.state,
        cells,
        lastChangedAt: changed ? latestOf(row.lastChangedAt, event.changedAt) : row.lastChangedAt,
      });
    }
    this.changed();
    for (const listener of this.eventListeners) listener(events);
  }

  /** The rows a filter keeps; `now` (the page's clock) decides what "the last 24 h" is. */
  rowsMatching(filter: Filter, now: number = Date.now()): readonly Row[] {
    switch (filter.kind) {
      case 'all':
        return this.sortedRows;
      case 'recent':
        return this.sortedRows.filter((row) => row.lastChangedAt !== null && Date.parse(row.lastChangedAt) >= now - RECENT_MS);
      case 'value':
        return this.sortedRows.filter((row) => summaryValueOf(row.cells.get(filter.column)) === filter.value);
      case 'tone': {
        const columns = this.allColumns();
        return this.sortedRows.filter((row) => columns.some((column) => toneOf(column, row.cells.get(column.key)) === filter.tone));
      }
      default: {
        const unreachable: never = filter;
        return unreachable;
      }
    }
  }

  private ensureColumn(source: StatusSource, region: string | null): boolean {
    const key = columnKey(source, region);
    if (this.columns.has(key)) return false;
    this.columns.set(key, { key, source, region });
    return true;
  }

  private changed(): void {
    this.sortedRows = [...this.rows.values()].sort((a, b) => a.id.localeCompare(b.id));
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}

export function toneOf(column: Column, cell: Cell | undefined): Tone | undefined {
  if (cell === undefined) return undefined;
  if (cell.error) return 'error';
  return lookOf(column.source, cell.value).tone;
}

/** The later of two ISO times (either may be missing). */
function latestOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
