// Benchmark 4 (and issue 4's benchmark) — subscriptions: AWS calls per poll interval, delivery latency and server memory
// for 100, 1,000 and 5,000 subscribers over the 100 accounts of an organization. Subscriber i watches all three
// statuses of account i mod 100, over graphql-ws sockets of 100 subscriptions each (the server's cap per socket).
// Changes are made with registerFleetwiseAccount: REGISTRATION_PENDING is pushed at once (the mutation pokes the
// pollers), REGISTRATION_SUCCESS happens inside "AWS" `delayMs` later and is found by the next fast poll.
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-ws';
import type { TopLevelSpec } from 'vega-lite';
import WebSocket from 'ws';
import { CHART_CONFIG, writeChart } from './support/chart.js';
import { startEmulatorProcess, startStatusGraphProcess, type StatusGraphProcess } from './support/processes.js';
import { count, duration, machineLine, megabytes, table } from './support/report.js';
import { callsMatching, median, percentile } from './support/stats.js';

const ACCOUNTS = 100;
/** The server refuses more subscriptions than this on one socket. */
const SUBSCRIPTIONS_PER_SOCKET = 100;
/** How long an emulated FleetWise registration stays REGISTRATION_PENDING. */
const REGISTRATION_DELAY_MS = 2_500; // 2.5 seconds: not a multiple of the fast interval, so polls do not line up with it
/** Poll intervals for the benchmark (the defaults are 5 s and 60 s: the same mechanism, a longer wait to measure). */
export const POLL_FAST_MS = 1_000; // 1 second
export const POLL_SLOW_MS = 3_000; // 3 seconds
/** The operation whose bursts mark poll rounds. */
const FLEETWISE_POLL = 'iotfleetwise:GetRegisterAccountStatus';
/** A round's FleetWise burst: at least this many calls within this time of its first. */
const BURST_CALLS = 20;
const BURST_WINDOW_MS = 500;
/** Rounds come a little later than the slow interval (the poll itself takes time): sample this much longer. */
const ROUND_MARGIN = 1.3;
/** How often the call counter is read while rounds are counted. */
const SAMPLE_EVERY_MS = 50;
/** Accounts registered per latency run. */
const REGISTRATIONS_PER_RUN = 2;
/** How long a run waits for every subscriber to see every change before it gives up. */
const DELIVERY_TIMEOUT_MS = 30_000;

