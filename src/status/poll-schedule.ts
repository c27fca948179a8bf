// When each watched status is polled: one timer for every poller, pollers due within COALESCE_MS of each other polled
// together (one batch per kind), the fast interval while a status is transitional and the slow one once it settled,
// and exponential back-off up to the slow interval for throttled or failing polls. An outage (5xx, timeout, open
// circuit) is looked at again from the fast interval, backing off while it lasts; the first poll that finds a service
// answering again pokes every other status that failed for that service's outage, so they are read again in the
// next round (one batch per kind: one org-wide scan where there is one) rather than each at its own back-off.
import type { Reading, StatusFailure } from './change-messages.js';
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
  /** The last reading polled: the schedule pokes those that failed for an outage when their service answers again. */
  readonly last?: Reading;
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
  /** Pollers whose reading, just recorded, was their service's first answer after an outage: the service they waited for. */
  private readonly recovered = new Map<S, string>();

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

  /**
   * The next poll after a reading: fast while transitional, slow once settled; throttling backs off from where it
   * was (AWS asked us to slow down), an outage from the fast interval (it may end any moment), refusals go slow.
   */
  afterReading(state: S, reading: Reading, previous: Reading | undefined): void {
    const { fastMs, slowMs } = this.options;
    if ('failure' in reading) {
      const { failure } = reading;
      if (isOutage(failure) && !outageOf(previous)) state.intervalMs = fastMs;
      else state.intervalMs = failure.throttled || failure.retryable ? this.backedOff(state) : slowMs;
    } else {
      state.intervalMs = isTransitional(reading.status) ? fastMs : slowMs;
    }
    this.dueAfter(state);
    const waitedFor = outageOf(previous);
    if (waitedFor && !outageOf(reading)) this.recovered.set(state, waitedFor.service);
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
      for (const state of due) {
        const batch = byKind.get(state.target.kind);
        if (batch) batch.push(state);
        else byKind.set(state.target.kind, [state]);
      }
      await Promise.all([...byKind.values()].map((states) => this.options.poll(states).then(() => this.pokeRecovered(states))));
    }
    this.scheduleNext();
  }

  /**
   * A batch found services answering again: every other poller still failing for an outage of one of them is due now,
   * so the next round re-reads exactly those (throttled ones keep their back-off: AWS asked us to slow down).
   */
  private pokeRecovered(batch: readonly S[]): void {
    const services = new Set<string>();
    for (const state of batch) {
      const service = this.recovered.get(state);
      if (service === undefined) continue;
      services.add(service);
      this.recovered.delete(state);
    }
    if (services.size === 0) return;
    const now = this.options.now().getTime();
    const polled = new Set(batch);
    for (const state of this.options.pollers()) {
      const failure = outageOf(state.last);
      if (failure && services.has(failure.service) && !state.inFlight && !polled.has(state) && this.options.mayPoll(state)) {
        state.dueAt = Math.min(state.dueAt, now);
      }
    }
    this.schedule(now);
  }
}

/** A failure that says the service is not answering (5xx, timeout, open circuit), not that it refused or throttled. */
function isOutage(failure: StatusFailure): boolean {
  return failure.retryable && !failure.throttled;
}

/** The failure of a reading that is an outage, if it is one. */
function outageOf(reading: Reading | undefined): StatusFailure | undefined {
  return reading && 'failure' in reading && isOutage(reading.failure) ? reading.failure : undefined;
}
