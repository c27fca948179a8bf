// When each watched status is polled: one timer for every poller, pollers due within COALESCE_MS of each other polled
// together (one batch per kind), the fast interval while a status is transitional and the slow one once it settled,
// and exponential back-off up to the slow interval for throttled or failing polls.
import type { Reading } from './change-messages.js';
import { isTransitional } from './ttl.js';
import type { WatchTarget } from './watchable-kinds.js';

/** Pollers due within this window of each other are polled in one batch. @default 250 // ms */
const COALESCE_MS = 250;

/** What the schedule reads and sets of a poller. */
export interface ScheduledPoller {
  readonly target: WatchTarget;
  dueAt: number;
  intervalMs: number;
  inFlight: boolean;
  /** Poked while its poll was under way: polled again as soon as that poll is recorded. */
  pokedInFlight?: boolean;
}

export interface PollScheduleOptions<S extends ScheduledPoller> {
  /** Poll interval while a status is transitional. */
  readonly fastMs: number;
  /** Poll interval once it settled. */
  readonly slowMs: number;
  readonly now: () => Date;
  /** Every poller there is. */
  readonly pollers: () => Iterable<S>;
  /** Whether this instance polls a poller now (it holds its lease). */
  readonly mayPoll: (state: S) => boolean;
  /** Polls due pollers of one kind in one batch, clearing each inFlight as its reading is recorded. */
  readonly poll: (states: readonly S[]) => Promise<void>;
}

export class PollSchedule<S extends ScheduledPoller> {
  private readonly options: PollScheduleOptions<S>;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(options: PollScheduleOptions<S>) {
    this.options = options;
  }

  get fastMs(): number {
    return this.options.fastMs;
  }

  /** Makes sure the timer fires by `dueAt`. */
  schedule(dueAt: number): void {
    if (this.stopped || dueAt >= this.timerDueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, dueAt - this.options.now().getTime()));
    this.timer.unref?.();
  }

  /** Sets the timer for the earliest poller this instance polls. */
  scheduleNext(): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const state of this.options.pollers()) {
      if (!state.inFlight && state.dueAt < earliest && this.options.mayPoll(state)) earliest = state.dueAt;
    }
    if (earliest < Number.POSITIVE_INFINITY) this.schedule(earliest);
  }

  /**
   * Due now (a mutation changed its status). A poll under way may have read AWS before the change: the poller is
   * polled again as soon as it is recorded, rather than an interval after it.
   */
  poke(state: S, now: number): void {
    state.dueAt = now;
    if (state.inFlight) state.pokedInFlight = true;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The next poll after a reading: fast while transitional, slow once settled; failures back off, refusals go slow. */
  afterReading(state: S, reading: Reading): void {
    const { fastMs, slowMs } = this.options;
    if ('failure' in reading) {
      const { failure } = reading;
      state.intervalMs = failure.throttled || failure.retryable ? this.backedOff(state) : slowMs;
    } else {
      state.intervalMs = isTransitional(reading.status) ? fastMs : slowMs;
    }
    this.dueAfter(state);
  }

  /** The next poll after a failure of statusgraph's own: backed off as if throttled. */
  afterInternalError(state: S): void {
    state.intervalMs = this.backedOff(state);
    this.dueAfter(state);
  }

  private dueAfter(state: S): void {
    state.dueAt = this.options.now().getTime() + (state.pokedInFlight ? 0 : state.intervalMs);
    state.pokedInFlight = false;
  }

  private backedOff(state: S): number {
    return Math.min(Math.max(state.intervalMs * 2, this.options.fastMs), this.options.slowMs);
  }

  private async tick(): Promise<void> {
    this.timerDueAt = Number.POSITIVE_INFINITY;
    const horizon = this.options.now().getTime() + COALESCE_MS;
    const due = [...this.options.pollers()].filter((state) => !state.inFlight && state.dueAt <= horizon && this.options.mayPoll(state));
    for (const state of due) state.inFlight = true;
    this.scheduleNext();
    if (due.length > 0) {
      const byKind = new Map<WatchTarget['kind'], S[]>();
      for (const state of due) byKind.set(state.target.kind, [...(byKind.get(state.target.kind) ?? []), state]);
      await Promise.all([...byKind.values()].map((states) => this.options.poll(states)));
    }
    this.scheduleNext();
  }
}
