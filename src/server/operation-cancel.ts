// An operation's cancellation: one signal per operation, which the GraphQL context passes to the status reads
// (StatusService.forCaller → the SDK's abortSignal). It aborts when the caller has gone — the HTTP request closed
// before its answer, the graphql-ws subscription completed or its socket closed — so no AWS call is retried for an
// answer nobody will read. (The query deadline bounds each AWS call instead: aws/call.ts.) Its AbortController is made
// when a read first asks for the signal, i.e. when a read goes to AWS: most requests are answered from the cache, and
// an AbortController (an EventTarget) per request was a measurable share of a warm request's CPU and garbage.
import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../graphql/errors.js';

export interface OperationCancel {
  /** The operation's signal, made on first use (aborted at once if the operation was cancelled before). */
  readonly signal: AbortSignal;
  /** How long each AWS call of the operation's reads may wait (the query deadline); none: no deadline. */
  readonly awsDeadlineMs?: number;
  /**
   * Aborts the signal with `reason` (what the operation's pending reads then fail with); later calls do nothing. A
   * function of its own (not a method): the WebSocket server keeps it apart from its operation.
   */
  readonly cancel: (reason: Error) => void;
}

/**
 * An operation's cancellation, and the caller its status reads see (graphql/context.ts OperationCaller).
 * `watchCaller` starts watching for the caller's going (an HTTP response's close) when the signal is first made: an
 * operation answered from the cache has nothing to cancel, so it watches nothing.
 */
export function operationCancel(awsDeadlineMs?: number, watchCaller?: (cancel: (reason: Error) => void) => void): OperationCancel {
  return new LazyOperationCancel(awsDeadlineMs, watchCaller);
}

class LazyOperationCancel implements OperationCancel {
  private controller: AbortController | undefined = undefined;
  /** The first reason given before any read asked for the signal. */
  private reasonBeforeSignal: Error | undefined = undefined;

  constructor(
    readonly awsDeadlineMs: number | undefined,
    private readonly watchCaller: ((cancel: (reason: Error) => void) => void) | undefined,
  ) {}

  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = (this.controller = new AbortController());
    // One signal legitimately serves every read of the operation: each cache load it waits on listens to it until
    // that load settles (status/in-flight-loads.ts removes the listener then), and an organization query over 1,000
    // accounts waits on thousands at once. Node's default of 10 would warn of a leak that is not one.
    setMaxListeners(0, controller.signal);
    if (this.reasonBeforeSignal) controller.abort(this.reasonBeforeSignal);
    else this.watchCaller?.(this.cancel);
    return controller.signal;
  }

  readonly cancel = (reason: Error): void => {
    if (this.controller) this.controller.abort(reason);
    else this.reasonBeforeSignal ??= reason;
  };
}

/** What a read cut because its caller went away fails with (nobody reads it; it keeps the logs free of internal errors). */
export function callerGone(): GraphQLError {
  return new GraphQLError('The caller went away before this field was answered.', { extensions: { code: ErrorCode.CANCELLED } });
}

/**
 * Cancels the operation when its response closes before it was sent: the client hung up — at once if it already has.
 * Called when a read first needs the operation's signal (operationCancel's watchCaller): a request answered from the
 * cache adds no listener to its response (a once() wrapper and closure per request, measured in benchmark 2). A
 * response sent whole leaves nothing running to cancel, so it costs no error (with its stack trace) and no abort event.
 */
export function cancelWhenClosed(res: ServerResponse, cancel: (reason: Error) => void): void {
  if (res.closed) {
    if (!res.writableFinished) cancel(callerGone());
    return;
  }
  res.once('close', () => {
    if (!res.writableFinished) cancel(callerGone());
  });
}
