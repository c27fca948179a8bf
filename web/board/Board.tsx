// The status board: summary counts on top, filters, and one row per account with a cell per status column,
// a page of rows at a time so a 1,000-account organization renders as fast as a small one.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ConnectionState } from '../shared/graphql-client.js';
import { BoardStore, summaryValueOf, toneOf, type Column, type Filter, type Row } from './board-store.js';
import { countsByUnit, fromSearch, matchesSelection, tagChoices, toCsv, toggleTag, toSearch, type Selection, type UnitNode } from './board-selection.js';
import { TagFilters, UnitTree } from './BoardSelectionControls.js';
import { AccountTimeline } from './AccountTimeline.js';
import { startLiveBoard, type OrganizationInfo, type Summary } from './live-board.js';
import { lookOf, SOURCE_TITLES, TONE_LABELS, type Tone } from './status-labels.js';

/** Rows per page. @default 100 */
const PAGE_SIZE = 100;
/** How often "the last 24 h" moves on, so rows leave the recent filter as they age. @default 60_000 // 1 minute */
const CLOCK_TICK_MS = 60_000;
const FILTER_TONES: readonly Tone[] = ['bad', 'pending', 'error'];

export function Board() {
  const store = useMemo(() => new BoardStore(), []);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [organization, setOrganization] = useState<OrganizationInfo | null | undefined>(undefined);
  const [summary, setSummary] = useState<Summary | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  // The filter and selection start from the URL, and the URL follows them, so a filtered view can be shared.
  const initial = useMemo(() => fromSearch(window.location.search), []);
  const [filter, setFilter] = useState<Filter>(initial.filter);
  const [selection, setSelection] = useState<Selection>(initial.selection);
  const [units, setUnits] = useState<readonly UnitNode[]>([]);
  const [page, setPage] = useState(0);
  const [openAccount, setOpenAccount] = useState<string | null>(null);
  const now = useClock(CLOCK_TICK_MS);

  useEffect(
    () =>
      startLiveBoard(store, { onConnection: setConnection, onOrganization: setOrganization, onSummary: setSummary, onProblem: setProblem, onTree: setUnits }),
    [store],
  );
  useEffect(() => {
    const search = toSearch(selection, filter);
    if (search !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  }, [selection, filter]);

  // `version` is the store's change signal: these are recomputed once per applied batch.
  const columns = useMemo(() => store.allColumns(), [store, version]);
  const selected = useMemo(() => store.allRows().filter((row) => matchesSelection(row, selection)), [store, selection, version]);
  const rows = useMemo(() => store.rowsMatching(filter, now).filter((row) => matchesSelection(row, selection)), [store, filter, selection, version, now]);
  const recentCount = useMemo(() => store.rowsMatching({ kind: 'recent' }, now).filter((row) => matchesSelection(row, selection)).length, [store, selection, version, now]);
  const opened = openAccount === null ? undefined : store.allRows().find((row) => row.id === openAccount);
  // Per OU, the accounts the tag filters keep (the OU choice itself does not shrink the other OUs' counts).
  const unitCounts = useMemo(() => countsByUnit(store.allRows().filter((row) => matchesSelection(row, { ...selection, unitId: null }))), [store, selection, version]);
  const choices = useMemo(() => tagChoices(store.allRows()), [store, version]);
  const pageCount = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const currentPage = Math.min(page, pageCount - 1);
  const visible = rows.slice(currentPage * PAGE_SIZE, (currentPage + 1) * PAGE_SIZE);

  const choose = (next: Filter) => {
    setFilter(next);
    setPage(0);
  };
  const narrow = (next: Selection) => {
    setSelection(next);
    setPage(0);
  };

  return (
    <div className="board">
      <header className="board-header">
        <h1>Account status</h1>
        <div className="organization" data-testid="organization">
          {organization === undefined
            ? 'Reading the organization…'
            : organization === null
              ? 'The server’s credentials are in no organization.'
              : `${organization.id} · ${organization.totalAccounts} accounts · management account ${organization.managementAccountId}`}
        </div>
        <ConnectionBadge state={connection} />
      </header>

      {problem && (
        <div className="problem" role="alert">
          {problem}
        </div>
      )}

      <SummaryCards summary={summary} columns={columns} filter={filter} onChoose={choose} />

      <div className="board-body">
        <UnitTree units={units} counts={unitCounts} total={store.allRows().length} selected={selection.unitId} onSelect={(unitId) => narrow({ ...selection, unitId })} />
        <div className="board-main">
      <TagFilters choices={choices} selection={selection} onToggle={(key, value) => narrow(toggleTag(selection, key, value))} />
      <nav className="filters" aria-label="Filter accounts">
        <FilterButton active={filter.kind === 'all'} onClick={() => choose({ kind: 'all' })}>
          All <span className="count">{selected.length}</span>
        </FilterButton>
        {FILTER_TONES.map((tone) => (
          <FilterButton
            key={tone}
            tone={tone}
            active={filter.kind === 'tone' && filter.tone === tone}
            onClick={() => choose({ kind: 'tone', tone })}
          >
            {TONE_LABELS[tone]} <span className="count">{store.rowsMatching({ kind: 'tone', tone }).filter((row) => matchesSelection(row, selection)).length}</span>
          </FilterButton>
        ))}
        <FilterButton active={filter.kind === 'recent'} onClick={() => choose({ kind: 'recent' })}>
          Changed in the last 24 h <span className="count">{recentCount}</span>
        </FilterButton>
        {filter.kind === 'value' && (
          <FilterButton active onClick={() => choose({ kind: 'all' })}>
            {describeColumn(columns.find((column) => column.key === filter.column))}: {filter.value} ✕
          </FilterButton>
        )}
        <button type="button" className="export" onClick={() => downloadCsv(toCsv(rows, columns))}>
          Export CSV
        </button>
      </nav>

      <table className="accounts" aria-label="Accounts">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">State</th>
            {columns.map((column) => (
              <th scope="col" key={column.key}>
                {describeColumn(column)}
              </th>
            ))}
            <th scope="col">Last changed</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((row) => (
            <AccountRow
              key={row.id}
              row={row}
              columns={columns}
              managementAccountId={organization?.managementAccountId}
              open={row.id === openAccount}
              onOpen={() => setOpenAccount(row.id === openAccount ? null : row.id)}
            />
          ))}
        </tbody>
      </table>
      {visible.length === 0 && <p className="empty">{organization === undefined ? 'Loading accounts…' : 'No account matches this filter.'}</p>}

      <footer className="pager">
        <button type="button" onClick={() => setPage(currentPage - 1)} disabled={currentPage === 0}>
          ‹ Previous
        </button>
        <span data-testid="page">
          Page {currentPage + 1} of {pageCount} · {rows.length} accounts
        </span>
        <button type="button" onClick={() => setPage(currentPage + 1)} disabled={currentPage >= pageCount - 1}>
          Next ›
        </button>
      </footer>
        </div>
        {opened && <AccountTimeline store={store} row={opened} onClose={() => setOpenAccount(null)} />}
      </div>
    </div>
  );
}

