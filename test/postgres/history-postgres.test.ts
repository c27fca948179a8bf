// The history store on a real PostgreSQL server started for this suite: the store contract (the same checks as the
// embedded store), migrations run once by instances starting together, and history kept through an outage — changes
// buffered while the server is down are written when it returns, and reads say HISTORY_UNAVAILABLE meanwhile.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openHistoryStore } from '../../src/history/index.js';
import { HistoryUnavailableError } from '../../src/status/index.js';
import { describeCreationRequestEvents } from '../history/creation-requests-contract.js';
import { describeHistoryStore, enrollment } from '../history/store-contract.js';
import { startPostgresServer, type PostgresServer } from './support/postgres-server.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await server?.close();
});

/** Each test starts from an empty schema (the migrations run again on open). */
beforeEach(async () => {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query('drop schema public cascade');
  await client.query('create schema public');
  await client.end();
});

const postgres = {
  open: (options?: { retentionDays?: number }) =>
    openHistoryStore({ location: { engine: 'postgres' as const, url: server.url }, retentionDays: options?.retentionDays ?? 400 }),
};
describeHistoryStore('postgres', postgres);
describeCreationRequestEvents('postgres', postgres);

describe('history store on PostgreSQL', () => {
  it('migrates once when instances start together, and both write one log', async () => {
    const [a, b] = await Promise.all([0, 1].map(() => openHistoryStore({ location: { engine: 'postgres', url: server.url }, retentionDays: 400 })));
    // The same change seen by both instances is written once.
    const [fromA] = await a!.history.record([enrollment('Inactive', 1)]);
    const [fromB] = await b!.history.record([enrollment('Inactive', 1)]);
    expect(fromA?.changed).toBe(true);
    expect(fromB).toEqual({ cursor: fromA!.cursor, changed: false });
    expect((await b!.history.page({}, { first: 10 })).events).toHaveLength(1);
    await a!.close();
    await b!.close();
  });

  it('buffers changes while the server is down, answers HISTORY_UNAVAILABLE, and writes them in order when it returns', async () => {
    const availability: boolean[] = [];
    const store = await openHistoryStore({
      location: { engine: 'postgres', url: server.url },
      retentionDays: 400,
      onAvailability: (available) => availability.push(available),
    });
    await store.history.record([enrollment('Inactive', 1)]);
    await server.stop();
    try {
      expect(await store.history.record([enrollment('Active', 2), enrollment('Inactive', 3)])).toEqual([undefined, undefined]);
      expect(store.history.buffered).toBe(2);
      expect(store.history.available).toBe(false);
      await expect(store.history.page({}, { first: 10 })).rejects.toBeInstanceOf(HistoryUnavailableError);
    } finally {
      await server.start();
    }
    // The next recording writes the backlog first.
    const [after] = await store.history.record([enrollment('Active', 4)]);
    expect(after?.changed).toBe(true);
    expect(store.history.buffered).toBe(0);
    const { events } = await store.history.page({}, { first: 10 });
    expect(events.map((event) => event.current)).toEqual(['Active', 'Inactive', 'Active', 'Inactive']);
    expect(availability).toContain(false);
    expect(store.history.available).toBe(true);
    await store.close();
  });
});
