// A soak of the whole stack: the emulator with 1,000 accounts and live transitions, statusgraph against it over HTTP,
// the workload of workload.ts at once, and faults switched on and off while it runs (fault-schedule below). After a
// quiet period in which every transition completes, it checks the answers (checks.ts) and reports its figures.
// Run by `npm run soak` (bench/soak.ts, 10 minutes) and, shortened, by test/system/soak.test.ts.
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/index.js';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';
import { createLogger } from '../../src/server/logger.js';
import { startStatusGraph } from '../../src/server/start-statusgraph.js';
import { checkFinalStates, checkFreshness, type FinalStateVerdict, type FreshnessVerdict } from './checks.js';
import { Observations, percentile } from './observations.js';
import { DEFAULT_FLEETWISE_REGION, startWorkload, type Subscriber } from './workload.js';

export interface SoakOptions {
  readonly durationMs: number;
  /** @default 1_000 */
  readonly memberAccounts?: number;
  /** @default 200 */
  readonly subscribers?: number;
  /** How long each fault phase lasts (the service outage always lasts 20 s). @default 10_000 */
  readonly faultPhaseMs?: number;
  /** Pause of each query loop between two queries (org-wide and paging loops wait ten times as long). @default 100 */
  readonly pauseMs?: number;
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly durationMs: number;
  readonly operations: Record<string, { count: number; p50Ms: number; p99Ms: number }>;
  readonly errorsByCode: Record<string, number>;
  readonly untypedErrors: number;
  readonly untypedExamples: readonly string[];
  /** Requests answered by no GraphQL response at all (a reset connection), with their cause. */
  readonly requestFailures: readonly string[];
  readonly freshness: FreshnessVerdict;
  readonly finalStates: FinalStateVerdict;
  /** How long after the quiet period the subscribers took to agree with the emulator (0: at once). */
  readonly settledAfterMs: number;
  readonly subscriberEvents: number;
  /**
   * Subscriber sockets closed before the end, sockets opened again (each resumes its subscriptions after their last
   * cursor), statuses last seen failing before a reconnect that a query read again (failures are not replayed), and
   * streams that ended in error (each subscribed again).
   */
  readonly subscriberSocketsClosed: number;
  readonly subscriberReconnects: number;
  readonly statusesRereadAfterReconnect: number;
  readonly unheardStatusesReadAfterReconnect: number;
  /** What streams that ended in error said (distinct, a few). */
  readonly subscriberStreamErrorExamples: readonly string[];
  readonly subscriberStreamErrors: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  /** The largest V8 heap in use sampled in the first and the last window. */
  readonly heapUsedStartMb: number;
  readonly heapUsedEndMb: number;
  readonly eventLoopP99FirstMs: number;
  readonly eventLoopP99LastMs: number;
  /** The median of the windows' 5-second p99 samples: the level, which a single stall does not move. */
  readonly eventLoopP99MedianFirstMs: number;
  readonly eventLoopP99MedianLastMs: number;
  readonly errorLogs: number;
  readonly readyAtEnd: unknown;
  readonly faultPhases: readonly string[];
}

/** Transitions in the emulator take this long: they move all through the soak. */
const TRANSITION_MS = 3_000;
/** The outage of one service the issue asks for. */
const SERVICE_DOWN_MS = 20_000;
/** Load without faults before the first fault and between faults. */
const CALM_MS = 5_000;
/** At the end: no faults, every transition released, long enough for the slowest poll and a half-open circuit. */
const QUIET_MS = 20_000;
/** After the quiet period, how long subscribers may take to reach the final states, and how often that is checked. */
const SETTLE_MAX_MS = 60_000;
const SETTLE_STEP_MS = 5_000;
/** The first and last window compared for RSS and event-loop delay. @default 60_000 // a minute */
const WINDOW_MS = 60_000;

