// What a subscriber's stream queues: a slot per change pushed and not yet taken. A subscriber that keeps up has only a
// few changes waiting and gets every one. One that falls behind (a busy process sending a round of changes to hundreds
// of whole-organization subscribers) would otherwise work through minutes-old changes — every fault's error event,
// then every recovery — and show a status's final state long after it was reached (the 10-minute soak: 2,767 statuses
// still on the last fault's error 80 s after it ended). Past CONFLATE_AFTER changes waiting, a status's new change
// takes the place of its change still waiting: the older slot is emptied (skipped when taken, at no cost of sending)
// and the merged change, saying the value the subscriber had before, is queued last, so cursors stay in order.
// (The repeater's own buffer sees only promises of what is pushed, so the slots carry the conflation instead.)

/** Changes a subscriber may have waiting before a status's newer change takes the place of its waiting one. @default 1_000 */
export const CONFLATE_AFTER = 1_000;

/** One queued change; emptied when a newer change of its status took its place. */
export interface QueuedSlot<M> {
  message: M | undefined;
}

/** A change as the queue sees it: its status, and the value it changed from (absent: a first reading). */
interface Change {
  readonly key: string;
  readonly previous?: string | null;
}

/** A status's change that takes the place of its waiting one: the newer change, from the value the subscriber had before. */
export function mergeChanges<M extends Change>(older: M, newer: M): M {
  const { previous: _replaced, ...change } = newer;
  return ('previous' in older ? { ...change, previous: older.previous } : change) as M;
}

export class Conflation<M extends Change> {
  /** Each status's newest waiting slot. */
  private readonly waiting = new Map<string, QueuedSlot<M>>();

  constructor(
    /** The change that stands for `older` followed by `newer`. */
    private readonly merge: (older: M, newer: M) => M = mergeChanges,
    private readonly conflateAfter = CONFLATE_AFTER,
  ) {}

  /**
   * The slot to queue for `message` while `waitingCount` changes wait; one it replaces is emptied. A change that may
   * not be merged (`mergeable` false: a membership change) is queued as it is, and nothing before it is merged with
   * anything after it.
   */
  slot(message: M, waitingCount: number, mergeable = true): QueuedSlot<M> {
    const older = this.waiting.get(message.key);
    if (!mergeable) {
      this.waiting.delete(message.key);
      return { message };
    }
    let queued = message;
    if (older?.message !== undefined && waitingCount > this.conflateAfter) {
      queued = this.merge(older.message, message);
      older.message = undefined;
    }
    const slot = { message: queued };
    this.waiting.set(message.key, slot);
    return slot;
  }

  /** The change a slot taken from the queue holds; undefined when a newer change took its place. */
  take(slot: QueuedSlot<M>): M | undefined {
    const { message } = slot;
    if (message !== undefined && this.waiting.get(message.key) === slot) this.waiting.delete(message.key);
    return message;
  }
}
