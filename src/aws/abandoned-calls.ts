// Calls whose caller has gone: every query read passes an AbortSignal to the SDK (`send(command, { abortSignal })`),
// which stops its retries — the backoff wait and the next attempt — once the signal aborts (the query deadline passed,
// the HTTP client hung up, the subscription ended). What the call did is kept here per signal — the attempts that went
// out and the last one's failure — so a call cut while AWS throttled it answers that throttling error rather than a
// bare abort, and reports the attempts it made.
import { SMITHY_CONTEXT_KEY, type FinalizeHandler, type FinalizeHandlerArguments, type HandlerExecutionContext, type Pluggable } from '@smithy/types';
import { RATE_LIMIT_MIDDLEWARE } from './rate-limiter.js';

/** What a call sent with a signal has done so far. */
export interface CallAttempts {
  /** Attempts that went out (past the rate limit, before the signal aborted). */
  count: number;
  /** The last attempt's failure, when it failed. */
  lastFailure?: unknown;
}

const attemptsBySignal = new WeakMap<AbortSignal, CallAttempts>();
/** What to do when the first attempt of the call sent with a signal leaves the rate limit's queue (call.ts: start its deadline). */
const firstAttemptHooks = new WeakMap<AbortSignal, () => void>();

const MIDDLEWARE_NAME = 'statusgraphAttemptsMiddleware';

/** What the call sent with `signal` did, if any attempt went out. */
export function attemptsOf(signal: AbortSignal): CallAttempts | undefined {
  return attemptsBySignal.get(signal);
}

/**
 * Runs `start` once, when the first attempt of the call sent with `signal` has left statusgraph's own rate-limit queue
 * and goes out: time spent waiting for our own pacing is not AWS being slow, so a call's deadline starts there.
 */
export function onFirstAttempt(signal: AbortSignal, start: () => void): void {
  firstAttemptHooks.set(signal, start);
}

/** Whether `error` is the SDK's answer to an aborted signal rather than anything AWS said. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Notes each attempt of a call sent with an abort signal. It sits inside the SDK's retry loop and inside the rate
 * limit, next to the signing, so it sees each attempt that goes out and its own error; what fails once the signal
 * has aborted is the abort, not AWS's answer, and is not noted.
 */
export function attemptsPlugin<Input extends object, Output extends object>(): Pluggable<Input, Output> {
  return {
    applyToStack(stack) {
      stack.addRelativeTo(
        (next: FinalizeHandler<Input, Output>, context: HandlerExecutionContext) => async (args: FinalizeHandlerArguments<Input>) => {
          const signal = (context[SMITHY_CONTEXT_KEY] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
          if (!signal || signal.aborted) return next(args);
          let attempts = attemptsBySignal.get(signal);
          if (!attempts) {
            attemptsBySignal.set(signal, (attempts = { count: 0 }));
            const start = firstAttemptHooks.get(signal);
            firstAttemptHooks.delete(signal);
            start?.();
          }
          attempts.count += 1;
          try {
            return await next(args);
          } catch (error) {
            if (!signal.aborted) attempts.lastFailure = error;
            throw error;
          }
        },
        { name: MIDDLEWARE_NAME, relation: 'after', toMiddleware: RATE_LIMIT_MIDDLEWARE, override: true },
      );
    },
  };
}
