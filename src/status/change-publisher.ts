// How a poller's change reaches subscribers: recorded in history first (durable; the message then carries the cursor
// of its event), then published on the status's topic — in the order the changes were seen — and left with the lease
// store for the next holder. With shared leases, a change that did not reach the PubSub is kept to be sent again.
import type { StatusChangeMessage } from './change-messages.js';
import type { StatusHistory } from './history-port.js';
import type { PollerLeases } from './poller-leases.js';
import type { StatusPubSub } from './pubsub.js';
import { watchKey, type WatchTarget } from './watchable-kinds.js';

/** What the publisher reads and sets of a poller. */
export interface PublishingPoller {
  readonly key: string;
  readonly target: WatchTarget;
  /** Shared leases: a change whose publication failed (Redis away), sent again after the next successful claim. */
  unsent?: StatusChangeMessage;
  /** Publications started, so a late failure of an older one does not bring it back over a newer one. */
  published: number;
}

export interface ChangePublisherOptions {
  readonly pubsub: StatusPubSub;
  readonly leases: PollerLeases;
  readonly history: StatusHistory | undefined;
  /** Whether a poller is still the one watching its status (a forgotten one keeps nothing to resend). */
  readonly stillWatched: (poller: PublishingPoller) => boolean;
}

export class ChangePublisher {
  private readonly options: ChangePublisherOptions;
  /** Recordings in the order their changes were seen, so publications keep that order. */
  private recording: Promise<unknown> = Promise.resolve();

  constructor(options: ChangePublisherOptions) {
    this.options = options;
  }

  /**
   * Records a change in history (durable first), then publishes it with its cursor; failures are not history.
   * `knowsPrevious`: the message's previous came from another instance (a lease taken over), which this instance's
   * history may never have seen — history is told it.
   */
  deliver(poller: PublishingPoller, message: StatusChangeMessage, options: { readonly knowsPrevious?: boolean } = {}): void {
    const { history } = this.options;
    if (!history || message.failure) {
      this.publish(poller, message);
      return;
    }
    const observation = {
      target: poller.target,
      status: message.current ?? null,
      observedAt: new Date(message.changedAt),
      observedBy: 'poll' as const,
      ...(options.knowsPrevious && message.previous !== undefined ? { previous: message.previous } : {}),
    };
    const recorded = this.recording.then(() => history.record([observation]));
    this.recording = recorded.catch(() => undefined);
    void recorded.then(
      // A reading older than its status's last event (it waited behind a mutation's) is not news: the newer went out.
      ([answer]) => answer?.stale || this.publish(poller, answer ? { ...message, cursor: answer.cursor } : message),
      () => this.publish(poller, message),
    );
  }

  /** Publishes a change; with shared leases, one that did not reach the PubSub is kept to be sent again. */
  publish(poller: PublishingPoller, message: StatusChangeMessage): void {
    const { pubsub, leases, stillWatched } = this.options;
    const publication = ++poller.published;
    poller.unsent = undefined;
    leases.published(poller.key, message);
    pubsub.publish(`status:${watchKey(poller.target)}`, message).catch(() => {
      if (leases.shared && stillWatched(poller) && poller.published === publication) poller.unsent = message;
    });
  }
}