const WATCH = /* GraphQL */ `
  subscription Watch($ids: [AccountId!]) {
    accountStatusChanged(accountIds: $ids) { accountId source previous current changedAt error { code } }
  }
`;
const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterFleetwiseAccountInput!) { registerFleetwiseAccount(input: $input) { accountStatus lastModificationTime } }
`;

export interface SubscriptionOptions {
  readonly subscriberCounts: readonly number[];
  readonly runs: number;
  readonly latencyMs: number;
}

export interface SubscriptionResult {
  readonly subscribers: number;
  readonly sockets: number;
  /** AWS calls per poll round (one slow interval of every poller), one figure per round counted. */
  readonly callsPerInterval: readonly number[];
  /** Time between the starts of consecutive poll rounds, in milliseconds. */
  readonly roundMs: readonly number[];
  /** Milliseconds from sending the mutation to each subscriber's REGISTRATION_PENDING event. */
  readonly pushedMs: readonly number[];
  /** Milliseconds from the moment the registration succeeded in the emulator to each subscriber's REGISTRATION_SUCCESS event. */
  readonly polledMs: readonly number[];
  readonly baselineRssBytes: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Events whose `error` was set (a status that could not be read). */
  readonly errorEvents: number;
}

interface Subscriber {
  readonly accountId: string;
  readonly arrivals: { source: string; current: string | null; at: number }[];
  errorEvents: number;
}

export async function benchSubscriptions(options: SubscriptionOptions, log: (line: string) => void = console.log): Promise<SubscriptionResult[]> {
  const results: SubscriptionResult[] = [];
  for (const subscribers of options.subscriberCounts) {
    const emulator = await startEmulatorProcess({ memberAccounts: ACCOUNTS - 1, delayMs: REGISTRATION_DELAY_MS });
    let server: StatusGraphProcess | undefined;
    const clients: Client[] = [];
    try {
      await emulator.setFaults({ latencyMs: options.latencyMs });
      server = await startStatusGraphProcess(emulator.endpoint, {
        STATUSGRAPH_POLL_FAST_MS: String(POLL_FAST_MS),
        STATUSGRAPH_POLL_SLOW_MS: String(POLL_SLOW_MS),
      });
      const accounts = await readAccounts(server);
      const baselineRssBytes = server.rssBytes();

      // Subscribe, spread over sockets, and wait for every subscriber's first state (one event per source).
      const watchers: Subscriber[] = [];
      for (let index = 0; index < subscribers; index++) {
        if (index % SUBSCRIPTIONS_PER_SOCKET === 0) clients.push(socketClient(server.url));
        const watcher: Subscriber = { accountId: accounts.ids[index % ACCOUNTS]!, arrivals: [], errorEvents: 0 };
        watchers.push(watcher);
        clients.at(-1)!.subscribe<{ accountStatusChanged: { source: string; current: string | null; error: unknown } }>(
          { query: WATCH, variables: { ids: [watcher.accountId] } },
          {
            next: ({ data }) => {
              const event = data?.accountStatusChanged;
              if (!event) return;
              if (event.error) watcher.errorEvents++;
              watcher.arrivals.push({ source: event.source, current: event.current, at: performance.now() });
            },
            error: (error) => log(`  subscription error: ${JSON.stringify(error).slice(0, 200)}`),
            complete: () => undefined,
          },
        );
      }
      await until(() => watchers.every((watcher) => new Set(watcher.arrivals.map((arrival) => arrival.source)).size === 3), DELIVERY_TIMEOUT_MS, 'every first state');
      const rounds = await pollRounds(emulator, options.runs);
      const callsPerInterval = rounds.map((round) => round.calls);
      const roundMs = rounds.map((round) => round.ms);
      const rssBytes = server.rssBytes();
      const heapUsedBytes = await server.heapUsedBytes();

      // Delivery latency: register accounts that never were, and time each subscriber's PENDING and SUCCESS.
      const pushedMs: number[] = [];
      const polledMs: number[] = [];
      const candidates = [...accounts.unregistered];
      for (let run = 0; run < options.runs; run++) {
        const chosen = candidates.splice(0, REGISTRATIONS_PER_RUN);
        if (chosen.length === 0) throw new Error('no unregistered account left for another latency run');
        await Promise.all(
          chosen.map(async (accountId) => {
            const audience = watchers.filter((watcher) => watcher.accountId === accountId);
            const seen = audience.map((watcher) => watcher.arrivals.length);
            const sentAt = performance.now();
            const answer = await server!.gql(REGISTER, { input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWiseRole` } });
            if (answer.errors) throw new Error(`registerFleetwiseAccount failed: ${JSON.stringify(answer.errors)}`);
            // The emulator settles the registration `delayMs` after it was requested (lastModificationTime, on the
            // wall clock this process shares with the emulator).
            const settlesAt = sentAt + (Date.parse(answer.data.registerFleetwiseAccount.lastModificationTime) + REGISTRATION_DELAY_MS - (Date.now() - (performance.now() - sentAt)));
            const arrival = (watcher: Subscriber, index: number, status: string) =>
              watcher.arrivals.slice(seen[index]).find((event) => event.source === 'FLEETWISE_REGISTRATION' && event.current === status);
            await until(() => audience.every((watcher, index) => arrival(watcher, index, 'REGISTRATION_SUCCESS')), DELIVERY_TIMEOUT_MS, 'REGISTRATION_SUCCESS everywhere');
            audience.forEach((watcher, index) => {
              pushedMs.push(arrival(watcher, index, 'REGISTRATION_PENDING')!.at - sentAt);
              polledMs.push(arrival(watcher, index, 'REGISTRATION_SUCCESS')!.at - settlesAt);
            });
          }),
        );
      }
      const result: SubscriptionResult = {
        subscribers,
        sockets: clients.length,
        callsPerInterval,
        roundMs,
        pushedMs,
        polledMs,
        baselineRssBytes,
        rssBytes,
        heapUsedBytes,
        errorEvents: watchers.reduce((sum, watcher) => sum + watcher.errorEvents, 0),
      };
      log(
        `  ${subscribers} subscribers: ${callsPerInterval.join(', ')} calls per poll round (${roundMs.map((ms) => duration(ms)).join(', ')} apart); pushed p50 ${duration(percentile(pushedMs, 0.5))} ` +
          `p99 ${duration(percentile(pushedMs, 0.99))}; polled p50 ${duration(percentile(polledMs, 0.5))} p99 ${duration(percentile(polledMs, 0.99))}; RSS ${megabytes(rssBytes)}`,
      );
      results.push(result);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
      await server?.stop();
      await emulator.stop();
    }
  }
  return results;
}