/** Hands the CSV of the current view to the browser as a download. */
function downloadCsv(csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'accounts.csv';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The page's clock, read again every `tickMs` (a test's virtual clock moves it too). */
function useClock(tickMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return now;
}

function AccountRow({
  row,
  columns,
  managementAccountId,
  open,
  onOpen,
}: {
  row: Row;
  columns: readonly Column[];
  managementAccountId: string | undefined;
  open: boolean;
  onOpen(): void;
}) {
  const classes = [row.lastChangedAt ? 'changed' : '', open ? 'open' : ''].filter(Boolean).join(' ');
  return (
    // Keyed by the change time too, so the highlight animation plays again on every change.
    <tr data-account-id={row.id} key={`${row.id}:${row.lastChangedAt ?? ''}`} className={classes || undefined}>
      <th scope="row" className="account">
        <button type="button" className="open-history" aria-expanded={open} title="Show this account's history" onClick={onOpen}>
          <span className="name">{row.name ?? '(no name)'}</span>
          <span className="id">
            {row.id}
            {row.id === managementAccountId ? ' · management' : ''}
          </span>
        </button>
      </th>
      <td className="state">{row.state ?? '—'}</td>
      {columns.map((column) => (
        <StatusCell key={column.key} column={column} row={row} />
      ))}
      <td className="last-changed" data-testid="last-changed">
        {row.lastChangedAt ? <time dateTime={row.lastChangedAt}>{new Date(row.lastChangedAt).toLocaleTimeString()}</time> : '—'}
      </td>
    </tr>
  );
}

