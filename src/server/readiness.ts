// Readiness as a list of named checks, each saying ready, degraded (still serving, with a part missing) or unavailable
// (take this instance out of the load balancer). /readyz runs them together, each bounded in time, and answers with
// the worst: 200 `{"status":"ready"}`, 200 `{"status":"degraded","degraded":[names]}` or 503
// `{"status":"unavailable","reason":…}` (README, "Running in production").

/** What one check found. */
export type ReadinessOutcome =
  | { readonly state: 'ready' }
  /** The instance still answers, with less (e.g. without the shared Redis); a load balancer keeps sending to it. */
  | { readonly state: 'degraded' }
  /** The instance cannot do its work (e.g. AWS refuses its credentials); a load balancer should stop sending to it. */
  | { readonly state: 'unavailable'; readonly reason: string };

export interface ReadinessCheck {
  /** Named in the answer: `degraded: ["redis"]`. */
  readonly name: string;
  run(): Promise<ReadinessOutcome>;
}

export type ReadinessReport =
  | { readonly status: 'ready' }
  | { readonly status: 'degraded'; readonly degraded: readonly string[] }
  | { readonly status: 'unavailable'; readonly reason: string };

export const READY: ReadinessOutcome = { state: 'ready' };
export const DEGRADED: ReadinessOutcome = { state: 'degraded' };

/** How long one check may take before it counts as unavailable. @default 5_000 // 5 seconds */
export const READINESS_CHECK_TIMEOUT_MS = 5_000;

/** Runs every check at once; a check that throws or takes longer than `timeoutMs` is unavailable (reason Timeout). */
export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs = READINESS_CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
  const outcomes = await Promise.all(checks.map((check) => runBounded(check, timeoutMs)));
  const unavailable = outcomes.find((outcome) => outcome.state === 'unavailable');
  if (unavailable?.state === 'unavailable') return { status: 'unavailable', reason: unavailable.reason };
  const degraded = checks.filter((_check, index) => outcomes[index]!.state === 'degraded').map((check) => check.name);
  return degraded.length > 0 ? { status: 'degraded', degraded } : { status: 'ready' };
}

async function runBounded(check: ReadinessCheck, timeoutMs: number): Promise<ReadinessOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'unavailable', reason: 'Timeout' }), timeoutMs);
  });
  try {
    return await Promise.race([check.run(), timeout]);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unavailable';
    return { state: 'unavailable', reason: code };
  } finally {
    clearTimeout(timer);
  }
}
