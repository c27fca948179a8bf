// What every history store does, whichever engine keeps it: the same checks run on the embedded store
// (history-store.test.ts) and on a real PostgreSQL server (test/postgres/history-postgres.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryStore } from '../../src/history/index.js';
import {
  CursorExpiredError,
  IdempotencyKeyPendingError,
  IdempotencyKeyReusedError,
  InvalidCursorError,
  isUpstreamFailure,
  upstreamFailure,
  type StatusObservation,
} from '../../src/status/index.js';

export interface StoreHarness {
  /** Opens the store (again: same data, as after a restart). */
  open(options?: { retentionDays?: number }): Promise<HistoryStore>;
}

const ACCOUNT = '111111111111';
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

export function enrollment(status: string | null, minute = 0, extra: Partial<StatusObservation> = {}): StatusObservation {
  return { target: { kind: 'enrollment', accountId: ACCOUNT }, status, observedAt: at(minute), observedBy: 'poll', ...extra };
}

export function describeHistoryStore(engine: string, harness: StoreHarness): void {
  const opened: HistoryStore[] = [];
  const open = async (options?: { retentionDays?: number }) => {
    const store = await harness.open(options);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  describe(`history store (${engine})`, () => {
    it('records the first reading without a previous value, then only changes, with increasing cursors', async () => {
      const { history } = await open();
      const [first] = await history.record([enrollment('Inactive', 1)]);
      const [same] = await history.record([enrollment('Inactive', 2)]);
      const [changed] = await history.record([
        enrollment('Active', 3, { observedBy: 'mutation', caller: 'ops-key', idempotencyKey: 'k-1' }),
      ]);
      expect(first).toMatchObject({ changed: true });
      expect(same).toEqual({ cursor: first!.cursor, changed: false });
      expect(Number(changed!.cursor)).toBeGreaterThan(Number(first!.cursor));

      const page = await history.page({ accountIds: [ACCOUNT] }, { first: 10 });
      expect(page.hasMore).toBe(false);
      expect(page.events.map((event) => [event.hasPrevious, event.previous, event.current, event.observedBy])).toEqual([
        [true, 'Inactive', 'Active', 'mutation'],
        [false, null, 'Inactive', 'poll'],
      ]);
      expect(page.events[0]).toMatchObject({
        cursor: changed!.cursor,
        source: 'COMPUTE_OPTIMIZER_ENROLLMENT',
        accountId: ACCOUNT,
        caller: 'ops-key',
        idempotencyKey: 'k-1',
        observedAt: at(3),
        target: { kind: 'enrollment', accountId: ACCOUNT },
      });
    });

    it('writes a batch in order: a status changing twice in it chains, and a repeat points at the event it repeats', async () => {
      const { history } = await open();
      const answers = await history.record([enrollment('Inactive', 1), enrollment('Inactive', 2), enrollment('Active', 3), enrollment('Active', 4)]);
      expect(answers.map((answer) => answer?.changed)).toEqual([true, false, true, false]);
      expect(answers[1]!.cursor).toBe(answers[0]!.cursor);
      expect(answers[3]!.cursor).toBe(answers[2]!.cursor);
      const { events } = await history.page({}, { first: 10 });
      expect(events.map((event) => [event.previous, event.current])).toEqual([['Inactive', 'Active'], [null, 'Inactive']]);
    });

    it('takes an observation older than its status\'s last event for no change: a reading that waited behind a newer one', async () => {
      const { history } = await open();
      const [first] = await history.record([enrollment('Inactive', 1)]);
      const [mutation] = await history.record([enrollment('Pending', 3, { observedBy: 'mutation' })]);
      // Read at minute 2, before the mutation, but recorded after it (a cold round's reading waiting its turn).
      const [late] = await history.record([enrollment('Inactive', 2)]);
      expect(late).toEqual({ cursor: mutation!.cursor, changed: false, stale: true });
      // In one write too; and a newer reading after it is a change again.
      const [newer, older] = await history.record([enrollment('Active', 5), enrollment('Pending', 4)]);
      expect(newer).toMatchObject({ changed: true });
      expect(older).toEqual({ cursor: newer!.cursor, changed: false, stale: true });
      const { events } = await history.page({}, { first: 10 });
      expect(events.map((event) => [event.previous, event.current])).toEqual([['Pending', 'Active'], ['Inactive', 'Pending'], [null, 'Inactive']]);
      expect(first).toMatchObject({ changed: true });
    });

    it('answers record() calls made together each with its own answers, written in the order they were made', async () => {
      const { history } = await open();
      // Made in one turn (as a cold query's readings arrive), written together: each call still gets its own answers.
      const [first, repeat, changes] = await Promise.all([
        history.record([enrollment('Inactive', 1)]),
        history.record([enrollment('Inactive', 2)]),
        history.record([enrollment('Active', 3), enrollment('Active', 4)]),
      ]);
      expect(first!.map((answer) => answer?.changed)).toEqual([true]);
      expect(repeat).toEqual([{ cursor: first![0]!.cursor, changed: false }]);
      expect(changes!.map((answer) => answer?.changed)).toEqual([true, false]);
      expect(changes![1]!.cursor).toBe(changes![0]!.cursor);
      // A later call is a later write.
      const [later] = await history.record([enrollment('Inactive', 5)]);
      expect(Number(later!.cursor)).toBeGreaterThan(Number(changes![0]!.cursor));
      const { events } = await history.page({}, { first: 10 });
      expect(events.map((event) => [event.previous, event.current])).toEqual([['Active', 'Inactive'], ['Inactive', 'Active'], [null, 'Inactive']]);
    });

    it('keeps its events and migrations across a restart, and follows on from the last event', async () => {
      const first = await open();
      await first.history.record([enrollment('Inactive', 1)]);
      await first.close();
      opened.splice(opened.indexOf(first), 1);
      const again = await open();
      const [unchanged] = await again.history.record([enrollment('Inactive', 2)]);
      expect(unchanged?.changed).toBe(false);
      await again.history.record([enrollment('Active', 3)]);
      const { events } = await again.history.page({}, { first: 10 });
      expect(events.map((event) => event.current)).toEqual(['Active', 'Inactive']);
    });

    it('pages newest first by cursor and replays oldest first after one, filtered by source and region', async () => {
      const { history } = await open();
      const fleetwise = (region: string, status: string, minute: number): StatusObservation => ({
        target: { kind: 'fleetwise', accountId: ACCOUNT, region },
        status,
        observedAt: at(minute),
        observedBy: 'query',
      });
      const recorded = await history.record([
        enrollment('Inactive', 1),
        fleetwise('us-east-1', 'REGISTRATION_PENDING', 2),
        fleetwise('eu-central-1', 'REGISTRATION_PENDING', 3),
        enrollment('Active', 4),
        fleetwise('us-east-1', 'REGISTRATION_SUCCESS', 5),
      ]);
      const cursors = recorded.map((answer) => answer!.cursor);
      const firstPage = await history.page({}, { first: 2 });
      expect(firstPage.events.map((event) => event.cursor)).toEqual([cursors[4], cursors[3]]);
      expect(firstPage.hasMore).toBe(true);
      const secondPage = await history.page({}, { first: 2, before: cursors[3] });
      expect(secondPage.events.map((event) => event.cursor)).toEqual([cursors[2], cursors[1]]);

      const usEast = await history.page({ sources: ['FLEETWISE_REGISTRATION'], regions: ['us-east-1'] }, { first: 10 });
      expect(usEast.events.map((event) => event.current)).toEqual(['REGISTRATION_SUCCESS', 'REGISTRATION_PENDING']);
      const since = await history.page({ since: at(3), until: at(5) }, { first: 10 });
      expect(since.events.map((event) => event.cursor)).toEqual([cursors[3], cursors[2]]);

      const replayed = await history.replay({ accountIds: [ACCOUNT] }, cursors[1]!, 10);
      expect(replayed.map((event) => event.cursor)).toEqual(cursors.slice(2));
      expect(await history.replay({ accountIds: ['222222222222'] }, '0', 10)).toEqual([]);
      expect(await history.latestCursor()).toBe(cursors[4]);
      await expect(history.replay({}, 'not-a-cursor', 10)).rejects.toBeInstanceOf(InvalidCursorError);
      // A cursor ahead of every event came from another store (reset, replaced, or a restarted in-memory one).
      await expect(history.replay({}, String(Number(cursors[4]) + 1_000), 10)).rejects.toThrow(/ahead of every event/);
    });

    it('prunes past the retention but keeps each status latest, and refuses cursors from before what was pruned', async () => {
      const store = await open({ retentionDays: 1 });
      const old = await store.history.record([enrollment('Inactive', 1), enrollment('Active', 2), enrollment('Inactive', 3)]);
      const now = new Date();
      const [fresh] = await store.history.record([enrollment('Active', 0, { observedAt: now })]);
      expect(await store.prune()).toMatchObject({ events: 3 });
      const { events } = await store.history.page({}, { first: 10 });
      expect(events.map((event) => event.cursor)).toEqual([fresh!.cursor]);
      await expect(store.history.replay({}, old[0]!.cursor, 10)).rejects.toBeInstanceOf(CursorExpiredError);
      expect(await store.history.replay({}, old[2]!.cursor, 10)).toHaveLength(1);
    });

    it('answers a createAccount retry after a restart with the first outcome, one call, and refuses other input', async () => {
      let calls = 0;
      const attempt = async () => {
        calls += 1;
        return { value: { id: 'car-1', state: 'IN_PROGRESS' }, fetchedAt: new Date(0) };
      };
      const first = await open();
      const answer = await first.idempotency.run('key-1', { email: 'a@example.com' }, attempt, () => false);
      await first.close();
      opened.splice(opened.indexOf(first), 1);
      const again = await open();
      expect(await again.idempotency.run('key-1', { email: 'a@example.com' }, attempt, () => false)).toEqual(answer);
      expect(calls).toBe(1);
      await expect(again.idempotency.run('key-1', { email: 'b@example.com' }, attempt, () => false)).rejects.toBeInstanceOf(
        IdempotencyKeyReusedError,
      );
    });

    it('remembers a failure that may have done something, and frees the key after one that proves nothing happened', async () => {
      const { idempotency } = await open();
      const timeout = upstreamFailure({ service: 'organizations', operation: 'CreateAccount', code: 'TimeoutError', message: 'timed out', retryable: true, throttled: false });
      await expect(idempotency.run('key-2', {}, () => Promise.reject(timeout), () => false)).rejects.toBe(timeout);
      const remembered = await idempotency.run('key-2', {}, () => Promise.resolve('second'), () => false).catch((error: unknown) => error);
      expect(isUpstreamFailure(remembered) && remembered.code).toBe('TimeoutError');
      const refused = upstreamFailure({ service: 'organizations', operation: 'CreateAccount', code: 'ConstraintViolationException', message: 'no', retryable: false, throttled: false });
      await expect(idempotency.run('key-3', {}, () => Promise.reject(refused), () => true)).rejects.toBe(refused);
      expect(await idempotency.run('key-3', {}, () => Promise.resolve('second'), () => true)).toBe('second');
    });

    it('answers a key whose process died mid-call as still pending, never with a second call', async () => {
      const first = await open();
      let release!: () => void;
      const unfinished = first.idempotency.run('key-4', {}, () => new Promise<string>((resolve) => (release = () => resolve('late'))), () => false);
      // A second store on the same data plays the restarted process; the first never settles before it asks.
      const second = await open();
      let calls = 0;
      const retry = second.idempotency.run('key-4', {}, async () => {
        calls += 1;
        return 'twice';
      }, () => false);
      if (engine === 'embedded') await expect(retry).rejects.toBeInstanceOf(IdempotencyKeyPendingError);
      release();
      expect(await unfinished).toBe('late');
      if (engine !== 'embedded') expect(await retry).toBe('late');
      expect(calls).toBe(0);
    });
  });
}
