// A circuit breaker per (service, region): when most calls to one AWS service in one region fail with outage errors
// (5xx, timeouts, dropped connections), further calls fail at once with CircuitOpen instead of queueing, retrying and
// timing out against a service that is down. After halfOpenMs one probe call goes through; its success closes the
// circuit, its failure opens it for another period. Throttling, access denied and not-found answers are AWS working
// as intended and never count.
//
// Built on cockatiel (TypeScript, no dependencies, no background timers — it looks at the clock when called):
// its SamplingBreaker judges the failure share over a sliding window, so a burst of errors among many successes does
// not trip it, and its policy runs any function, so one breaker serves every operation and account of its key.
// (opossum, the other well-known choice, wraps one fixed function per breaker and keeps interval timers running.)
import { BrokenCircuitError, CircuitState, SamplingBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { AwsCallError, type CallTarget } from './errors.js';

/** The AwsCallError code of a call refused by an open circuit. */
export const CIRCUIT_OPEN = 'CircuitOpen';
/** Share of the window's calls that must have failed before the circuit opens. */
const FAILURE_THRESHOLD = 0.5;
/** Calls the window must hold before the breaker judges at all: a few failures at low traffic are not an outage. */
const MIN_CALLS_PER_WINDOW = 10;

export type CircuitStateName = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** The sliding window the failure share is measured over, in milliseconds. @default 10_000 // 10 seconds */
  readonly windowMs: number;
  /** How long an open circuit refuses calls before it lets one probe through, in milliseconds. @default 5_000 // 5 seconds */
  readonly halfOpenMs: number;
  /** Whether an error thrown by a call means the service is failing; anything else counts for nothing. */
  readonly isOutage: (error: unknown) => boolean;
  /** Observes state changes (logs, metrics); must not throw. */
  readonly onStateChange?: (key: { service: string; region: string }, state: CircuitStateName) => void;
}

export interface CircuitBreakers {
  /**
   * Runs `call` through the breaker of the target's (service, region). While that circuit is open it rejects at
   * once with an AwsCallError whose code is CircuitOpen (retryable), and `call` is never invoked.
   */
  execute<T>(target: CallTarget, call: () => Promise<T>): Promise<T>;
  /** The circuit's state now (closed when it has never been used). */
  state(service: string, region: string): CircuitStateName;
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

export function createCircuitBreakers(options: CircuitBreakerOptions): CircuitBreakers {
  const { windowMs, halfOpenMs } = options;
  if (!(windowMs > 0) || !(halfOpenMs > 0)) {
    throw new RangeError(`windowMs and halfOpenMs must be positive, got ${windowMs} and ${halfOpenMs}`);
  }
  const policies = new Map<string, CircuitBreakerPolicy>();

  const policyFor = (service: string, region: string): CircuitBreakerPolicy => {
    const id = `${service}:${region}`;
    let policy = policies.get(id);
    if (!policy) {
      policy = circuitBreaker(handleWhen(options.isOutage), {
        halfOpenAfter: halfOpenMs,
        breaker: new SamplingBreaker({
          threshold: FAILURE_THRESHOLD,
          duration: windowMs,
          minimumRps: MIN_CALLS_PER_WINDOW / (windowMs / 1_000),
        }),
      });
      const onStateChange = options.onStateChange;
      if (onStateChange) policy.onStateChange((state) => onStateChange({ service, region }, STATE_NAMES[state]));
      policies.set(id, policy);
    }
    return policy;
  };

  return {
    async execute(target, call) {
      try {
        return await policyFor(target.service, target.region).execute(() => call());
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw circuitOpenError(target, halfOpenMs);
        throw error;
      }
    },
    state: (service, region) => STATE_NAMES[policies.get(`${service}:${region}`)?.state ?? CircuitState.Closed],
  };
}

function circuitOpenError(target: CallTarget, halfOpenMs: number): AwsCallError {
  return new AwsCallError({
    ...target,
    code: CIRCUIT_OPEN,
    message: `${target.service} in ${target.region} is failing; calls are paused and retried within ${halfOpenMs} ms.`,
    retryable: true,
    throttled: false,
  });
}
