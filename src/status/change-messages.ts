// What a poll read and how it travels: a reading (a raw AWS status or a failure), and the JSON-safe change message
// subscribers receive — plain data, so every StatusPubSub implementation (Redis too) can carry it.
import type { AwsCallErrorInit } from '../aws/errors.js';
import type { ObservedBy } from './history-port.js';
import type { Cached } from './status-cache.js';
import type { BatchResult } from './status-context.js';
import { kindOf, watchKey, type WatchTarget } from './watchable-kinds.js';
import type { UpstreamFailure } from './upstream-failure.js';

/** A failure as it travels in a change message: plain data, so it can cross Redis too. */
export type StatusFailure = Pick<AwsCallErrorInit, 'service' | 'operation' | 'code' | 'message' | 'retryable' | 'throttled'>;

/** What subscribers receive: JSON-safe, so every PubSub implementation can carry it. */
export interface StatusChangeMessage {
  readonly key: string;
  readonly target: WatchTarget;
  /** The raw AWS status before the change; null = none (never registered, no request); undefined = first reading. */
  readonly previous?: string | null;
  /** The raw AWS status now; null = none. Absent when `failure` is set. */
  readonly current?: string | null;
  readonly failure?: StatusFailure;
  /** ISO-8601 time the change was seen. */
  readonly changedAt: string;
  /** With history: the cursor of the event holding this value (a stream resumes after it). */
  readonly cursor?: string;
  /** Replayed from history: what observed it, and a mutation's caller and idempotency key. */
  readonly observedBy?: ObservedBy;
  readonly caller?: string;
  readonly idempotencyKey?: string;
  /** A creation request's account, once it names one (replayed request events). */
  readonly accountId?: string;
  /**
   * Read again after a failed read: a status back to its last recorded value carries that event's cursor (failures are
   * not history), which a resumed stream may have replayed — it still goes out (history-stream.ts, ResumeGate).
   */
  readonly recovered?: true;
}

/** A reading: a status, or a failure. */
export type Reading = { readonly status: string | null; readonly fetchedAt: Date } | { readonly failure: StatusFailure };

/** The reading a batch answer stands for; an Error here is an upstream failure (the caller keeps its own out). */
export function readingOf(target: WatchTarget, result: BatchResult<unknown>): Reading {
  return result instanceof Error
    ? { failure: toFailure(result as UpstreamFailure) }
    : { status: statusOf(target, result), fetchedAt: result.fetchedAt };
}

/** The message for a reading seen at `changedAt`, with the status it replaced when there was one. */
export function messageFor(target: WatchTarget, reading: Reading, changedAt: Date, previous?: Reading): StatusChangeMessage {
  const base = {
    key: watchKey(target),
    target,
    changedAt: changedAt.toISOString(),
    ...(previous && 'status' in previous ? { previous: previous.status } : {}),
  };
  if ('failure' in reading) return { ...base, failure: reading.failure };
  return previous && 'failure' in previous ? { ...base, current: reading.status, recovered: true } : { ...base, current: reading.status };
}

/** The reading a change message carries (its changedAt stands in for when it was read). */
export function readingOfMessage(message: StatusChangeMessage): Reading | undefined {
  if (message.failure) return { failure: message.failure };
  if (message.current === undefined) return undefined;
  return { status: message.current, fetchedAt: new Date(message.changedAt) };
}

/** Of two published changes, the one seen last. */
export function newest(a: StatusChangeMessage | undefined, b: StatusChangeMessage | undefined): StatusChangeMessage | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.changedAt) > Date.parse(a.changedAt) ? b : a;
}

/** Whether two readings say the same: the same status, or failures with the same code. */
export function sameReading(a: Reading, b: Reading): boolean {
  if ('failure' in a || 'failure' in b) {
    return 'failure' in a && 'failure' in b && a.failure.code === b.failure.code;
  }
  return a.status === b.status;
}

/** The raw AWS status a reading stands for; null when there is none (never registered, no creation request). */
function statusOf(target: WatchTarget, result: Cached<unknown>): string | null {
  return result.value == null ? null : kindOf(target).statusOf(result.value as never);
}

/** What a change message says of a failed AWS call (the watcher keeps statusgraph's own failures out of messages). */
function toFailure(error: UpstreamFailure): StatusFailure {
  return {
    service: error.service,
    operation: error.operation,
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    throttled: error.throttled,
  };
}
