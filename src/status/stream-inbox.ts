// What reaches a subscriber's stream from outside — the live changes heard on its topics, the current states read as
// its statuses are watched, accounts entering and leaving — waits in the stream's inbox and is handed to the stream in
// arrival order by one drain that every stream of the process shares, a chunk at a time, letting the event loop turn
// between chunks (event-loop-turns.ts, the slices the streams' subscribers take their events in).
// Why: a poll round in which every status changed (the recovery after an outage, an endpoint restart) is published to
// every whole-organization subscriber at once — 3,000 changes × 200 subscribers, each taken through the subscriber's
// delivery into its queue. Done inside the publication that was one turn of seconds (the 10-minute soak's 1.2–14.5 s
// stalls): past graphql-ws's ping timeout, which closed every subscriber's socket. Now a publication only appends to
// each inbox. Per subscriber nothing is reordered or dropped: an inbox is a FIFO, taken from its head only, and
// everything of its stream goes through it (publishing in slices instead, b76ad61, let a later publication overtake
// a delayed one). A slow subscriber's conflation (conflating-buffer.ts) applies as before, after the inbox.
import { streamTurns, type EventLoopTurns } from './event-loop-turns.js';

/** Items one inbox hands on before the drain checks the slice and goes to the next inbox waiting. @default 64 */
export const INBOX_CHUNK = 64;

type Step<T> = (value: T) => void;

/** One stream's inbox: steps and their values, in arrival order. */
export class StreamInbox {
  private readonly steps: (Step<never> | undefined)[] = [];
  private readonly values: unknown[] = [];
  private head = 0;
  /** Whether the drain has it queued. */
  queued = false;
  private closed = false;

  constructor(
    private readonly drain: InboxDrain,
    /** A step that threw: the stream ends with that error (nothing after it would be in order). */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues `step(value)` after everything already waiting. */
  add<T>(step: Step<T>, value: T): void {
    if (this.closed) return;
    this.steps.push(step as Step<never>);
    this.values.push(value);
    this.drain.ready(this);
  }

  /** Items waiting. */
  get waiting(): number {
    return this.steps.length - this.head;
  }

  /** Runs up to `count` waiting steps, oldest first; whether more wait. */
  takeSome(count: number): boolean {
    const end = Math.min(this.steps.length, this.head + count);
    while (this.head < end && !this.closed) {
      const index = this.head++;
      const step = this.steps[index]!;
      const value = this.values[index];
      this.steps[index] = undefined;
      this.values[index] = undefined;
      try {
        step(value as never);
      } catch (error) {
        this.close();
        this.onError(error);
      }
    }
    this.compact();
    return !this.closed && this.head < this.steps.length;
  }

  /** Nothing more is taken in or handed on (the stream ended). */
  close(): void {
    this.closed = true;
    this.steps.length = 0;
    this.values.length = 0;
    this.head = 0;
  }

  /** Drops the slots already taken once they are most of the arrays (an inbox drained in chunks never empties at once). */
  private compact(): void {
    if (this.head === this.steps.length) {
      this.steps.length = 0;
      this.values.length = 0;
      this.head = 0;
    } else if (this.head >= 1_024 && this.head * 2 >= this.steps.length) {
      this.steps.splice(0, this.head);
      this.values.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Drains every inbox with something waiting, a chunk of each in turn, within the slices of `turns`. */
export class InboxDrain {
  private readonly queue: StreamInbox[] = [];
  private running = false;

  constructor(
    private readonly turns: EventLoopTurns = streamTurns,
    private readonly chunk = INBOX_CHUNK,
    /** How a drain starts once something is waiting: after the code that queued it (a publication to every inbox). */
    private readonly start: (drain: () => void) => void = queueMicrotask,
  ) {}

  inbox(onError: (error: unknown) => void): StreamInbox {
    return new StreamInbox(this, onError);
  }

  /** An inbox has something waiting. */
  ready(inbox: StreamInbox): void {
    if (inbox.queued) return;
    inbox.queued = true;
    this.queue.push(inbox);
    if (this.running) return;
    this.running = true;
    this.start(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const turn = this.turns.next();
        if (turn) {
          await turn;
          continue;
        }
        const inbox = this.queue.shift()!;
        if (inbox.takeSome(this.chunk)) this.queue.push(inbox);
        else inbox.queued = false;
      }
    } finally {
      this.running = false;
    }
  }
}

/** The drain every stream of this process shares, in the slices its subscribers take their events in. */
export const streamInboxes = new InboxDrain();
