// What the board narrows its table to beyond the status filter — an OU (its descendants included) and tags — how
// that choice lives in the URL (so a filtered view can be shared), the counts per OU for the tree, and the CSV of
// the current view. Pure functions over the BoardStore's rows.
import { columnKey, summaryValueOf, type Column, type Filter, type Row } from './board-store.js';
import type { Tone } from './status-labels.js';

const TONES: readonly Tone[] = ['good', 'pending', 'bad', 'idle', 'error', 'unknown'];

export interface UnitNode {
  readonly id: string;
  readonly name: string;
  readonly children?: readonly UnitNode[];
}

/** The tree under `rootId` from a flat list of OUs that name their parent. */
export function unitTree(rootId: string, units: readonly { id: string; name: string; parentId: string }[]): UnitNode[] {
  const childrenOf = (parentId: string): UnitNode[] =>
    units.filter((unit) => unit.parentId === parentId).map((unit) => ({ id: unit.id, name: unit.name, children: childrenOf(unit.id) }));
  return childrenOf(rootId);
}

export interface Selection {
  /** Accounts under this OU (descendants included); null: every account. */
  readonly unitId: string | null;
  /** Tag key → accepted values: keys AND-ed, a key's values OR-ed. */
  readonly tags: ReadonlyMap<string, readonly string[]>;
}

export const EMPTY_SELECTION: Selection = { unitId: null, tags: new Map() };

/** The board's state in the URL: `?ou=<id>&tag=<key>=<value>&…&status=recent|tone:<tone>|value:<column>:<value>`. */
export function fromSearch(search: string): { selection: Selection; filter: Filter } {
  const params = new URLSearchParams(search);
  const tags = new Map<string, string[]>();
  for (const pair of params.getAll('tag')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = pair.slice(0, at);
    tags.set(key, [...(tags.get(key) ?? []), pair.slice(at + 1)]);
  }
  return { selection: { unitId: params.get('ou'), tags }, filter: filterFromText(params.get('status')) };
}

export function toSearch(selection: Selection, filter: Filter): string {
  const params = new URLSearchParams();
  if (selection.unitId !== null) params.set('ou', selection.unitId);
  for (const [key, values] of selection.tags) for (const value of values) params.append('tag', `${key}=${value}`);
  const status = filterToText(filter);
  if (status !== null) params.set('status', status);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function filterToText(filter: Filter): string | null {
  switch (filter.kind) {
    case 'all':
      return null;
    case 'recent':
      return 'recent';
    case 'tone':
      return `tone:${filter.tone}`;
    case 'value':
      return `value:${filter.column}:${filter.value}`;
    default:
      return null;
  }
}

function filterFromText(text: string | null): Filter {
  if (text === 'recent') return { kind: 'recent' };
  if (text?.startsWith('tone:')) {
    const tone = text.slice('tone:'.length) as Tone;
    if (TONES.includes(tone)) return { kind: 'tone', tone };
  }
  if (text?.startsWith('value:')) {
    const rest = text.slice('value:'.length);
    const at = rest.lastIndexOf(':');
    if (at > 0) return { kind: 'value', column: rest.slice(0, at), value: rest.slice(at + 1) };
  }
  return { kind: 'all' };
}

export function matchesSelection(row: Row, selection: Selection): boolean {
  if (selection.unitId !== null && !row.path.some((unit) => unit.id === selection.unitId)) return false;
  for (const [key, values] of selection.tags) {
    const tag = row.tags.find((candidate) => candidate.key === key);
    if (tag === undefined || (values.length > 0 && !values.includes(tag.value))) return false;
  }
  return true;
}

/** Accounts per OU, each account counted in every OU of its path (and under the root, which the path starts with). */
export function countsByUnit(rows: readonly Row[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) for (const unit of row.path) counts.set(unit.id, (counts.get(unit.id) ?? 0) + 1);
  return counts;
}

/** Every tag key seen, with its values, sorted. */
export function tagChoices(rows: readonly Row[]): ReadonlyMap<string, readonly string[]> {
  const choices = new Map<string, Set<string>>();
  for (const row of rows) for (const { key, value } of row.tags) choices.set(key, (choices.get(key) ?? new Set()).add(value));
  return new Map([...choices].sort(([a], [b]) => a.localeCompare(b)).map(([key, values]) => [key, [...values].sort()]));
}

/** The selection with one tag value added or removed. */
export function toggleTag(selection: Selection, key: string, value: string): Selection {
  const tags = new Map(selection.tags);
  const values = tags.get(key) ?? [];
  const next = values.includes(value) ? values.filter((each) => each !== value) : [...values, value];
  if (next.length === 0) tags.delete(key);
  else tags.set(key, next);
  return { ...selection, tags };
}

/**
 * The rows as CSV (RFC 4180): account, name, state, OU path (from the root: Root/Workloads/Prod), tags, and per status column its value and when the
 * board read it. Cells that could be read as formulas by a spreadsheet are prefixed with a quote.
 */
export function toCsv(rows: readonly Row[], columns: readonly Column[]): string {
  const header = ['account', 'name', 'state', 'ou_path', 'tags'];
  for (const column of columns) {
    const label = column.region ? `${column.source}@${column.region}` : column.source;
    header.push(label, `${label}_read_at`);
  }
  const lines = [header];
  for (const row of rows) {
    const line = [
      row.id,
      row.name ?? '',
      row.state ?? '',
      row.path.map((unit) => unit.name).join('/'),
      row.tags.map((tag) => `${tag.key}=${tag.value}`).join(';'),
    ];
    for (const column of columns) {
      const cell = row.cells.get(columnKey(column.source, column.region));
      line.push(cell?.error ? `${summaryValueOf(cell)} ${cell.error.code}` : (summaryValueOf(cell) ?? ''), cell?.changedAt ?? '');
    }
    lines.push(line);
  }
  return lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
