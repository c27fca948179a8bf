// `npm run config:table`: rewrites README.md's configuration table from the declared settings.
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from './config-table.js';

const README = new URL('../../README.md', import.meta.url);
const before = readFileSync(README, 'utf8');
const after = withConfigTable(before);
if (after === before) {
  console.log('README.md configuration table is current.');
} else {
  writeFileSync(README, after);
  console.log('README.md configuration table rewritten.');
}
