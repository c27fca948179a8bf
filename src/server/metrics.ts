// Prometheus metrics: AWS calls by outcome and latency, their retries, the circuit breakers' states, status-cache hits
// and misses, DataLoader batch sizes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AwsCallEvent, CredentialRenewalEvent } from '../aws/index.js';

export interface Metrics {
  readonly registry: Registry;
  onAwsCall(event: AwsCallEvent): void;
  onCredentialRenewal(event: CredentialRenewalEvent): void;
  onCacheLookup(kind: string, outcome: 'hit' | 'miss'): void;
  onLoaderBatch(loader: string, size: number): void;
  onGraphQLRequest(operationType: string, outcome: 'success' | 'error', durationSeconds: number): void;
  /** A circuit breaker (per AWS service and region) changed state. */
  onCircuitState(service: string, region: string, state: 'closed' | 'open' | 'half-open'): void;
}

/** statusgraph_aws_circuit_state's values: closed lets calls through, open fails them at once, half-open probes. */
const CIRCUIT_STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;

/** From 5 ms (a warm answer) to 30 s (a cold organization-wide read). */
const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'statusgraph_' });

  const awsRequests = new Counter({
    name: 'statusgraph_aws_requests_total',
    help: 'AWS API calls made by statusgraph (SDK retries count once), by outcome.',
    labelNames: ['service', 'operation', 'outcome'] as const,
    registers: [registry],
  });
  const awsAttempts = new Counter({
    name: 'statusgraph_aws_attempts_total',
    help: 'HTTP attempts behind the AWS calls, retries included.',
    labelNames: ['service', 'operation'] as const,
    registers: [registry],
  });
  const credentialRenewals = new Counter({
    name: 'statusgraph_aws_credential_renewals_total',
    help: 'Credentials AWS refused and statusgraph renewed (a member role assumed again), by whose and whether AWS then accepted them.',
    labelNames: ['account', 'outcome'] as const,
    registers: [registry],
  });
  const awsTrouble = awsTroubleMetrics(registry);
  const awsDuration = new Histogram({
    name: 'statusgraph_aws_request_duration_seconds',
    help: 'Latency of AWS API calls, retries and rate-limit queueing included.',
    labelNames: ['service', 'operation'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  const onCacheLookup = cacheLookupCounter(registry);
  const batchSize = new Histogram({
    name: 'statusgraph_loader_batch_size',
    help: 'Keys per DataLoader batch.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  const graphqlRequests = new Histogram({
    name: 'statusgraph_graphql_request_duration_seconds',
    help: 'GraphQL operations by type and outcome.',
    labelNames: ['operation_type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });

  // Children bound to their labels once: an operation's metrics then skip building and hashing a labels object.
  const batchSizeOf = memoize((loader: string) => batchSize.labels(loader));
  const graphqlRequestsOf = memoize((key: string) => {
    const [operationType, outcome] = key.split(' ') as [string, string];
    return graphqlRequests.labels(operationType, outcome);
  });

  return {
    registry,
    onAwsCall(event) {
      awsRequests.inc({ service: event.service, operation: event.operation, outcome: event.outcome });
      awsAttempts.inc({ service: event.service, operation: event.operation }, event.attempts);
      awsTrouble.onAwsCall(event);
      awsDuration.observe({ service: event.service, operation: event.operation }, event.durationMs / 1000);
    },
    onCredentialRenewal(event) {
      credentialRenewals.inc({ account: event.account, outcome: event.outcome });
    },
    onCacheLookup,
    onLoaderBatch(loader, size) {
      batchSizeOf(loader).observe(size);
    },
    onGraphQLRequest(operationType, outcome, durationSeconds) {
      graphqlRequestsOf(`${operationType} ${outcome}`).observe(durationSeconds);
    },
    onCircuitState: awsTrouble.onCircuitState,
  };
}

/**
 * A page of accounts looks the cache up hundreds of times: lookups are counted in a plain map and added to the
 * counter when it is read (prom-client calls collect() on every scrape), not through prom-client one by one. The
 * counter registers itself; nothing else holds it.
 */
function cacheLookupCounter(registry: Registry): Metrics['onCacheLookup'] {
  const pendingCacheLookups = new Map<string, { kind: string; outcome: string; count: number }>();
  new Counter({
    name: 'statusgraph_cache_lookups_total',
    help: 'Status cache lookups by kind of entry and outcome (hit or miss).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
    collect() {
      for (const pending of pendingCacheLookups.values()) {
        if (pending.count > 0) this.inc({ kind: pending.kind, outcome: pending.outcome }, pending.count);
        pending.count = 0;
      }
    },
  });
  return (kind, outcome) => {
    const key = `${kind} ${outcome}`;
    const pending = pendingCacheLookups.get(key);
    if (pending) pending.count++;
    else pendingCacheLookups.set(key, { kind, outcome, count: 1 });
  };
}

/** One value per key, made on first use; the keys here are few (loader names, operation types × outcomes). */
function memoize<Value>(make: (key: string) => Value): (key: string) => Value {
  const made = new Map<string, Value>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}

/** The retries behind AWS calls and the circuit breakers' states: how AWS trouble shows before it reaches clients. */
function awsTroubleMetrics(registry: Registry): Pick<Metrics, 'onAwsCall' | 'onCircuitState'> {
  const retries = new Counter({
    name: 'statusgraph_aws_retries_total',
    help: 'Retried attempts behind the AWS calls (attempts beyond the first), by service and operation.',
    labelNames: ['service', 'operation'] as const,
    registers: [registry],
  });
  const circuitState = new Gauge({
    name: 'statusgraph_aws_circuit_state',
    help: 'Circuit breaker per AWS service and region: 0 closed, 1 half-open (one probe call), 2 open (calls fail at once).',
    labelNames: ['service', 'region'] as const,
    registers: [registry],
  });
  return {
    onAwsCall(event) {
      if (event.attempts > 1) retries.inc({ service: event.service, operation: event.operation }, event.attempts - 1);
    },
    onCircuitState(service, region, state) {
      circuitState.set({ service, region }, CIRCUIT_STATE_VALUES[state]);
    },
  };
}