interface FaultPhase {
  readonly name: string;
  readonly ms: number;
  readonly faults?: Record<string, unknown>;
  readonly action?: (emulator: EmulatorProcess) => Promise<void>;
  /** Done halfway through the phase. */
  readonly midway?: { readonly name: string; readonly action: (workload: { dropSockets(): void }) => void };
}

function faultSchedule(phaseMs: number): FaultPhase[] {
  return [
    // The outage and the restart first: a schedule cut short by a slow machine still has them.
    {
      name: 'IoT FleetWise down',
      ms: SERVICE_DOWN_MS,
      faults: { errorRate: 1, operations: ['iotfleetwise:GetRegisterAccountStatus', 'iotfleetwise:RegisterAccount'] },
      // Every subscriber's socket cut while it shows the outage's errors (what a stalled process's ping timeout did):
      // each resumes after its last cursor, and the recovery, after it, must reach every one of them.
      midway: { name: 'subscriber sockets dropped', action: (workload) => workload.dropSockets() },
    },
    { name: 'endpoint restart (every session invalidated)', ms: 0, action: (emulator) => emulator.invalidateSessions() },
    { name: 'throttling burst', ms: phaseMs, faults: { throttleRate: 0.5 } },
    { name: '5xx', ms: phaseMs, faults: { errorRate: 0.2 } },
    { name: 'latency jitter', ms: phaseMs, faults: { latencyMs: 20, jitterMs: 400 } },
    { name: 'hangs past the timeout', ms: phaseMs, faults: { hangRate: 0.05 } },
  ];
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const emulator = await startEmulatorProcess({ memberAccounts: options.memberAccounts ?? 1_000, delayMs: TRANSITION_MS });
  let errorLogs = 0;
  const errorSink = new Writable({
    write(_chunk, _encoding, done) {
      errorLogs++;
      done();
    },
  });
  const config = loadConfig({
    PORT: '0',
    NODE_ENV: 'test',
    STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: '2000',
    STATUSGRAPH_CACHE_TTL_SETTLED_MS: '15000',
    STATUSGRAPH_POLL_FAST_MS: '1000',
    STATUSGRAPH_POLL_SLOW_MS: '5000',
    STATUSGRAPH_AWS_TIMEOUT_MS: '5000',
    STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT: '1000',
    STATUSGRAPH_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const server = await startStatusGraph(config, {
    awsEndpoint: emulator.endpoint,
    awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    logger: createLogger('error', errorSink),
  });
  const observations = new Observations();
  const faultPhases: string[] = [];
  try {
    const { members, initial } = await memberIds(server.url);
    log(`stack up: ${members.length} members; load and faults for ${options.durationMs / 1000} s`);
    observations.startResourceSampling();
    const workload = startWorkload({ url: server.url, observations, members, subscribers: options.subscribers ?? 200, pauseMs: options.pauseMs ?? 100 });
    const startedAt = Date.now();
    const faultsUntil = startedAt + options.durationMs - QUIET_MS;
    const phaseMs = options.faultPhaseMs ?? 10_000;
    const calmMs = Math.min(CALM_MS, phaseMs);
    await sleep(calmMs);
    for (let cycle = 0; Date.now() < faultsUntil; cycle++) {
      for (const phase of faultSchedule(phaseMs)) {
        if (Date.now() + phase.ms > faultsUntil) break;
        faultPhases.push(phase.name);
        log(`fault: ${phase.name}`);
        await phase.action?.(emulator);
        if (phase.faults) await setFaults(emulator.endpoint, phase.faults);
        if (phase.midway) {
          await sleep(phase.ms / 2);
          faultPhases.push(phase.midway.name);
          log(`fault: ${phase.midway.name}`);
          phase.midway.action(workload);
        }
        await sleep(phase.midway ? phase.ms / 2 : phase.ms);
        await setFaults(emulator.endpoint, undefined);
        await sleep(Math.min(calmMs, Math.max(0, faultsUntil - Date.now())));
      }
      if (Date.now() + calmMs > faultsUntil) break;
    }
    await sleep(Math.max(0, faultsUntil - Date.now()));
    log('quiet: faults off, mutations over, every transition released');
    await setFaults(emulator.endpoint, undefined);
    await workload.stopMutations();
    await emulator.release();
    await sleep(QUIET_MS);
    const { verdict, settledAfterMs } = await settledFinalStates(server.url, emulator, workload.subscribers, initial, log);
    const connections = { ...workload.connections };
    workload.stop();
    await workload.done;
    observations.stopResourceSampling();

    const histories = await emulator.history([...new Set([...observations.samples.values()].map((sample) => sample.key))]);
    const readyAtEnd = await (await fetch(new URL('/readyz', server.url))).json();
    return report(observations, {
      durationMs: Date.now() - startedAt,
      freshness: checkFreshness(observations.samples.values(), histories),
      finalStates: verdict,
      settledAfterMs,
      subscriberEvents: workload.subscribers.reduce((sum, subscriber) => sum + subscriber.events, 0),
      subscriberSocketsClosed: connections.socketsClosed,
      subscriberReconnects: connections.reconnects,
      statusesRereadAfterReconnect: connections.statusesReread,
      unheardStatusesReadAfterReconnect: connections.unheardStatusesRead,
      subscriberStreamErrors: workload.subscribers.reduce((sum, subscriber) => sum + subscriber.streamErrors, 0),
      subscriberStreamErrorExamples: [...new Set(workload.subscribers.flatMap((subscriber) => subscriber.lastStreamError ?? []))].slice(0, 5),
      errorLogs,
      readyAtEnd,
      faultPhases,
    });
  } finally {
    await server.close();
    await emulator.close();
  }
}

/**
 * The subscribers' last values against the emulator's final states, once they agree or SETTLE_MAX_MS after the quiet
 * period if they never do: on a machine stalled for seconds at a time, the pollers' first rounds after the faults
 * (every member's credentials renewed, circuits half-open) can outlast the quiet period, which proves nothing wrong.
 */
async function settledFinalStates(
  url: string,
  emulator: EmulatorProcess,
  subscribers: readonly Subscriber[],
  initial: ReadonlySet<string>,
  log: (line: string) => void,
): Promise<{ verdict: FinalStateVerdict; settledAfterMs: number }> {
  const startedAt = Date.now();
  const eventsSoFar = () => subscribers.reduce((sum, subscriber) => sum + subscriber.events, 0);
  let eventsAtLastLook = eventsSoFar();
  const callsSoFar = async () => Object.values((await (await fetch(new URL('/_emulator/calls', emulator.endpoint))).json()) as Record<string, number>).reduce((sum, count) => sum + count, 0);
  let callsAtLastLook = await callsSoFar();
  for (;;) {
    const final = await finalStates(url, emulator);
    if ('unread' in final) {
      // The organization query itself was cut short (its deadline, on a stalled machine): ask again.
      log(`the organization could not be read: ${final.unread}`);
      if (Date.now() - startedAt >= SETTLE_MAX_MS) throw new Error(`the organization could not be read at the end of the soak: ${final.unread}`);
      await sleep(SETTLE_STEP_MS);
      continue;
    }
    const { expected, accounts } = final;
    const createdAccounts = new Set(accounts.filter((id) => id !== '000000000000' && !initial.has(id)));
    const verdict = checkFinalStates(subscribers, expected, createdAccounts);
    const settledAfterMs = Date.now() - startedAt;
    if (verdict.subscribersBehind === 0 || settledAfterMs >= SETTLE_MAX_MS) return { verdict, settledAfterMs };
    // Events still arriving mean the subscribers are catching up; none, that statusgraph sent nothing more.
    const events = eventsSoFar();
    const calls = await callsSoFar();
    log(`not settled yet: ${JSON.stringify(verdict.behindBy)}; since the last look ${events - eventsAtLastLook} events, ${calls - callsAtLastLook} AWS calls; e.g. ${verdict.examples.slice(0, 3).join(' | ')}`);
    eventsAtLastLook = events;
    callsAtLastLook = calls;
    await sleep(SETTLE_STEP_MS);
  }
}

async function setFaults(endpoint: string, faults: Record<string, unknown> | undefined): Promise<void> {
  const response = await fetch(new URL('/_emulator/faults', endpoint), {
    method: faults ? 'PUT' : 'DELETE',
    ...(faults ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) } : {}),
  });
  if (!response.ok) throw new Error(`emulator refused faults: ${await response.text()}`);
}

