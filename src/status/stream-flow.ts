// How much of a subscriber's stream is waiting for it: what went in and what the subscriber took (room for a replay,
// which waits while too many of its events are not taken; a slow subscriber's conflation), and replayed events gathered
// into pages that go into the stream's queue as one item each (status-stream.ts).
import type { StreamMessage } from './status-stream.js';

/** Replayed events pushed to the subscriber's queue as one item. */
export class ReplayedPage {
  readonly messages: StreamMessage[] = [];
}

/** Replayed events a subscriber may have waiting before the replay pauses for it. @default 1_000 */
const REPLAY_WINDOW = 1_000;

/** Counts what went into a stream and what its subscriber took (room for a replay; conflation); gathers replayed pages. */
export class Flow {
  pushed = 0;
  consumed = 0;
  private waiting: (() => void)[] = [];
  closed = false;
  /** The page being gathered, while a replayed page is sent. */
  page: ReplayedPage | undefined;
  pushPage: (page: ReplayedPage) => void = () => undefined;

  taken(): void {
    this.consumed += 1;
    if (this.waiting.length > 0 && this.pushed - this.consumed < REPLAY_WINDOW) for (const wake of this.waiting.splice(0)) wake();
  }

  async room(): Promise<void> {
    while (!this.closed && this.pushed - this.consumed >= REPLAY_WINDOW) await new Promise<void>((wake) => this.waiting.push(wake));
  }

  /** Sends what `send` sends as one page (in order, where it would have gone one by one). */
  inPage(send: () => void): void {
    this.page = new ReplayedPage();
    try {
      send();
    } finally {
      this.endPage();
    }
  }

  /** Pushes the page gathered so far, if any (also before a final message stops the stream). */
  endPage(): void {
    const { page } = this;
    this.page = undefined;
    if (page && page.messages.length > 0) this.pushPage(page);
  }

  close(): void {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
  }
}
