// A poller's change on its way to subscribers through the embedded history store (SQLite in a temporary directory):
// a reading that waited behind a newer event of its status is not published — it would take subscribers back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openHistoryStore, type HistoryStore } from '../../src/history/index.js';
import { ChangePublisher, type PublishingPoller } from '../../src/status/change-publisher.js';
import { InProcessPollerLeases, InProcessPubSub, type StatusChangeMessage } from '../../src/status/index.js';
import { watchKey, type WatchTarget } from '../../src/status/watchable-kinds.js';

const dataDir = mkdtempSync(join(tmpdir(), 'statusgraph-publisher-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const target: WatchTarget = { kind: 'enrollment', accountId: '111111111111' };
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));

describe('a poll change published through history', () => {
  let store: HistoryStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('publishes no reading older than its status\'s last event: a cold round\'s reading recorded after a mutation\'s', async () => {
    store = await openHistoryStore({ location: { engine: 'sqlite', dataDir: join(dataDir, 'stale') }, retentionDays: 400 });
    const { history } = store;
    const pubsub = new InProcessPubSub();
    const published: StatusChangeMessage[] = [];
    await pubsub.subscribe(`status:${watchKey(target)}`, (message) => void published.push(message as StatusChangeMessage));
    const publisher = new ChangePublisher({ pubsub, leases: new InProcessPollerLeases(), history, stillWatched: () => true });
    const poller: PublishingPoller = { key: watchKey(target), target, published: 0 };
    const change = (current: string, second: number): StatusChangeMessage => ({ key: poller.key, target, current, changedAt: at(second).toISOString() });

    await history.record([{ target, status: 'Inactive', observedAt: at(1), observedBy: 'poll' }]);
    // The mutation's answer is recorded at second 3; the poller's reading of second 2 reaches history after it.
    const [mutation] = await history.record([{ target, status: 'Pending', observedAt: at(3), observedBy: 'mutation' }]);
    publisher.deliver(poller, { ...change('Inactive', 2), previous: 'Pending' });
    publisher.deliver(poller, { ...change('Active', 4), previous: 'Inactive' });
    await expect.poll(() => published.length).toBeGreaterThan(0);
    await history.record([]);

    expect(published.map((message) => [message.current, Number(message.cursor) > Number(mutation!.cursor)])).toEqual([['Active', true]]);
    const { events } = await history.page({}, { first: 10 });
    expect(events.map((event) => event.current)).toEqual(['Active', 'Pending', 'Inactive']);
  });
});
