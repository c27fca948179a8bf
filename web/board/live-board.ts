// Feeds the BoardStore from the API: the account directory (paged query), the summary counts, the changes history
// recorded in the last 24 hours, and every status change through one accountStatusChanged subscription. The board
// keeps the newest history cursor it saw: after a reconnect the subscription resumes after it (`after:`), so the
// changes made meanwhile are replayed in order, then live ones follow — no gap, none twice. A cursor the server no
// longer knows (CURSOR_EXPIRED: pruned, or a store that was reset) starts again from the current state.
import {
  BoardDirectoryDocument,
  BoardRecentChangesDocument,
  BoardStatusChangesDocument,
  BoardSummaryDocument,
  BoardTreeDocument,
  type BoardDirectoryQuery,
  type BoardRecentChangesQuery,
  type BoardSummaryQuery,
} from '../../examples/generated/graphql.js';
import { unitTree, type UnitNode } from './board-selection.js';
import { createLiveClient, execute, sendsDocumentIds, subscribe, switchToDocumentIdsIfAsked, type ConnectionState, type GraphQLErrorPayload, type GraphQLResult } from '../shared/graphql-client.js';
import { RECENT_MS, type BoardStore, type StatusEvent } from './board-store.js';

/** Events are applied together at most this often: one render per batch, however many arrive. @default 100 // ms */
const FLUSH_INTERVAL_MS = 100;
/** The summary is read again at most this often while changes arrive. @default 5_000 // 5 seconds */
const SUMMARY_REFRESH_MS = 5_000;
/** Accounts per directory page (the API allows up to 1,000). @default 500 */
const DIRECTORY_PAGE_SIZE = 500;
/** Wait before subscribing again after the server refused the subscription. @default 5_000 // 5 seconds */
const RESUBSCRIBE_AFTER_MS = 5_000;
/** Wait before resuming a stream the server ended (e.g. history went away mid-replay). @default 1_000 // 1 second */
const RESUME_AFTER_END_MS = 1_000;
/** Pages of recent changes read at most (500 each): a bound on what one page load asks of history. @default 40 */
const RECENT_PAGES = 40;
/** The API's code for a cursor whose events it cannot give. */
const CURSOR_EXPIRED = 'CURSOR_EXPIRED';

/** graphql-ws's close code for a refused connection_init. */
const FORBIDDEN_CLOSE_CODE = 4403;

export type Summary = NonNullable<BoardSummaryQuery['organization']>['statusSummary'];

export interface OrganizationInfo {
  readonly id: string;
  readonly managementAccountId: string;
  readonly totalAccounts: number;
}

export interface LiveBoardCallbacks {
  onConnection(state: ConnectionState): void;
  onOrganization(organization: OrganizationInfo | null): void;
  onSummary(summary: Summary): void;
  /** A problem of the whole board (not of one cell); null once it is gone. */
  onProblem(problem: string | null): void;
  /** The organization's OUs, top level first. */
  onTree?(units: readonly UnitNode[]): void;
}