function StatusCell({ column, row }: { column: Column; row: Row }) {
  const cell = row.cells.get(column.key);
  if (cell === undefined) {
    return (
      <td className="status waiting" data-source={column.source} data-value="">
        …
      </td>
    );
  }
  const look = lookOf(column.source, cell.value);
  const tone = toneOf(column, cell);
  return (
    <td
      className={`status tone-${tone}`}
      data-source={column.source}
      data-value={summaryValueOf(cell)}
      title={cell.error ? `${cell.error.code}: ${cell.error.message}` : (cell.value ?? 'none')}
    >
      <span className="dot" aria-hidden="true" />
      {cell.error ? (
        <>
          <span className="label">{cell.error.code}</span>
          {cell.known && <span className="stale">last known: {look.label}</span>}
        </>
      ) : (
        <span className="label">{look.label}</span>
      )}
    </td>
  );
}

function SummaryCards({ summary, columns, filter, onChoose }: { summary: Summary | undefined; columns: readonly Column[]; filter: Filter; onChoose(filter: Filter): void }) {
  if (summary === undefined) return <section className="summary" aria-label="Summary" data-testid="summary" />;
  return (
    <section className="summary" aria-label="Summary" data-testid="summary">
      <div className="card total">
        <h2>Accounts</h2>
        <div className="big">{summary.totalAccounts}</div>
      </div>
      {summary.sources.map((source) => {
        const column = columns.find((candidate) => candidate.source === source.source && (candidate.region ?? null) === (source.region ?? null));
        const key = column?.key ?? source.source;
        return (
          <div className="card" key={key}>
            <h2>{describeColumn(column ?? { key, source: source.source, region: source.region ?? null })}</h2>
            <ul>
              {source.counts.map(({ value, count }) => {
                const look = lookOf(source.source, value);
                const active = filter.kind === 'value' && filter.column === key && filter.value === value;
                return (
                  <li key={value}>
                    <button
                      type="button"
                      className={`count-button tone-${look.tone}${active ? ' active' : ''}`}
                      data-value={value}
                      onClick={() => onChoose(active ? { kind: 'all' } : { kind: 'value', column: key, value })}
                    >
                      <span className="dot" aria-hidden="true" />
                      <span className="label">{look.label}</span>
                      <span className="count">{count}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function FilterButton({ active, tone, onClick, children }: { active: boolean; tone?: Tone; onClick(): void; children: React.ReactNode }) {
  return (
    <button type="button" className={`filter${tone ? ` tone-${tone}` : ''}${active ? ' active' : ''}`} aria-pressed={active} onClick={onClick}>
      {children}
    </button>
  );
}

function ConnectionBadge({ state }: { state: ConnectionState }) {
  const text = { connecting: 'Connecting…', connected: 'Live', reconnecting: 'Reconnecting…' }[state];
  return (
    <div className={`connection ${state}`} data-testid="connection" data-state={state}>
      <span className="dot" aria-hidden="true" />
      {text}
    </div>
  );
}

function describeColumn(column: Pick<Column, 'source' | 'region'> | undefined): string {
  if (column === undefined) return '';
  return column.region ? `${SOURCE_TITLES[column.source]} (${column.region})` : SOURCE_TITLES[column.source];
}
