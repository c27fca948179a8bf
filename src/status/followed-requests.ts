// The creation requests in progress a whole-organization stream polls (status-stream.ts), apart from the statuses
// it sends: followed so that a created account joins the stream within a fast poll of its request succeeding, and so
// that the request's recorded event naming that account reaches the stream as the account's creation status.
import { asAccountStatus } from './history-stream.js';
import type { StatusPubSub } from './pubsub.js';
import type { StatusChangeMessage, StatusWatcher } from './status-watcher.js';
import { isTransitional } from './ttl.js';
import type { WatchTarget } from './watchable-kinds.js';

/**
 * The creation requests in progress a whole-organization stream polls (created here, or found by the index scan):
 * the poll that reads one SUCCEEDED tells followed-creations.ts, which tells every such stream of the new account —
 * within a fast poll interval, not when a query or the accounts' slow creation polls happen to read it. Of the
 * requests themselves the stream is told (`onAccountEvent`) only the recorded events that name the account a request
 * made — its SUCCEEDED, as that account's creation status (history-stream.ts `asAccountStatus`), in cursor order with
 * the rest, where the account's current state once it joins would carry no cursor of its own. It stops polling a
 * request once it is over.
 */
export class FollowedRequests {
  private readonly watches = new Map<string, { readonly release: () => void; readonly stopHearing: Promise<() => Promise<void>> }>();
  private closed = false;

  constructor(
    private readonly watcher: StatusWatcher,
    private readonly pubsub: StatusPubSub,
    private readonly onAccountEvent: (message: StatusChangeMessage) => void = () => undefined,
  ) {}

  follow(requestIds: readonly string[]): void {
    for (const requestId of requestIds) {
      if (this.closed || this.watches.has(requestId)) continue;
      const target: WatchTarget = { kind: 'request', requestId };
      const watch = this.watcher.watch(target);
      const stopHearing = this.pubsub.subscribe(this.watcher.topicOf(target), (heard) => {
        const message = heard as StatusChangeMessage;
        // A recorded event (from history: observedBy) that names the account the request made.
        if (message.observedBy !== undefined && message.accountId !== undefined) this.onAccountEvent(asAccountStatus(message));
        this.endIfOver(requestId, message);
      });
      this.watches.set(requestId, { release: () => watch.release(), stopHearing });
      void watch.current().then((message) => this.endIfOver(requestId, message));
    }
  }

  close(): void {
    this.closed = true;
    for (const requestId of [...this.watches.keys()]) this.end(requestId);
  }

  /** A request SUCCEEDED, FAILED or unknown to AWS is over; a failure to read it is not. */
  private endIfOver(requestId: string, message: StatusChangeMessage): void {
    if (message.current !== undefined && !isTransitional(message.current)) this.end(requestId);
  }

  private end(requestId: string): void {
    const watch = this.watches.get(requestId);
    if (!watch) return;
    this.watches.delete(requestId);
    watch.release();
    void watch.stopHearing.then((unsubscribe) => unsubscribe()).catch(() => undefined);
  }
}
