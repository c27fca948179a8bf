// What the soak saw: operations and their latencies per kind, errors by code (untyped ones kept apart), every status
// value returned with its fetchedAt (checked against the emulator's histories at the end), and the process's RSS and
// event-loop delay over time.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { ErrorCode } from '../../src/graphql/errors.js';

/** A status value as statusgraph answered it: `key` is the emulator's transition key. */
export interface StatusSample {
  readonly key: string;
  readonly value: string | null;
  readonly fetchedAt: number;
}

interface GraphQLErrorLike {
  readonly message?: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string };
}

/** How often RSS and event-loop delay are sampled. @default 5_000 // 5 seconds */
export const RESOURCE_SAMPLE_MS = 5_000;

export interface ResourceSample {
  readonly atMs: number;
  readonly rssBytes: number;
  /** The V8 heap in use (statusgraph, the emulator and the clients together: one process). */
  readonly heapUsedBytes: number;
  /** p99 event-loop delay over the interval since the previous sample. */
  readonly eventLoopP99Ms: number;
}

const TYPED_CODES = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));

export class Observations {
  readonly latencies = new Map<string, number[]>();
  readonly errorsByCode = new Map<string, number>();
  /** Errors without a typed code: each is a bug (kept up to a few, with their path). */
  readonly untyped: string[] = [];
  untypedCount = 0;
  /** Requests that got no GraphQL answer at all (connection reset), with their cause. */
  readonly requestFailures: string[] = [];
  readonly samples = new Map<string, StatusSample>();
  readonly resources: ResourceSample[] = [];
  readonly #startedAt = performance.now();
  #histogram: IntervalHistogram | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** Records one finished operation of `kind` and the errors its answer carried. */
  operation(kind: string, latencyMs: number, errors: readonly GraphQLErrorLike[] | undefined): void {
    let list = this.latencies.get(kind);
    if (!list) this.latencies.set(kind, (list = []));
    list.push(latencyMs);
    for (const error of errors ?? []) this.error(kind, error);
  }

  error(kind: string, error: GraphQLErrorLike): void {
    const code = error.extensions?.code ?? 'NO_CODE';
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
    if (TYPED_CODES.has(code)) return;
    this.untypedCount++;
    if (this.untyped.length < 20) this.untyped.push(`${kind} ${code} at ${(error.path ?? []).join('.')}: ${error.message ?? ''}`);
  }

  /** A request that failed outright (HTTP or socket): counted under its own code. */
  failure(kind: string, reason: unknown): void {
    const cause = (reason as { cause?: { code?: string; message?: string } }).cause;
    this.requestFailures.push(`${kind}: ${String(reason)} (${cause?.code ?? cause?.message ?? 'no cause'})`);
  }

  status(key: string, value: string | null, fetchedAt: string | undefined): void {
    if (fetchedAt === undefined) return;
    const at = Date.parse(fetchedAt);
    this.samples.set(`${key} ${value} ${at}`, { key, value, fetchedAt: at });
  }

  startResourceSampling(): void {
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    this.#timer = setInterval(() => this.#sampleResources(), RESOURCE_SAMPLE_MS);
    this.#timer.unref();
  }

  stopResourceSampling(): void {
    clearInterval(this.#timer);
    this.#sampleResources();
    this.#histogram?.disable();
  }

  #sampleResources(): void {
    const histogram = this.#histogram;
    if (!histogram) return;
    const memory = process.memoryUsage();
    this.resources.push({
      atMs: performance.now() - this.#startedAt,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      eventLoopP99Ms: histogram.percentile(99) / 1e6,
    });
    histogram.reset();
  }

  operationCount(): number {
    let count = 0;
    for (const list of this.latencies.values()) count += list.length;
    return count;
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
