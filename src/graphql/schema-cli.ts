// `npm run schema:emit` writes schema.graphql from the code; `npm run schema:check` fails when it is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { buildStatusGraphSchema, printStatusGraphSchema } from './build-schema.js';

const SCHEMA_FILE = new URL('../../schema.graphql', import.meta.url);

const sdl = printStatusGraphSchema(await buildStatusGraphSchema());
if (process.argv.includes('--check')) {
  const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error('schema.graphql is stale: run `npm run schema:emit` and commit it.');
    process.exit(1);
  }
  console.log('schema.graphql matches the code.');
} else {
  await writeFile(SCHEMA_FILE, sdl);
  console.log('wrote schema.graphql');
}
