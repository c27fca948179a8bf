// An operation's cancellation: one AbortController per operation, whose signal the GraphQL context passes to the
// status reads (StatusService.forCaller → the SDK's abortSignal). It aborts when the caller has gone — the HTTP
// request closed before its answer, the graphql-ws subscription completed or its socket closed — so no AWS call is
// retried for an answer nobody will read. (The query deadline bounds each AWS call instead: aws/call.ts.)
import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../graphql/errors.js';

export interface OperationCancel {
  readonly signal: AbortSignal;
  /** Aborts the signal with `reason` (what the operation's pending reads then fail with); later calls do nothing. */
  readonly cancel: (reason: Error) => void;
}

export function operationCancel(): OperationCancel {
  const controller = new AbortController();
  // One signal legitimately serves every read of the operation: each cache load it waits on listens to it until that
  // load settles (status/in-flight-loads.ts removes the listener then), and an organization query over 1,000
  // accounts waits on thousands at once. Node's default of 10 would warn of a leak that is not one.
  setMaxListeners(0, controller.signal);
  return { signal: controller.signal, cancel: (reason) => controller.abort(reason) };
}

/** What a read cut because its caller went away fails with (nobody reads it; it keeps the logs free of internal errors). */
export function callerGone(): GraphQLError {
  return new GraphQLError('The caller went away before this field was answered.', { extensions: { code: ErrorCode.CANCELLED } });
}

/**
 * Cancels the operation when its response closes before it was sent: the client hung up. A response sent whole
 * leaves nothing running to cancel, so it costs no error (with its stack trace) and no abort event — the common
 * case, on every request.
 */
export function cancelWhenClosed(res: ServerResponse, operation: Pick<OperationCancel, 'cancel'>): void {
  res.once('close', () => {
    if (!res.writableFinished) operation.cancel(callerGone());
  });
}
