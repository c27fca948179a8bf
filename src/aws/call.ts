// The one path every AWS call takes: through the circuit breaker of its (service, region), send, report an
// AwsCallEvent to the onCall hook (metrics and logs live outside aws/), and turn any failure into an AwsCallError.
// (The rate limit sits inside the clients, per attempt.) A call given a signal passes it to the SDK and, once it aborts,
// answers what it was retrying (AWS's throttling) or else the signal's own reason (abandoned-calls.ts).
import { attemptsOf as attemptsSent, isAbortError, onFirstAttempt } from './abandoned-calls.js';
import { CIRCUIT_OPEN, type CircuitBreakers } from './circuit-breaker.js';
import { AwsCallError, toAwsCallError, type CallTarget } from './errors.js';
import type { AwsCallEvent } from './types.js';

export interface CallOptions {
  /**
   * Error codes that are answers, not failures (ResourceNotFoundException for an unregistered account):
   * reported with outcome `success` and the code, so dashboards do not count normal data as errors.
   */
  readonly answerCodes?: readonly string[];
  /**
   * Aborts when the caller has gone (a query's deadline, a closed request, an ended subscription): the SDK stops
   * retrying, and the call fails with the throttling error it was retrying, or else with the signal's reason.
   */
  readonly signal?: AbortSignal;
  /**
   * How long the call may wait for AWS once its first attempt has left statusgraph's own rate-limit queue — its
   * attempts, backoff and retries' queueing included: past it the call is abandoned like a caller gone, and answers
   * the throttling it was retrying or else DEADLINE_EXCEEDED_CODE. The first wait in our own queue is our pacing, not
   * AWS being slow (1,000 ListTagsForResource at 50/s queue 20 s), so it is not counted; a caller that goes away
   * still ends it at once. Bounds each wait of a query rather than the query, so a long read of many quick calls
   * (250 ListAccounts pages) is never cut. The first attempt is seen by the attempts middleware every client of
   * clients.ts carries (abandoned-calls.ts); a send through a client without it would run without a deadline.
   */
  readonly deadlineMs?: number;
}

/** The code of a call abandoned at its deadline while AWS had answered none of its attempts (hung, or its retry queued). */
export const DEADLINE_EXCEEDED_CODE = 'DeadlineExceeded';

/** What a call's `send` passes to the SDK client's `send(command, options)`. */
export interface SendOptions {
  readonly abortSignal?: AbortSignal;
}

/** Sends one AWS call for `target` and reports it; the reported duration includes time queued by the rate limit. */
export type CallAws = <Output>(target: CallTarget, send: (options: SendOptions) => Promise<Output>, options?: CallOptions) => Promise<Output>;

export interface CallAwsOptions {
  /** Observes every call; it must not throw. */
  readonly onCall?: (event: AwsCallEvent) => void;
  /** Fails calls fast while their (service, region) is down; without it every call goes out. */
  readonly breakers?: CircuitBreakers;
}

