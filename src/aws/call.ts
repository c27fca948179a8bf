// The one path every AWS call takes: send, report an AwsCallEvent to the onCall hook (metrics and logs live
// outside aws/), and turn any failure into an AwsCallError. (The rate limit sits inside the clients, per attempt.)
import { AwsCallError, toAwsCallError, type CallTarget } from './errors.js';
import type { AwsCallEvent } from './types.js';

export interface CallOptions {
  /**
   * Error codes that are answers, not failures (ResourceNotFoundException for an unregistered account):
   * reported with outcome `success` and the code, so dashboards do not count normal data as errors.
   */
  readonly answerCodes?: readonly string[];
}

/** Sends one AWS call for `target` and reports it; the reported duration includes time queued by the rate limit. */
export type CallAws = <Output>(target: CallTarget, send: () => Promise<Output>, options?: CallOptions) => Promise<Output>;

export interface CallAwsOptions {
  /** Observes every call; it must not throw. */
  readonly onCall?: (event: AwsCallEvent) => void;
}

export function createCallAws({ onCall }: CallAwsOptions): CallAws {
  const report = (event: AwsCallEvent) => onCall?.(event);

  return async (target, send, options) => {
    const startedAt = performance.now();
    try {
      const output = await send();
      report({
        ...eventLabels(target),
        outcome: 'success',
        durationMs: elapsedSince(startedAt),
        attempts: attemptsOf(output),
      });
      return output;
    } catch (error) {
      // An AwsCallError here was raised and reported by an inner call (AssumeRole for the credentials of
      // this call); this call never reached AWS, so there is nothing more to report.
      if (error instanceof AwsCallError) throw error;
      const failure = toAwsCallError(error, target);
      const isAnswer = options?.answerCodes?.includes(failure.code) ?? false;
      report({
        ...eventLabels(target),
        outcome: isAnswer ? 'success' : failure.throttled ? 'throttled' : 'error',
        errorCode: failure.code,
        durationMs: elapsedSince(startedAt),
        attempts: attemptsOf(error),
      });
      throw failure;
    }
  };
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
