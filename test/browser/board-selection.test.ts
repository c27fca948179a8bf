// The board's OU / tag selection on its own (web/board/board-selection.ts): the URL round trip, narrowing by an OU
// and its descendants and by tags, counts per OU, the tree from a flat list, and the CSV of a view.
import { describe, expect, it } from 'vitest';
import { countsByUnit, fromSearch, matchesSelection, toCsv, toggleTag, toSearch, unitTree, EMPTY_SELECTION } from '../../web/board/board-selection.js';
import { BoardStore, columnKey } from '../../web/board/board-store.js';

const ROOT = { id: 'r-ab12', name: 'Root' };
const WORKLOADS = { id: 'ou-ab12-workload', name: 'Workloads' };
const PROD = { id: 'ou-ab12-prod0001', name: 'Prod' };

function store(): BoardStore {
  const board = new BoardStore();
  board.setDirectory([
    { id: '111111111111', name: 'maps-prod', state: 'ACTIVE', path: [ROOT, WORKLOADS, PROD], tags: [{ key: 'team', value: 'maps' }] },
    { id: '222222222222', name: '=cmd,"x"', state: 'ACTIVE', path: [ROOT, WORKLOADS], tags: [{ key: 'team', value: 'billing' }] },
    { id: '333333333333', name: 'root-one', state: 'SUSPENDED', path: [ROOT], tags: [] },
  ]);
  board.applyEvents([
    { account: { id: '111111111111' }, source: 'COMPUTE_OPTIMIZER_ENROLLMENT', current: 'ACTIVE', changedAt: '2030-01-01T00:00:00.000Z' },
  ]);
  return board;
}

describe('the board selection', () => {
  it('round-trips OU, tags and the status filter through the URL', () => {
    const selection = toggleTag(toggleTag({ ...EMPTY_SELECTION, unitId: PROD.id }, 'team', 'maps'), 'team', 'billing');
    const filter = { kind: 'value' as const, column: columnKey('FLEETWISE_REGISTRATION', 'us-east-1'), value: 'REGISTRATION_FAILURE' };
    const search = toSearch(selection, filter);
    expect(fromSearch(search)).toEqual({ selection, filter });
    expect(toSearch(EMPTY_SELECTION, { kind: 'all' })).toBe('');
    expect(fromSearch('?status=tone:nonsense').filter).toEqual({ kind: 'all' });
  });

  it('narrows to an OU with its descendants and to tags, and counts accounts per OU', () => {
    const rows = store().allRows();
    expect(rows.filter((row) => matchesSelection(row, { ...EMPTY_SELECTION, unitId: WORKLOADS.id })).map((row) => row.id)).toEqual(['111111111111', '222222222222']);
    expect(rows.filter((row) => matchesSelection(row, toggleTag(EMPTY_SELECTION, 'team', 'maps'))).map((row) => row.id)).toEqual(['111111111111']);
    expect(countsByUnit(rows)).toEqual(new Map([[ROOT.id, 3], [WORKLOADS.id, 2], [PROD.id, 1]]));
  });

  it('builds the tree from a flat list of OUs', () => {
    const tree = unitTree('r-ab12', [{ ...WORKLOADS, parentId: 'r-ab12' }, { ...PROD, parentId: WORKLOADS.id }]);
    expect(tree).toEqual([{ ...WORKLOADS, children: [{ ...PROD, children: [] }] }]);
  });

  it('writes the view as CSV, quoting commas and quotes and defusing spreadsheet formulas', () => {
    const board = store();
    const csv = toCsv(board.allRows(), board.allColumns());
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('account,name,state,ou_path,tags,COMPUTE_OPTIMIZER_ENROLLMENT,COMPUTE_OPTIMIZER_ENROLLMENT_read_at');
    expect(lines[1]).toBe('111111111111,maps-prod,ACTIVE,Root/Workloads/Prod,team=maps,ACTIVE,2030-01-01T00:00:00.000Z');
    expect(lines[2]).toBe(`222222222222,"'=cmd,""x""",ACTIVE,Root/Workloads,team=billing,,`);
  });
});