export function createCallAws({ onCall, breakers }: CallAwsOptions): CallAws {
  const report = (event: AwsCallEvent) => onCall?.(event);

  return async (target, send, options) => {
    const startedAt = performance.now();
    const caller = options?.signal;
    if (caller?.aborted) throw abandonedReason(caller);
    const deadline = options?.deadlineMs === undefined ? undefined : new AbortController();
    // One signal per call, so what each call was retrying is kept apart from the others of the same caller.
    const call = caller || deadline ? AbortSignal.any([caller, deadline?.signal].filter((signal) => signal !== undefined)) : undefined;
    let deadlineTimer: NodeJS.Timeout | undefined;
    if (call && deadline) {
      onFirstAttempt(call, () => {
        deadlineTimer = setTimeout(() => deadline.abort(new DOMException('The call outlasted its deadline.', 'TimeoutError')), options!.deadlineMs);
      });
    }
    const sendOptions: SendOptions = call ? { abortSignal: call } : {};
    try {
      const output = await (breakers ? breakers.execute(target, () => send(sendOptions)) : send(sendOptions));
      report({
        ...eventLabels(target),
        outcome: 'success',
        durationMs: elapsedSince(startedAt),
        attempts: attemptsOf(output),
      });
      return output;
    } catch (error) {
      if (error instanceof AwsCallError) {
        // The open circuit of this call's own (service, region) refused it: reported, with no attempt made.
        if (isRefusalOf(error, target)) {
          report({ ...eventLabels(target), outcome: 'error', errorCode: CIRCUIT_OPEN, durationMs: elapsedSince(startedAt), attempts: 0 });
        }
        // Any other AwsCallError was raised and reported by an inner call (AssumeRole for the credentials of
        // this call); this call never reached AWS, so there is nothing more to report.
        throw error;
      }
      let attempts = attemptsOf(error);
      // What AWS answered: the call's own error, or, for an abandoned call, what it was retrying.
      let answer: unknown = error;
      if (call?.aborted) {
        const sent = attemptsSent(call);
        attempts = sent?.count ?? 0;
        if (sent?.lastFailure === undefined) {
          const cut = caller?.aborted ? abandonedReason(caller) : deadlineExceeded(target, options!.deadlineMs!);
          report({ ...eventLabels(target), outcome: 'error', errorCode: caller?.aborted ? ABANDONED : DEADLINE_EXCEEDED_CODE, durationMs: elapsedSince(startedAt), attempts });
          throw cut;
        }
        answer = sent.lastFailure;
      }
      const failure = toAwsCallError(answer, target);
      const isAnswer = options?.answerCodes?.includes(failure.code) ?? false;
      report({
        ...eventLabels(target),
        outcome: isAnswer ? 'success' : failure.throttled ? 'throttled' : 'error',
        errorCode: failure.code,
        durationMs: elapsedSince(startedAt),
        attempts,
      });
      throw failure;
    } finally {
      clearTimeout(deadlineTimer);
    }
  };
}

/**
 * Whether a failure says the service is down (5xx, timeout, dropped connection) — what the circuit breaker counts.
 * Throttling, refusals and not-found answers are AWS working; an AwsCallError is an inner call's failure, which its
 * own breaker has judged already.
 */
export function isOutage(error: unknown): boolean {
  // An abandoned call says nothing about the service: its caller went away.
  if (error instanceof AwsCallError || isAbortError(error)) return false;
  const failure = toAwsCallError(error, { service: '', operation: '', region: '' });
  return failure.retryable && !failure.throttled;
}

/** The code an abandoned call is reported with (its caller went away before AWS answered). */
export const ABANDONED = 'Abandoned';

/** What an abandoned call fails with: the reason its caller aborted with (a deadline's error), or a plain AbortError. */
function abandonedReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : Object.assign(new Error('The caller went away before AWS answered.'), { name: 'AbortError' });
}

/** A call its deadline cut before AWS answered any attempt: retryable, since asking later may well be answered. */
function deadlineExceeded(target: CallTarget, deadlineMs: number): AwsCallError {
  return new AwsCallError({
    ...target,
    code: DEADLINE_EXCEEDED_CODE,
    message: `AWS had not answered within the query deadline of ${deadlineMs / 1000} s.`,
    retryable: true,
    throttled: false,
  });
}

function isRefusalOf(error: AwsCallError, target: CallTarget): boolean {
  return (
    error.code === CIRCUIT_OPEN &&
    error.service === target.service &&
    error.operation === target.operation &&
    error.region === target.region &&
    error.accountId === target.accountId
  );
}

function eventLabels({ service, operation, region }: CallTarget) {
  return { service, operation, region };
}

function elapsedSince(startedAt: number): number {
  return performance.now() - startedAt;
}

/** The SDK counts its attempts in `$metadata.attempts`, on outputs and errors alike. */
function attemptsOf(value: unknown): number {
  if (typeof value !== 'object' || value === null || !('$metadata' in value)) return 1;
  const metadata = (value as { $metadata?: { attempts?: unknown } }).$metadata;
  return typeof metadata?.attempts === 'number' ? metadata.attempts : 1;
}
