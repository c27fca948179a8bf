// Holding and releasing the world's time-driven transitions (FleetWise registration, Compute Optimizer enrollment,
// account creation), their bounded histories, and session invalidation: the control API's WorldControl over the
// service models. Each model reads its transitions lazily from its clock; a held transition's completion time is
// "never" until it is released, when it becomes the moment of release. Nothing runs in the background.
import {
  type InFlightTransition,
  keyMatches,
  patternCovers,
  type StatusChange,
  type StatusHistory,
  type TransitionKind,
  type WorldControl,
} from '../core/world-control.js';

/** The completion time of a held transition: later than any clock reading, until it is released. */
export const HELD_UNTIL_RELEASED = new Date(8_640_000_000_000_000);
/** Records kept per status (each record is one request: a registration, an opt-in or opt-out). */
export const HISTORY_LIMIT = 32;
/** The moment of a status's initial value, in histories that still reach back to it. */
const BEGINNING = new Date(0);

/** How a completion time is reported: undefined while held. */
export function settlesAtOrHeld(settlesAt: Date): Date | undefined {
  return settlesAt.getTime() === HELD_UNTIL_RELEASED.getTime() ? undefined : settlesAt;
}

/** Asked by a model when it starts a transition: should it wait for a release? */
export interface TransitionGate {
  isHeld(key: string): boolean;
}

/** When a transition starting `now` completes by itself: after the delay, or never while the gate holds its key. */
export function completionTime(gate: TransitionGate, key: string, now: Date, delayMs: number): Date {
  return gate.isHeld(key) ? HELD_UNTIL_RELEASED : new Date(now.getTime() + delayMs);
}

/** A gate that holds nothing: models built without a control API. */
export const NO_HOLDS: TransitionGate = { isHeld: () => false };

/** One model's transitions, as the control API handles them. */
export interface TransitionSource {
  readonly kind: TransitionKind;
  inFlight(now: Date): InFlightTransition[];
  /** Moves the completion of one transition still in flight at `now`: HELD_UNTIL_RELEASED holds it, `now` completes it. */
  reschedule(key: string, now: Date, settlesAt: Date): void;
  /** The status's history, or undefined for a key the model does not know. */
  history(key: string, now: Date): StatusHistory | undefined;
}

/** Forgets issued sessions (identity.ts). */
export interface SessionStore {
  forgetSessions(): number;
}

/** The hold patterns in force: consulted by the models whenever a transition starts. */
export class TransitionHolds implements TransitionGate {
  #patterns: string[] = [];

  get patterns(): readonly string[] {
    return this.#patterns;
  }

  isHeld(key: string): boolean {
    return this.#patterns.some((pattern) => keyMatches(pattern, key));
  }

  add(patterns: readonly string[]): void {
    for (const pattern of patterns) if (!this.#patterns.includes(pattern)) this.#patterns.push(pattern);
  }

  /** Lifts every hold one of `patterns` covers. */
  lift(patterns: readonly string[]): void {
    this.#patterns = this.#patterns.filter((held) => !patterns.some((pattern) => patternCovers(pattern, held)));
  }
}

export class WorldTransitions implements WorldControl {
  constructor(
    private readonly holds: TransitionHolds,
    private readonly sources: readonly TransitionSource[],
    private readonly sessions: SessionStore,
  ) {}

  hold(patterns: readonly string[], now: Date): string[] {
    this.holds.add(patterns);
    return this.matching(patterns, now).map(({ source, transition }) => {
      if (transition.settlesAt !== undefined) source.reschedule(transition.key, now, HELD_UNTIL_RELEASED);
      return transition.key;
    });
  }

  release(patterns: readonly string[], now: Date): string[] {
    this.holds.lift(patterns);
    return this.matching(patterns, now).map(({ source, transition }) => {
      source.reschedule(transition.key, now, now);
      return transition.key;
    });
  }

  transitions(now: Date): { holds: readonly string[]; inFlight: InFlightTransition[] } {
    return { holds: [...this.holds.patterns], inFlight: this.sources.flatMap((source) => source.inFlight(now)) };
  }

  history(keys: readonly string[], now: Date): Record<string, StatusHistory | null> {
    const answer: Record<string, StatusHistory | null> = {};
    for (const key of keys) {
      const source = this.sources.find((candidate) => key.startsWith(`${candidate.kind}:`));
      answer[key] = source?.history(key, now) ?? null;
    }
    return answer;
  }

  invalidateSessions(): number {
    return this.sessions.forgetSessions();
  }

  private matching(patterns: readonly string[], now: Date) {
    return this.sources
      .filter((source) => patterns.some((pattern) => [source.kind, '*'].includes(pattern.split(':')[0]!)))
      .flatMap((source) =>
        source
          .inFlight(now)
          .filter((transition) => patterns.some((pattern) => keyMatches(pattern, transition.key)))
          .map((transition) => ({ source, transition })),
      );
  }
}

/** A status's records, newest last, at most HISTORY_LIMIT of them; `truncated` once older ones were dropped. */
export class Timeline<Record> {
  readonly records: Record[] = [];
  truncated = false;

  constructor(first?: Record) {
    if (first !== undefined) this.records.push(first);
  }

  get current(): Record | undefined {
    return this.records.at(-1);
  }

  push(record: Record): void {
    this.records.push(record);
    if (this.records.length > HISTORY_LIMIT) {
      this.records.shift();
      this.truncated = true;
    }
  }

  replaceCurrent(record: Record): void {
    this.records[this.records.length - 1] = record;
  }
}

/** One record's life: it starts with `value`, and becomes `settled` at `settlesAt` (if that moment has come). */
export interface RecordPhases {
  readonly startsAt: Date;
  readonly value: string;
  readonly settlesAt?: Date;
  readonly settled?: string;
}

/**
 * The changes of a status from its records' phases. A record's settlement shows only once it has happened and
 * only if no later record replaced it first (an opt-out while an opt-in was still Pending).
 */
export function historyOf(phases: readonly RecordPhases[], initial: string | null, truncated: boolean, now: Date): StatusChange[] {
  const changes: StatusChange[] = truncated ? [] : [{ at: BEGINNING, value: initial }];
  phases.forEach((phase, index) => {
    changes.push({ at: phase.startsAt, value: phase.value });
    const next = phases[index + 1];
    const { settlesAt, settled } = phase;
    if (settlesAt !== undefined && settled !== undefined && settlesAt <= now && (next === undefined || settlesAt < next.startsAt)) {
      changes.push({ at: settlesAt, value: settled });
    }
  });
  return changes;
}
