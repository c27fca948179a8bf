// The embedded history store (SQLite through better-sqlite3, in a temporary data directory): the store contract,
// its versioned migrations, and the online backup.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EMBEDDED_FILE, openHistoryStore } from '../../src/history/index.js';
import { describeCreationRequestEvents } from './creation-requests-contract.js';
import { describeHistoryStore, enrollment } from './store-contract.js';

const dataDir = mkdtempSync(join(tmpdir(), 'statusgraph-history-'));
let runs = 0;
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A fresh directory per test, reused when a test opens the store again (a restart). */
let currentDir = '';
function freshDir(): string {
  runs += 1;
  currentDir = join(dataDir, String(runs));
  return currentDir;
}

const embedded = {
  open: (options?: { retentionDays?: number }) =>
    openHistoryStore({
      location: { engine: 'sqlite' as const, dataDir: currentDir },
      retentionDays: options?.retentionDays ?? 400,
    }),
};
describeHistoryStore('embedded', embedded);
describeCreationRequestEvents('embedded', embedded);

// Each test starts in its own directory.
beforeEach(() => void freshDir());

describe('embedded history store', () => {
  it('applies its versioned migrations once, and an online backup is a working copy', async () => {
    const store = await openHistoryStore({ location: { engine: 'sqlite', dataDir: currentDir }, retentionDays: 400 });
    await store.history.record([enrollment('Inactive', 1)]);
    const backup = join(currentDir, 'backup.db');
    await store.backup!(backup);
    await store.close();
    const copy = new Database(backup, { readonly: true });
    expect(copy.prepare('select name from statusgraph_migrations').all()).toEqual([
      { name: '0001-status-events-and-idempotency-keys' },
      { name: '0002-status-events-requests-by-account' },
    ]);
    expect(copy.prepare('select current from status_events').all()).toEqual([{ current: 'Inactive' }]);
    copy.close();
  });

  it('checkpoints its write-ahead log in a worker: the frames the server wrote are copied back, and the data stays', async () => {
    const store = await openHistoryStore({ location: { engine: 'sqlite', dataDir: currentDir }, retentionDays: 400 });
    await store.history.record([enrollment('Inactive', 1), enrollment('Active', 2)]);
    const checkpoint = await store.checkpoint!();
    expect(checkpoint.busy).toBe(0);
    expect(checkpoint.log).toBeGreaterThan(0);
    expect(checkpoint.checkpointed).toBe(checkpoint.log);
    await store.close();
    const copy = new Database(join(currentDir, EMBEDDED_FILE), { readonly: true });
    expect(copy.prepare('select current from status_events order by id').all()).toEqual([{ current: 'Inactive' }, { current: 'Active' }]);
    copy.close();
  });

  it('lets a process whose last task is closing the store finish it (the checkpoint worker is waited for)', () => {
    const script = [
      `const { openHistoryStore } = await import(${JSON.stringify(fileURLToPath(new URL('../../src/history/index.ts', import.meta.url)))});`,
      `const store = await openHistoryStore({ location: { engine: 'sqlite', dataDir: ${JSON.stringify(currentDir)} }, retentionDays: 400 });`,
      `await store.close();`,
      `console.log('closed');`,
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
  });

  it('records the previous value a poller that took a lease over was told, over its own log, which saw only its own readings', async () => {
    const store = await openHistoryStore({ location: { engine: 'sqlite', dataDir: currentDir }, retentionDays: 400 });
    await store.history.record([enrollment('Inactive', 1)]);
    // Another instance polled meanwhile and published Pending; this one takes the lease over and reads Active.
    await store.history.record([enrollment('Active', 5, { previous: 'Pending' })]);
    const { events } = await store.history.page({}, { first: 10 });
    expect(events.map((event) => [event.hasPrevious, event.previous, event.current])).toEqual([
      [true, 'Pending', 'Active'],
      [false, null, 'Inactive'],
    ]);
    await store.close();
  });
});
