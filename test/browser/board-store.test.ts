// The status board's model (web/board/board-store.ts) on its own: which events count as a change of a row, how a
// read error keeps the last known status, and what each filter shows; an account timeline's entries, each once.
import { describe, expect, it } from 'vitest';
import { entryOfEvent, TimelineEntries } from '../../web/board/timeline-entries.js';
import { BoardStore, columnKey, RECENT_MS, type StatusEvent } from '../../web/board/board-store.js';

const FLEETWISE = columnKey('FLEETWISE_REGISTRATION', 'us-east-1');

function fleetwise(accountId: string, current: string | null, changedAt: string, error?: { code: string; message: string }): StatusEvent {
  return { account: { id: accountId }, source: 'FLEETWISE_REGISTRATION', region: 'us-east-1', current, changedAt, error: error ?? null };
}

function rowOf(store: BoardStore, id: string) {
  const row = store.allRows().find((candidate) => candidate.id === id);
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

describe('the board store', () => {
  it('counts neither the first status of a cell nor the same status again as a change', () => {
    const store = new BoardStore();
    store.setDirectory([{ id: '111111111111', name: 'one' }]);
    store.applyEvents([fleetwise('111111111111', null, '2026-01-01T00:00:00Z')]);
    store.applyEvents([fleetwise('111111111111', null, '2026-01-01T00:01:00Z')]);
    expect(rowOf(store, '111111111111').lastChangedAt).toBeNull();
  });

  it('records when a cell takes a different status', () => {
    const store = new BoardStore();
    store.applyEvents([fleetwise('111111111111', null, '2026-01-01T00:00:00Z')]);
    store.applyEvents([fleetwise('111111111111', 'REGISTRATION_PENDING', '2026-01-01T00:02:00Z')]);
    const row = rowOf(store, '111111111111');
    expect(row.lastChangedAt).toBe('2026-01-01T00:02:00Z');
    expect(row.cells.get(FLEETWISE)?.value).toBe('REGISTRATION_PENDING');
  });

  it('keeps the last known status under a read error, and knows none when the first reading failed', () => {
    const store = new BoardStore();
    store.applyEvents([
      fleetwise('111111111111', 'REGISTRATION_SUCCESS', '2026-01-01T00:00:00Z'),
      fleetwise('111111111111', null, '2026-01-01T00:01:00Z', { code: 'THROTTLED', message: 'slow down' }),
      fleetwise('222222222222', null, '2026-01-01T00:01:00Z', { code: 'AWS_ACCESS_DENIED', message: 'no' }),
    ]);
    expect(rowOf(store, '111111111111').cells.get(FLEETWISE)).toMatchObject({ value: 'REGISTRATION_SUCCESS', known: true, error: { code: 'THROTTLED' } });
    expect(rowOf(store, '222222222222').cells.get(FLEETWISE)).toMatchObject({ known: false, error: { code: 'AWS_ACCESS_DENIED' } });
  });

  it('moves "Last changed" only when the value changed, not for a read error or the recovery from it', () => {
    const store = new BoardStore();
    store.applyEvents([
      fleetwise('111111111111', 'REGISTRATION_SUCCESS', '2026-01-01T00:00:00Z'),
      fleetwise('111111111111', null, '2026-01-01T00:01:00Z', { code: 'UPSTREAM_UNAVAILABLE', message: 'try again later' }),
      fleetwise('111111111111', 'REGISTRATION_SUCCESS', '2026-01-01T00:02:00Z'),
    ]);
    expect(rowOf(store, '111111111111').lastChangedAt).toBeNull();
  });

  it('filters rows by tone and by one value of one column', () => {
    const store = new BoardStore();
    store.applyEvents([
      fleetwise('111111111111', 'REGISTRATION_PENDING', '2026-01-01T00:00:00Z'),
      fleetwise('222222222222', 'REGISTRATION_FAILURE', '2026-01-01T00:00:00Z'),
      fleetwise('333333333333', null, '2026-01-01T00:00:00Z', { code: 'THROTTLED', message: 'slow down' }),
      fleetwise('444444444444', null, '2026-01-01T00:00:00Z'),
    ]);
    const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);
    expect(ids(store.rowsMatching({ kind: 'all' }))).toEqual(['111111111111', '222222222222', '333333333333', '444444444444']);
    expect(ids(store.rowsMatching({ kind: 'tone', tone: 'pending' }))).toEqual(['111111111111']);
    expect(ids(store.rowsMatching({ kind: 'tone', tone: 'bad' }))).toEqual(['222222222222']);
    expect(ids(store.rowsMatching({ kind: 'tone', tone: 'error' }))).toEqual(['333333333333']);
    expect(ids(store.rowsMatching({ kind: 'value', column: FLEETWISE, value: 'NONE' }))).toEqual(['444444444444']);
    expect(ids(store.rowsMatching({ kind: 'value', column: FLEETWISE, value: 'ERROR' }))).toEqual(['333333333333']);
  });

  it('adds a row for an account the directory did not list yet, such as one just created', () => {
    const store = new BoardStore();
    store.setDirectory([{ id: '111111111111', name: 'one' }]);
    store.applyEvents([{ ...fleetwise('999999999999', null, '2026-01-01T00:00:00Z'), account: { id: '999999999999', name: 'new' } }]);
    expect(rowOf(store, '999999999999').name).toBe('new');
    expect(store.allRows()).toHaveLength(2);
  });

  it('keeps for "the last 24 h" the rows whose change, recorded or seen live, is no older than a day by the given clock', () => {
    const store = new BoardStore();
    const now = Date.parse('2026-01-02T12:00:00Z');
    // History's changes may name accounts before the directory lists them.
    store.noteRecordedChanges([
      { accountId: '111111111111', changedAt: '2026-01-02T00:00:00Z' },
      { accountId: '222222222222', changedAt: '2026-01-01T11:59:00Z' },
    ]);
    store.setDirectory([{ id: '111111111111' }, { id: '222222222222' }, { id: '333333333333' }]);
    // A first reading is no change; a recorded change counts even for a status the board had not seen.
    store.applyEvents([
      { ...fleetwise('333333333333', 'REGISTRATION_PENDING', '2026-01-02T11:00:00Z'), cursor: '7', observedBy: 'POLL', firstReading: true },
    ]);
    const ids = (at: number) => store.rowsMatching({ kind: 'recent' }, at).map((row) => row.id);
    expect(ids(now)).toEqual(['111111111111']);
    store.applyEvents([
      { ...fleetwise('333333333333', 'REGISTRATION_SUCCESS', '2026-01-02T11:30:00Z'), cursor: '9', observedBy: 'POLL', firstReading: false },
    ]);
    expect(ids(now)).toEqual(['111111111111', '333333333333']);
    expect(ids(now + RECENT_MS)).toEqual([]);
  });

  it('shows each recorded event of the account once in its timeline, newest first, whichever way it came', () => {
    const timeline = new TimelineEntries();
    const recorded = (cursor: string, accountId = '111111111111'): StatusEvent => ({
      ...fleetwise(accountId, 'REGISTRATION_PENDING', '2026-01-01T00:00:00Z'),
      cursor,
      observedBy: 'MUTATION',
      firstReading: false,
    });
    const entries = (events: StatusEvent[]) => events.flatMap((event) => entryOfEvent('111111111111', event) ?? []);
    expect(timeline.add(entries([recorded('9'), recorded('10')]))).toBe(true);
    // A page read meanwhile, a replay after a reconnect: the same cursors again add nothing.
    expect(timeline.add(entries([recorded('10'), recorded('9')]))).toBe(false);
    // Current-state readings (no observer), errors and other accounts' events are no timeline entries.
    expect(entries([{ ...recorded('11'), observedBy: null }, { ...recorded('12'), error: { code: 'THROTTLED', message: 'x' } }, recorded('13', '222222222222')])).toEqual([]);
    expect(timeline.all().map((entry) => entry.cursor)).toEqual(['10', '9']);
  });
});