async function graphql(url: string, query: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return response.json();
}

/** The active members (what mutations and account(id) pick from) and every account at the start. */
async function memberIds(url: string): Promise<{ members: string[]; initial: Set<string> }> {
  const answer = await graphql(url, `{ organization { accounts(first: 1000) { nodes { id state } } } }`);
  const nodes: { id: string; state: string }[] = answer.data.organization.accounts.nodes;
  return {
    members: nodes.filter((node) => node.id !== '000000000000' && node.state === 'ACTIVE').map((node) => node.id),
    initial: new Set(nodes.map((node) => node.id)),
  };
}

/**
 * Each status's final value in the emulator, keyed as subscriptions name them; statuses statusgraph cannot read (the
 * demo's account without a member role) are left out, since their subscribers get error events, not values.
 */
async function finalStates(url: string, emulator: EmulatorProcess): Promise<{ expected: Map<string, string | null>; accounts: string[] } | { unread: string }> {
  const answer = await graphql(
    url,
    `{ organization { accounts(first: 1000) { nodes { id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } creationRequest { id } } } } }`,
  );
  if (!answer.data?.organization) return { unread: JSON.stringify(answer.errors ?? answer).slice(0, 500) };
  // `organization.accounts.nodes.<index>.<field>` of each field that could not be read.
  const unreadable = new Set<string>((answer.errors ?? []).map((error: { path: unknown[] }) => `${String(error.path[3])}.${String(error.path[4])}`));
  const nodes: { id: string; creationRequest: { id: string } | null }[] = answer.data.organization.accounts.nodes;
  const keys = nodes.flatMap((node) => [
    `fleetwise:${node.id}:${DEFAULT_FLEETWISE_REGION}`,
    `enrollment:${node.id}`,
    ...(node.creationRequest ? [`creation:${node.creationRequest.id}`] : []),
  ]);
  const histories = await emulator.history(keys);
  const last = (key: string) => histories[key]?.at(-1)?.value ?? null;
  const expected = new Map<string, string | null>();
  nodes.forEach((node, index) => {
    const readable = (field: string) => !unreadable.has(`${index}.${field}`);
    if (readable('fleetwiseRegistration')) {
      expected.set(`FLEETWISE_REGISTRATION:${node.id}:${DEFAULT_FLEETWISE_REGION}`, last(`fleetwise:${node.id}:${DEFAULT_FLEETWISE_REGION}`));
    }
    if (readable('computeOptimizerEnrollment')) expected.set(`COMPUTE_OPTIMIZER_ENROLLMENT:${node.id}`, last(`enrollment:${node.id}`));
    if (readable('creationRequest')) {
      expected.set(`CREATION_REQUEST:${node.id}`, node.creationRequest ? last(`creation:${node.creationRequest.id}`) : null);
    }
  });
  return { expected, accounts: nodes.map((node) => node.id) };
}