export function startLiveBoard(store: BoardStore, callbacks: LiveBoardCallbacks): () => void {
  let stopped = false;
  let pending: StatusEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let summaryTimer: ReturnType<typeof setTimeout> | undefined;
  let resubscribeTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe: (() => void) | undefined;
  let wasDisconnected = false;
  // graphql-ws sends a subscription's payload again on every reconnect (it re-subscribes by itself), and the payload
  // holds this object: so the resubscription carries the newest cursor seen, and the stream resumes after it.
  let variables: { after: string | null } = { after: null };
  /** Which subscription is current: what an ended or refused older one says is ignored. */
  let generation = 0;

  const client = createLiveClient((state) => {
    callbacks.onConnection(state);
    if (state === 'reconnecting') wasDisconnected = true;
    if (state === 'connected' && wasDisconnected) {
      wasDisconnected = false;
      void loadDirectory();
      void loadSummary();
      void loadTree().catch(() => undefined);
    }
  });

  /** Changes history recorded in the last 24 hours (first readings are not changes), for "Last changed" and the filter. */
  const loadRecentChanges = async () => {
    try {
      const since = new Date(Date.now() - RECENT_MS).toISOString();
      let after: string | null = null;
      for (let page = 0; page < RECENT_PAGES; page++) {
        const result: GraphQLResult<BoardRecentChangesQuery> = await execute(BoardRecentChangesDocument, { since, after });
        const changes = result.data?.organization?.statusChanges;
        if (!changes) return;
        store.noteRecordedChanges(changes.nodes.filter((node) => node.firstReading === false).map(({ accountId, changedAt }) => ({ accountId, changedAt })));
        if (!changes.pageInfo.hasNextPage) return;
        after = changes.pageInfo.endCursor ?? null;
      }
    } catch {
      // Without history the board still shows the changes it sees live.
    }
  };

  /** The OU tree; without it (an error, no organization) the board shows no tree and filters nothing by OU. */
  const loadTree = async () => {
    const result = await execute(BoardTreeDocument, {});
    const organization = result.data?.organization;
    if (organization) callbacks.onTree?.(unitTree(organization.root.id, organization.organizationalUnits));
  };

  const flush = () => {
    flushTimer = undefined;
    const batch = pending;
    pending = [];
    store.applyEvents(batch);
    scheduleSummary();
  };

  const scheduleSummary = () => {
    if (summaryTimer !== undefined || stopped) return;
    summaryTimer = setTimeout(() => {
      summaryTimer = undefined;
      void loadSummary();
    }, SUMMARY_REFRESH_MS);
  };

  /** The cursor the board could not resume from: read everything afresh, then follow from the current state. */
  const startAgainFromCurrentState = () => {
    variables = { after: null };
    startSubscription();
    void loadDirectory().then(loadSummary);
    void loadRecentChanges();
  };

  const startSubscription = () => {
    unsubscribe?.();
    const mine = ++generation;
    const current = () => mine === generation && !stopped;
    const sentIds = sendsDocumentIds();
    unsubscribe = subscribe(client, BoardStatusChangesDocument, variables, {
      next: (result) => {
        if (!current()) return;
        const change = result.data?.accountStatusChanged;
        if (change) {
          if (change.cursor && isNewerCursor(change.cursor, variables.after)) variables.after = change.cursor;
          pending.push(change);
          flushTimer ??= setTimeout(flush, FLUSH_INTERVAL_MS);
        } else if (result.errors?.some((error) => error.extensions?.code === CURSOR_EXPIRED)) {
          startAgainFromCurrentState();
        } else if (result.errors?.length) {
          callbacks.onProblem(describe(result.errors));
        }
      },
      error: (error) => {
        if (!current()) return;
        if (switchToDocumentIdsIfAsked(error) && !sentIds) {
          startSubscription();
          return;
        }
        if (Array.isArray(error) && error.some((each: GraphQLErrorPayload) => each?.extensions?.code === CURSOR_EXPIRED)) {
          startAgainFromCurrentState();
          return;
        }
        callbacks.onProblem(`Live updates stopped: ${errorText(error)}. Trying again…`);
        resubscribeTimer = setTimeout(startSubscription, RESUBSCRIBE_AFTER_MS);
      },
      // The server ended the stream (history went away mid-replay): resume after the last cursor seen.
      complete: () => {
        if (current()) resubscribeTimer = setTimeout(startSubscription, RESUME_AFTER_END_MS);
      },
    });
  };

  const loadDirectory = async () => {
    try {
      let after: string | null = null;
      for (;;) {
        const result: GraphQLResult<BoardDirectoryQuery> = await execute(BoardDirectoryDocument, { first: DIRECTORY_PAGE_SIZE, after });
        const organization = result.data?.organization;
        if (result.errors?.length && !organization) {
          callbacks.onProblem(`The account directory could not be read: ${describe(result.errors)}`);
          return;
        }
        if (!organization) {
          callbacks.onOrganization(null);
          return;
        }
        callbacks.onOrganization({
          id: organization.id,
          managementAccountId: organization.managementAccountId,
          totalAccounts: organization.accounts.totalCount,
        });
        store.setDirectory(organization.accounts.nodes);
        if (!organization.accounts.pageInfo.hasNextPage) break;
        after = organization.accounts.pageInfo.endCursor ?? null;
      }
      callbacks.onProblem(null);
    } catch (error) {
      callbacks.onProblem(`The API cannot be reached: ${errorText(error)}`);
    }
  };

  const loadSummary = async () => {
    try {
      const result = await execute(BoardSummaryDocument);
      const summary = result.data?.organization?.statusSummary;
      if (summary) {
        store.addColumns(summary.sources);
        callbacks.onSummary(summary);
      }
    } catch {
      // The summary is read again with the next batch of changes; the rows stay live meanwhile.
    }
  };

  startSubscription();
  void loadDirectory().then(loadSummary);
  void loadRecentChanges();
  void loadTree().catch(() => {
    // No tree: the board still shows every account; the next reconnect reads it again.
  });

  return () => {
    stopped = true;
    for (const timer of [flushTimer, summaryTimer, resubscribeTimer]) if (timer !== undefined) clearTimeout(timer);
    unsubscribe?.();
    void client.dispose();
  };
}

/** Whether cursor `a` comes after `b` (none yet: any does). Cursors are decimal event ids, increasing. */
function isNewerCursor(a: string, b: string | null): boolean {
  return b === null || a.length > b.length || (a.length === b.length && a > b);
}

/** What to do about an authentication failure: the board has no sign-in form, its URL carries the token. */
const TOKEN_HINT = 'This server requires a token: open the board as /#token=<a reader API key or access token>.';

function describe(errors: readonly GraphQLErrorPayload[]): string {
  if (errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED' || error.extensions?.code === 'FORBIDDEN')) {
    return `${errors[0]?.message ?? ''} ${TOKEN_HINT}`;
  }
  return errors.map((error) => (error.extensions?.code ? `${error.extensions.code}: ${error.message}` : error.message)).join('; ');
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return describe(error as GraphQLErrorPayload[]);
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    // graphql-ws closes with 4403 Forbidden when the connection_init carries no valid token.
    return code === FORBIDDEN_CLOSE_CODE ? `the server refused the credentials. ${TOKEN_HINT}` : `connection closed (${String(code)})`;
  }
  return String(error);
}