/**
 * The AWS calls of `count` consecutive poll rounds. The FleetWise pollers started with the first subscribers are
 * polled in one batch, so each round begins with a burst of GetRegisterAccountStatus; the calls from one burst's start
 * to the next are one round of every poller (pollers out of step with the burst still poll once in between).
 */
async function pollRounds(emulator: { calls(): Promise<Record<string, number>> }, count: number): Promise<{ calls: number; ms: number }[]> {
  const samples: { at: number; all: number; fleetwise: number }[] = [];
  const until = performance.now() + (count + 2) * POLL_SLOW_MS * ROUND_MARGIN;
  // A burst starts where FleetWise calls resume and BURST_CALLS of them follow within BURST_WINDOW_MS.
  const burstStarts = (): number[] => {
    const starts: number[] = [];
    for (let index = 1; index < samples.length; index++) {
      const sample = samples[index]!;
      const before = samples[index - 1]!;
      if (sample.fleetwise === before.fleetwise) continue;
      const lastStart = starts.at(-1);
      if (lastStart !== undefined && sample.at - samples[lastStart]!.at < POLL_SLOW_MS / 2) continue;
      const soon = samples.find((later) => later.at >= sample.at + BURST_WINDOW_MS);
      if (soon && soon.fleetwise - before.fleetwise >= BURST_CALLS) starts.push(index);
    }
    return starts;
  };
  while (performance.now() < until && burstStarts().length <= count) {
    const calls = await emulator.calls();
    samples.push({ at: performance.now(), all: callsMatching(calls), fleetwise: callsMatching(calls, FLEETWISE_POLL) });
    await sleep(SAMPLE_EVERY_MS);
  }
  const starts = burstStarts();
  const rounds = starts.slice(1).map((start, index) => {
    const from = samples[starts[index]! - 1]!;
    const to = samples[start - 1]!;
    return { calls: to.all - from.all, ms: samples[start]!.at - samples[starts[index]!]!.at };
  });
  if (rounds.length < count) throw new Error(`counted ${rounds.length} poll rounds, wanted ${count}`);
  return rounds.slice(0, count);
}

function socketClient(httpUrl: string): Client {
  return createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
}

