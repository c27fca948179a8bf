// The documented variable list and the README's configuration table, both read off the declared settings.
// `npm run config:table` writes the table between the README's config-table markers; a test keeps them equal.
import type { ConfigVariable } from './config.js';
import { DECLARED_SETTINGS } from './load-config.js';

/** Every variable statusgraph reads, with its default and what it accepts. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = Object.freeze(
  DECLARED_SETTINGS.map(({ name, documentedDefault, accepts, description }) =>
    Object.freeze({ name, default: documentedDefault, accepts, description }),
  ),
);

export const TABLE_START = '<!-- config-table:start -->';
export const TABLE_END = '<!-- config-table:end -->';

/** The Markdown table: one row per variable. */
export function configTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = CONFIG_VARIABLES.map(
    (variable) => `| \`${variable.name}\` | ${cell(variable.default)} | ${cell(variable.description)} | ${cell(variable.accepts)} |`,
  );
  return ['| variable | default | what it does | accepts |', '|---|---|---|---|', ...rows].join('\n');
}

/** The README with its table replaced by the current one. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} section`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${configTable()}\n${readme.slice(end)}`;
}