function report(observations: Observations, rest: Omit<SoakReport, 'operations' | 'errorsByCode' | 'untypedErrors' | 'untypedExamples' | 'requestFailures' | 'rssStartMb' | 'rssEndMb' | 'heapUsedStartMb' | 'heapUsedEndMb' | 'eventLoopP99FirstMs' | 'eventLoopP99LastMs' | 'eventLoopP99MedianFirstMs' | 'eventLoopP99MedianLastMs'>): SoakReport {
  const operations: SoakReport['operations'] = {};
  for (const [kind, latencies] of observations.latencies) {
    operations[kind] = { count: latencies.length, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) };
  }
  const resources = observations.resources;
  const end = resources.at(-1)?.atMs ?? 0;
  const window = Math.min(WINDOW_MS, end / 3);
  const first = resources.filter((sample) => sample.atMs <= window);
  const last = resources.filter((sample) => sample.atMs >= end - window);
  const mb = (bytes: number) => round(bytes / 1024 / 1024);
  return {
    ...rest,
    operations,
    errorsByCode: Object.fromEntries(observations.errorsByCode),
    untypedErrors: observations.untypedCount,
    untypedExamples: observations.untyped,
    requestFailures: observations.requestFailures.slice(0, 20),
    rssStartMb: mb(Math.max(...first.map((sample) => sample.rssBytes), 0)),
    rssEndMb: mb(Math.max(...last.map((sample) => sample.rssBytes), 0)),
    heapUsedStartMb: mb(Math.max(...first.map((sample) => sample.heapUsedBytes), 0)),
    heapUsedEndMb: mb(Math.max(...last.map((sample) => sample.heapUsedBytes), 0)),
    eventLoopP99FirstMs: round(Math.max(...first.map((sample) => sample.eventLoopP99Ms), 0)),
    eventLoopP99LastMs: round(Math.max(...last.map((sample) => sample.eventLoopP99Ms), 0)),
    eventLoopP99MedianFirstMs: round(percentile(first.map((sample) => sample.eventLoopP99Ms), 50)),
    eventLoopP99MedianLastMs: round(percentile(last.map((sample) => sample.eventLoopP99Ms), 50)),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The checks of the issue, each a sentence when it failed. */
export function soakFailures(report: SoakReport): string[] {
  const failures: string[] = [];
  if (report.untypedErrors > 0) failures.push(`${report.untypedErrors} untyped errors, e.g. ${report.untypedExamples.join(' | ')}`);
  if (report.requestFailures.length > 0) failures.push(`${report.requestFailures.length} requests without an answer: ${report.requestFailures.join(' | ')}`);
  if (report.freshness.wrong.length > 0) failures.push(`${report.freshness.wrong.length} values never the emulator's state near their fetchedAt: ${report.freshness.wrong.join(' | ')}`);
  const { behindBy, examples } = report.finalStates;
  if (Object.keys(behindBy).length > 0) failures.push(`subscribers missed final states (${JSON.stringify(behindBy)}): ${examples.join(' | ')}`);
  if (report.rssEndMb > 1.5 * report.rssStartMb + 50) failures.push(`RSS grew from ${report.rssStartMb} MB to ${report.rssEndMb} MB`);
  // Flat, as the issue asks: the last window's level no higher than the first's (which holds the cold start) by half,
  // give or take a slice. The level is the median of the 5-second p99 samples: the windows' maxima are single stalls
  // (1.2 s to 14.5 s in the last window of three 10-minute runs, the recovery from the last fault in it).
  if (report.eventLoopP99MedianLastMs > 1.5 * report.eventLoopP99MedianFirstMs + 100) {
    failures.push(`event-loop delay p99 rose from ${report.eventLoopP99MedianFirstMs} ms to ${report.eventLoopP99MedianLastMs} ms (window medians)`);
  }
  // A failure of statusgraph's own (a poll that failed not because of AWS) is logged at error level: each is a bug.
  if (report.errorLogs > 0) failures.push(`${report.errorLogs} error-level log lines from statusgraph`);
  if ((report.readyAtEnd as { status?: string }).status !== 'ready') failures.push(`/readyz at the end: ${JSON.stringify(report.readyAtEnd)}`);
  return failures;
}
