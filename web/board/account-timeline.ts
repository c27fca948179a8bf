// One account's timeline, shown when its row is opened: the changes history recorded for it (Account.history, newest
// first, a page at a time) merged with the recorded events the subscription brings while it is open, each once
// (timeline-entries.ts).
import { BoardAccountHistoryDocument } from '../../examples/generated/graphql.js';
import { execute } from '../shared/graphql-client.js';
import type { BoardStore } from './board-store.js';
import { entryOfEvent, TimelineEntries, type TimelineEntry } from './timeline-entries.js';

export type { TimelineEntry } from './timeline-entries.js';

export type TimelineState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'ready'; readonly entries: readonly TimelineEntry[]; readonly hasOlder: boolean }
  | { readonly phase: 'failed'; readonly problem: string };

/**
 * Follows one account's timeline: listens to the store's events first, then reads the newest page, so nothing
 * recorded in between is missed; `older()` reads the next page. Returns the stop function.
 */
export function followTimeline(
  store: BoardStore,
  accountId: string,
  onState: (state: TimelineState) => void,
): { older(): void; stop(): void } {
  const entries = new TimelineEntries();
  let stopped = false;
  let olderCursor: string | null = null;
  let hasOlder = false;
  let loaded = false;
  const show = () => {
    if (!stopped && loaded) onState({ phase: 'ready', entries: entries.all(), hasOlder });
  };
  const unlisten = store.listenToEvents((events) => {
    const fresh = events.flatMap((event) => entryOfEvent(accountId, event) ?? []);
    if (entries.add(fresh)) show();
  });
  const readPage = async () => {
    try {
      const result = await execute(BoardAccountHistoryDocument, { id: accountId, after: olderCursor });
      const history = result.data?.account?.history;
      if (!history) {
        const problem = result.errors?.map((error) => error.message).join('; ') || 'This account has no history.';
        if (!stopped) onState({ phase: 'failed', problem });
        return;
      }
      entries.add(
        history.edges.map(({ cursor, node }) => ({ cursor, ...node, firstReading: node.firstReading === true })),
      );
      olderCursor = history.pageInfo.endCursor ?? olderCursor;
      hasOlder = history.pageInfo.hasNextPage;
      loaded = true;
      show();
    } catch (error) {
      if (!stopped) onState({ phase: 'failed', problem: error instanceof Error ? error.message : String(error) });
    }
  };
  onState({ phase: 'loading' });
  void readPage();
  return {
    older: () => void readPage(),
    stop: () => {
      stopped = true;
      unlisten();
    },
  };
}
