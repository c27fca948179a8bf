// How long a status may be served from cache: briefly while AWS is still changing it, longer once it settled.

/** AWS values that mean "this will change soon by itself". */
const TRANSITIONAL_VALUES: ReadonlySet<string> = new Set([
  'REGISTRATION_PENDING', // FleetWise: ~5 minutes on AWS
  'Pending', // Compute Optimizer enrollment
  'IN_PROGRESS', // Organizations CreateAccount
  // Not here: account states PENDING_ACTIVATION and PENDING_CLOSURE, which last hours to 90 days.
]);

export function isTransitional(value: string | undefined | null): boolean {
  return value != null && TRANSITIONAL_VALUES.has(value);
}

export interface TtlPolicy {
  /** @default 5_000 // 5 seconds */
  readonly transitionalMs: number;
  /** @default 300_000 // 5 minutes */
  readonly settledMs: number;
}

/** TTL for one status value. */
export function ttlFor(policy: TtlPolicy, value: string | undefined | null): number {
  return isTransitional(value) ? policy.transitionalMs : policy.settledMs;
}

/** TTL for a collection: as short as its most transitional member. */
export function ttlForAll(policy: TtlPolicy, values: Iterable<string | undefined | null>): number {
  for (const value of values) if (isTransitional(value)) return policy.transitionalMs;
  return policy.settledMs;
}
