// The README's configuration table is generated from the declared settings, never edited by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config/index.js';
import { configTable, withConfigTable } from '../../src/config/config-table.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README configuration table', () => {
  it('is the one the declared settings generate (run `npm run config:table` after changing a setting)', () => {
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('has a row for every variable, with its default', () => {
    const table = configTable();
    for (const variable of CONFIG_VARIABLES) {
      expect(table).toContain(`| \`${variable.name}\` | ${variable.default.replace(/\|/g, '\\|')} |`);
    }
  });
});