/** The organization's account ids, and members that can be read and never registered with FleetWise. */
async function readAccounts(server: StatusGraphProcess): Promise<{ ids: string[]; unregistered: string[] }> {
  const answer = await server.gql(`{ organization { accounts(first: ${ACCOUNTS}) { nodes { id state fleetwiseRegistration { accountStatus } } } } }`);
  const failed = new Set((answer.errors ?? []).map((error) => error.path?.[3]));
  const nodes = answer.data.organization.accounts.nodes as { id: string; state: string; fleetwiseRegistration: unknown }[];
  return {
    ids: nodes.map((node) => node.id),
    unregistered: nodes
      .filter((node, index) => node.state === 'ACTIVE' && node.id !== '000000000000' && !node.fleetwiseRegistration && !failed.has(index))
      .map((node) => node.id),
  };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export interface SubscriptionReportInput {
  readonly results: readonly SubscriptionResult[];
  readonly options: SubscriptionOptions;
  readonly command: string;
  readonly chartDirectory?: string;
}

export async function reportSubscriptions({ results, options, command, chartDirectory }: SubscriptionReportInput): Promise<string> {
  const spec: TopLevelSpec = {
    ...CHART_CONFIG,
    title: `AWS calls per poll round (every ${POLL_SLOW_MS / 1000} s), 100 accounts watched`,
    data: { values: results.map((result) => ({ subscribers: String(result.subscribers), calls: median(result.callsPerInterval) })) },
    width: 300,
    height: 200,
    mark: 'bar',
    encoding: {
      x: { field: 'subscribers', type: 'ordinal', sort: null, title: 'subscribers', axis: { labelAngle: 0 } },
      y: { field: 'calls', type: 'quantitative', title: 'AWS calls per interval' },
    },
  };
  const chart = await writeChart('bench-subscriptions', spec, 'AWS calls per poll interval by number of subscribers', chartDirectory);
  return [
    '## 4. Subscriptions: calls per poll interval, delivery latency and memory',
    '',
    `\`accountStatusChanged(accountIds: [one account])\` (all three statuses) from ${results.map((result) => count(result.subscribers)).join(', ')} graphql-ws subscribers over the same 100 accounts (subscriber i watches account i mod 100; 100 subscriptions per socket), ${options.latencyMs} ms of latency on every emulator call, polls every ${POLL_FAST_MS / 1000} s while transitional and ${POLL_SLOW_MS / 1000} s once settled (\`STATUSGRAPH_POLL_FAST_MS\`/\`_SLOW_MS\`, defaults 5 s and 60 s: shorter here only to measure sooner), other settings default. Calls: the emulator's requests in one poll round (every poller polled once; a round is a burst of calls, rounds a slow interval apart), median of ${options.runs} consecutive rounds. Latency: ${options.runs} runs of ${REGISTRATIONS_PER_RUN} \`registerFleetwiseAccount\` mutations; *pushed* = from sending the mutation to each watching subscriber's REGISTRATION_PENDING event (the mutation pokes the pollers); *polled* = from the moment the emulator settled the registration (${REGISTRATION_DELAY_MS / 1000} s later, a change only polling can see) to each subscriber's REGISTRATION_SUCCESS, bounded by the fast interval. Memory: the statusgraph process once every subscription is open.`,
    '',
    '```',
    command,
    '```',
    '',
    machineLine(),
    '',
    table(
      ['subscribers', 'sockets', 'AWS calls per poll round', 'round every', 'pushed p50', 'pushed p99', 'polled p50', 'polled p99', 'RSS (before subscribing)', 'V8 heap used', 'error events'],
      results.map((result) => [
        count(result.subscribers),
        count(result.sockets),
        count(median(result.callsPerInterval)),
        duration(median(result.roundMs)),
        duration(percentile(result.pushedMs, 0.5)),
        duration(percentile(result.pushedMs, 0.99)),
        duration(percentile(result.polledMs, 0.5)),
        duration(percentile(result.polledMs, 0.99)),
        `${megabytes(result.rssBytes)} (${megabytes(result.baselineRssBytes)})`,
        megabytes(result.heapUsedBytes),
        count(result.errorEvents),
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    chart,
    '',
    ...subscriptionVerdict(results),
  ].join('\n');
}

/** Calls per round count as independent of the subscriber count within this spread. */
export const CALLS_TOLERANCE = 0.1;

function subscriptionVerdict(results: readonly SubscriptionResult[]): string[] {
  const calls = results.map((result) => median(result.callsPerInterval));
  const spread = Math.max(...calls) / Math.min(...calls) - 1;
  const met = spread <= CALLS_TOLERANCE;
  const lines = [
    `**Target: AWS calls per poll interval independent of the subscriber count — ${met ? 'met' : 'NOT met'}**: ${results.map((result, index) => `${count(calls[index]!)} with ${count(result.subscribers)}`).join(', ')} subscribers (spread ${Math.round(spread * 100)}%). One poller per watched status (300 here: three per account) serves every subscriber of it; polling per subscriber would cost ${results.map((result) => count(result.subscribers / ACCOUNTS)).join(', ')} times as many. Delivery fans out in-process to ${results.map((result) => count(result.subscribers / ACCOUNTS)).join(', ')} subscribers per changed account; the polled latency is bounded by the fast poll interval (${POLL_FAST_MS / 1000} s here, 5 s by default). Memory grows by ${results.map((result) => `${count((result.rssBytes - result.baselineRssBytes) / result.subscribers / 1024)} KB`).join(', ')} of RSS per subscriber. The error events are the demo's member whose role AssumeRole refuses: each of its subscribers is told, once per status it cannot read, and the stream stays open.`,
  ];
  if (!met) {
    lines.push('', '*Cause and plan.* A count that grows with subscribers means reads per subscriber: find them (every read should go through the shared poller) and add a test like the 500-subscriber one in test/e2e/live-status.test.ts at this size.');
  }
  return lines;
}
