// A createAccount's events in the accounts' views of the log, whichever engine keeps it (run on the embedded store
// by history-store.test.ts and on a real PostgreSQL server by test/postgres/history-postgres.test.ts): recorded
// under the request, they are the created account's history once a reading names the account, and the account's
// creation status continues the request's chain rather than start another with a second first reading.
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryStore } from '../../src/history/index.js';
import type { StatusObservation } from '../../src/status/index.js';
import type { StoreHarness } from './store-contract.js';

const CREATED = '222222222222';
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

function request(id: string, status: string, minute: number, extra: Partial<StatusObservation> = {}): StatusObservation {
  return { target: { kind: 'request', requestId: id }, status, observedAt: at(minute), observedBy: 'query', ...extra };
}

export function describeCreationRequestEvents(engine: string, harness: StoreHarness): void {
  const opened: HistoryStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  describe(`creation requests in accounts' history (${engine})`, () => {
    it('joins a request\'s events to the account it named, in cursor order, and the account\'s creation status follows them', async () => {
      const store = await harness.open();
      opened.push(store);
      const { history } = store;
      const [created] = await history.record([
        request('car-1', 'IN_PROGRESS', 1, { observedBy: 'mutation', caller: 'ops-key', idempotencyKey: 'k-1' }),
      ]);
      // Another request, still IN_PROGRESS: it names no account, so no account's view holds it.
      await history.record([request('car-2', 'IN_PROGRESS', 2, { observedBy: 'mutation', caller: 'ops-key', idempotencyKey: 'k-2' })]);
      const [succeeded] = await history.record([request('car-1', 'SUCCEEDED', 3, { accountId: CREATED })]);
      const [polled] = await history.record([
        { target: { kind: 'creation', accountId: CREATED }, status: 'SUCCEEDED', observedAt: at(4), observedBy: 'poll' },
      ]);
      expect(polled).toEqual({ cursor: succeeded!.cursor, changed: false });

      const accountView = await history.page({ accountIds: [CREATED], accountStatusesOnly: true }, { first: 10 });
      expect(accountView.events.map((event) => [event.cursor, event.accountId, event.previous, event.current, event.observedBy])).toEqual([
        [succeeded!.cursor, CREATED, 'IN_PROGRESS', 'SUCCEEDED', 'query'],
        [created!.cursor, CREATED, null, 'IN_PROGRESS', 'mutation'],
      ]);
      expect(accountView.events[1]).toMatchObject({ caller: 'ops-key', idempotencyKey: 'k-1', hasPrevious: false, requestId: 'car-1' });

      const organization = await history.page({ accountStatusesOnly: true }, { first: 10 });
      expect(organization.events.map((event) => event.cursor)).toEqual([succeeded!.cursor, created!.cursor]);
      const replayed = await history.replay({ accountIds: [CREATED], accountStatusesOnly: true }, '0', 10);
      expect(replayed.map((event) => event.cursor)).toEqual([created!.cursor, succeeded!.cursor]);

      // A later change of the account's creation status follows the request's last event.
      const [changed] = await history.record([
        { target: { kind: 'creation', accountId: CREATED }, status: 'FAILED', observedAt: at(5), observedBy: 'poll' },
      ]);
      expect(changed!.changed).toBe(true);
      const [latest] = (await history.page({ accountIds: [CREATED], accountStatusesOnly: true }, { first: 1 })).events;
      expect(latest).toMatchObject({ cursor: changed!.cursor, hasPrevious: true, previous: 'SUCCEEDED', current: 'FAILED' });
    });
  });
}
