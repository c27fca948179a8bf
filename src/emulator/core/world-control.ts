// What the control API may ask of the emulated world beyond calls and faults, so tests never race its clock: hold
// status transitions in their transitional state and release them (they complete at the moment of release), tell
// what a status was at any recent moment, and forget every issued session as a restarted endpoint would.
// The core knows only this contract; services/transitions.ts implements it over the service models.
import { z } from 'zod';

/** The statuses that move by themselves, as the emulator names them in transition keys. */
export const TRANSITION_KINDS = ['fleetwise', 'enrollment', 'creation'] as const;
export type TransitionKind = (typeof TRANSITION_KINDS)[number];

/**
 * A transition key names one status: `fleetwise:<account>:<region>`, `enrollment:<account>`,
 * `creation:<request id>`. A pattern may put `*` in any segment and leave trailing segments out:
 * `creation:*` and `creation` are every creation request, `fleetwise:111122223333` that account in every region,
 * `*` everything.
 */
export const transitionPatternSchema = z
  .string()
  .regex(/^(\*|fleetwise|enrollment|creation)(:(\*|[A-Za-z0-9-]+)){0,2}$/, 'expected "<fleetwise|enrollment|creation|*>[:<id or *>[:<region or *>]]"');

export const transitionPatternsSchema = z.strictObject({
  /** @default ['*'] — every transition */
  keys: z.array(transitionPatternSchema).min(1).optional(),
});

export const historyRequestSchema = z.strictObject({
  keys: z.array(z.string().regex(/^(fleetwise:\d{12}:[a-z0-9-]+|enrollment:\d{12}|creation:car-[a-z0-9]+)$/, 'expected a transition key')).max(20_000),
});

/** A status took `value` at `at` (null: no such status yet, e.g. never registered). */
export interface StatusChange {
  readonly at: Date;
  readonly value: string | null;
}

/**
 * A status's changes up to now, oldest first. When the emulator still knows the status's whole life, the first entry
 * is its initial value at the epoch; when its bounded history dropped older changes, the value before the first entry
 * is unknown.
 */
export type StatusHistory = readonly StatusChange[];

/** A transition under way. */
export interface InFlightTransition {
  readonly key: string;
  /** The transitional value: REGISTRATION_PENDING, Pending, IN_PROGRESS. */
  readonly value: string;
  /** When it completes by itself; undefined while it is held. */
  readonly settlesAt: Date | undefined;
}

export interface WorldControl {
  /** Holds the transitions in flight that match, and every later one that matches, until released. Returns the keys held now. */
  hold(patterns: readonly string[], now: Date): string[];
  /** Lifts the holds the patterns cover and completes every matching transition in flight now. Returns the keys completed. */
  release(patterns: readonly string[], now: Date): string[];
  /** The hold patterns in force and the transitions in flight. */
  transitions(now: Date): { readonly holds: readonly string[]; readonly inFlight: readonly InFlightTransition[] };
  /** Each key's history; null for a key the emulator does not know. */
  history(keys: readonly string[], now: Date): Record<string, StatusHistory | null>;
  /** Forgets every assumed-role session, as an endpoint restart does: their keys are then unrecognized. Returns how many. */
  invalidateSessions(): number;
}

/** Whether a key (`fleetwise:1:us-east-1`) matches a pattern (`fleetwise:*`, `fleetwise`, `*`). */
export function keyMatches(pattern: string, key: string): boolean {
  const wanted = pattern.split(':');
  const parts = key.split(':');
  if (wanted.length > parts.length) return false;
  return wanted.every((segment, index) => segment === '*' || segment === parts[index]);
}

/** Whether every key `inner` matches is matched by `outer` too (releasing `outer` lifts the hold `inner`). */
export function patternCovers(outer: string, inner: string): boolean {
  const wanted = outer.split(':');
  const held = inner.split(':');
  return wanted.every((segment, index) => segment === '*' || (index < held.length && held[index] === segment));
}
