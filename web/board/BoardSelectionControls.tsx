// The board's OU tree (accounts per OU, click to narrow the table to an OU and its descendants) and its tag filters.
import type { Selection, UnitNode } from './board-selection.js';

export function UnitTree({
  units,
  counts,
  total,
  selected,
  onSelect,
}: {
  units: readonly UnitNode[];
  counts: ReadonlyMap<string, number>;
  total: number;
  selected: string | null;
  onSelect(unitId: string | null): void;
}) {
  return (
    <nav className="unit-tree" aria-label="Organizational units">
      <h2>Organizational units</h2>
      <ul>
        <li>
          <button type="button" className={`unit${selected === null ? ' active' : ''}`} aria-pressed={selected === null} onClick={() => onSelect(null)}>
            <span className="unit-name">All accounts</span> <span className="count">{total}</span>
          </button>
          <UnitList units={units} counts={counts} selected={selected} onSelect={onSelect} />
        </li>
      </ul>
    </nav>
  );
}

function UnitList({
  units,
  counts,
  selected,
  onSelect,
}: {
  units: readonly UnitNode[];
  counts: ReadonlyMap<string, number>;
  selected: string | null;
  onSelect(unitId: string | null): void;
}) {
  if (units.length === 0) return null;
  return (
    <ul>
      {units.map((unit) => (
        <li key={unit.id}>
          <button
            type="button"
            className={`unit${selected === unit.id ? ' active' : ''}`}
            data-unit-id={unit.id}
            aria-pressed={selected === unit.id}
            onClick={() => onSelect(selected === unit.id ? null : unit.id)}
          >
            <span className="unit-name">{unit.name}</span> <span className="count">{counts.get(unit.id) ?? 0}</span>
          </button>
          <UnitList units={unit.children ?? []} counts={counts} selected={selected} onSelect={onSelect} />
        </li>
      ))}
    </ul>
  );
}

export function TagFilters({
  choices,
  selection,
  onToggle,
}: {
  choices: ReadonlyMap<string, readonly string[]>;
  selection: Selection;
  onToggle(key: string, value: string): void;
}) {
  if (choices.size === 0) return null;
  return (
    <section className="tag-filters" aria-label="Tags">
      {[...choices].map(([key, values]) => (
        <label key={key} className="tag-filter">
          <span className="tag-key">{key}</span>
          <select
            data-tag-key={key}
            value=""
            onChange={(event) => {
              if (event.target.value !== '') onToggle(key, event.target.value);
            }}
          >
            <option value="">any</option>
            {values.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
          {(selection.tags.get(key) ?? []).map((value) => (
            <button type="button" key={value} className="tag-chip" data-tag={`${key}=${value}`} onClick={() => onToggle(key, value)}>
              {key}={value} ✕
            </button>
          ))}
        </label>
      ))}
    </section>
  );
}
