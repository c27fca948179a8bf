// What benchmark 5 (bench/history.ts) measured, as its section of docs/benchmarks.md and as its rows of the
// Headlines table: each of issue 18's three targets with its figures, the load average beside them, and its verdict.
// The results are kept in bench/results/history.json, so bench/run.ts keeps these rows when it rewrites the Headlines.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS_FILE, count, machineLine, table, writeSection } from './report.js';

export const HISTORY_RESULTS_FILE = fileURLToPath(new URL('../results/history.json', import.meta.url));
/** Recording: events/s and p99 event-loop delay (ms) to reach. */
const RECORDING_TARGET = { perSecond: 10_000, loopDelayP99Ms: 20 };
/** Replay: events/s to reach. */
const REPLAY_TARGET = 20_000;
/**
 * What the server's RSS may grow per event over the replay's second half — as many events again as the first — for
 * the growth to be the events in flight rather than the events replayed: 100 bytes, less than one event's frame (5 MB
 * over the second 50,000 of 100,000).
 */
const SECOND_HALF_GROWTH_BYTES_PER_EVENT = 100;
/** Account.history(first: 50): p99 (ms) to stay under, at this many events in the log. */
const PAGES_TARGET = { p99Ms: 5, logSize: 10_000_000 };

export interface RecordingResult {
  readonly engine: string;
  readonly eventsPerSecond: number;
  readonly baselinePerSecond: number;
  readonly loopDelayP99Ms: number;
  /** The bare driver's, measured by the same loop: what the machine and the driver alone cost the event loop. */
  readonly baselineLoopDelayP99Ms: number;
  /** The load average (1 minute) as this part started and as it ended. */
  readonly load: number;
  readonly loadAfter: number;
  /** This process's CPU per event (the recorder's side; PostgreSQL's server runs apart): steadier than the rate on a shared machine. */
  readonly cpuMicrosPerEvent: number;
  readonly bytesPerEvent: number;
}

export interface ReplayResult {
  readonly events: number;
  readonly perSecond: number;
  readonly baselinePerSecond: number;
  /** CPU per event of the server's process (the subscriber runs in its own), and of the bare baseline's. */
  readonly cpuMicrosPerEvent: number;
  readonly baselineCpuMicrosPerEvent: number;
  /** The subscriber's own CPU per event (graphql-ws client, same for both servers). */
  readonly subscriberCpuMicrosPerEvent: number;
  readonly inOrder: boolean;
  /** Every event of the log came (in order and all: each exactly once). */
  readonly all: boolean;
  /** The server process's peak RSS growth by the half-way event, and what it grew more over the second half. */
  readonly rssByHalfwayMb: number;
  readonly rssSecondHalfMb: number;
  readonly load: number;
  readonly loadAfter: number;
}

export interface PagesResult {
  readonly logSize: number;
  readonly p50: number;
  readonly p99: number;
  readonly baselineP99: number;
  /** Seconds the bulk fill took to grow the log to this size from the size before it. */
  readonly fillSeconds: number;
  readonly load: number;
}

export interface HistoryResults {
  readonly measuredAt: string;
  readonly command: string;
  readonly plan: { readonly recorded: number; readonly batch: number; readonly accounts: number; readonly replayed: number; readonly pages: number };
  readonly recording: readonly RecordingResult[];
  readonly replay: ReplayResult;
  readonly pages: readonly PagesResult[];
}

const mark = (met: boolean) => (met ? 'met' : '**not met**');
const loads = (from: number, to: number) => `${from.toFixed(1)} → ${to.toFixed(1)}`;
const recordingMet = (result: RecordingResult) => result.eventsPerSecond >= RECORDING_TARGET.perSecond && result.loopDelayP99Ms < RECORDING_TARGET.loopDelayP99Ms;
const replayMet = (replay: ReplayResult) => replay.perSecond >= REPLAY_TARGET && replay.inOrder && replay.all;
/** The second half's growth bound, in MB, for this replay. */
const secondHalfBoundMb = (replay: ReplayResult) => (SECOND_HALF_GROWTH_BYTES_PER_EVENT * Math.ceil(replay.events / 2)) / 2 ** 20;
const memoryMet = (replay: ReplayResult) => replay.rssSecondHalfMb <= secondHalfBoundMb(replay);
const largestPages = (results: HistoryResults) => results.pages.at(-1)!;
const pagesMet = (pages: PagesResult) => pages.logSize >= PAGES_TARGET.logSize && pages.p99 < PAGES_TARGET.p99Ms;
const megabytes = (value: number) => `${value.toFixed(1)} MB`;

/** Benchmark 5's rows of the Headlines table (its first cell names it; the rest continue it). */
export function historyHeadlineRows(results: HistoryResults): string[][] {
  const { replay } = results;
  const pages = largestPages(results);
  const recording = results.recording.map(
    (result) =>
      `${result.engine} ${count(result.eventsPerSecond)}/s, p99 delay ${result.loopDelayP99Ms.toFixed(1)} ms (load ${result.load.toFixed(1)}; the bare driver ${count(result.baselinePerSecond)}/s, ${result.baselineLoopDelayP99Ms.toFixed(1)} ms)`,
  );
  return [
    [
      '5. status history (one run: `npx tsx bench/history.ts`)',
      `recording ${count(results.plan.recorded)} changes: ${recording.join('; ')}`,
      `≥ ${count(RECORDING_TARGET.perSecond)} events/s with p99 event-loop delay < ${RECORDING_TARGET.loopDelayP99Ms} ms`,
      mark(results.recording.every(recordingMet)),
    ],
    [
      '',
      `replay to a subscriber resuming after ${count(replay.events)} events: ${count(replay.perSecond)} events/s, ${replay.inOrder && replay.all ? 'all, in cursor order' : '**not all in order**'}, ${replay.cpuMicrosPerEvent.toFixed(0)} µs server CPU per event (load ${replay.load.toFixed(1)}; a bare graphql-ws server ${count(replay.baselinePerSecond)}/s)`,
      `≥ ${count(REPLAY_TARGET)} events/s, all, in order`,
      mark(replayMet(replay)),
    ],
    [
      '',
      `the server's RSS over that replay: +${megabytes(replay.rssByHalfwayMb)} by its half-way event, +${megabytes(replay.rssSecondHalfMb)} over the second half`,
      `no growth with the events replayed (≤ ${megabytes(secondHalfBoundMb(replay))} over the second half)`,
      mark(memoryMet(replay)),
    ],
    [
      '',
      `\`Account.history(first: 50)\` with ${count(pages.logSize)} events: p50 ${pages.p50.toFixed(2)} ms, p99 ${pages.p99.toFixed(2)} ms (load ${pages.load.toFixed(1)}; the bare statement's p99 ${pages.baselineP99.toFixed(2)} ms)`,
      `p99 < ${PAGES_TARGET.p99Ms} ms with ${count(PAGES_TARGET.logSize)} events`,
      mark(pagesMet(pages)),
    ],
  ];
}

/**
 * Puts benchmark 5's rows at the end of the Headlines table, in place of the ones there (bench/run.ts writes the
 * table from its own results and these rows from bench/results/history.json).
 */
export async function writeHistoryHeadlines(results: HistoryResults, file = BENCHMARKS_FILE): Promise<void> {
  const document = await readFile(file, 'utf8');
  const start = document.indexOf('<!-- headlines:start -->');
  const end = document.indexOf('<!-- headlines:end -->');
  if (start < 0 || end < start) return;
  const lines = document.slice(start, end).trimEnd().split('\n').slice(1);
  const first = lines.findIndex((line) => line.startsWith('| 5. '));
  if (first >= 0) {
    let last = first + 1;
    while (last < lines.length && lines[last]!.startsWith('|  |')) last++;
    lines.splice(first, last - first);
  }
  const tableEnd = lines.findLastIndex((line) => line.startsWith('|')) + 1;
  lines.splice(tableEnd, 0, ...historyHeadlineRows(results).map((cells) => `| ${cells.join(' | ')} |`));
  await writeSection('headlines', lines.join('\n'), file);
}

/** Benchmark 5's section of docs/benchmarks.md. */
export function historySection(results: HistoryResults): string {
  const { plan, replay } = results;
  const pages = largestPages(results);
  return `## 5. Status history: recording, replay, history pages

${machineLine()} \`${results.command}\`, ${results.measuredAt}; the load average (1 minute) as each part started and as it ended is beside its figures. Issue 18's three targets, each with its verdict; how the figures came to be (the causes found and fixed, earlier runs) is in the notes after this section.

**Recording** — target ${count(RECORDING_TARGET.perSecond)} events/s with p99 event-loop delay under ${RECORDING_TARGET.loopDelayP99Ms} ms: ${mark(results.recording.every(recordingMet))}. ${count(plan.recorded)} changes, ${plan.batch} per \`record()\` call (a poll round), over ${count(plan.accounts)} accounts, the event loop given a turn between rounds as in the server; the baseline is the bare driver inserting the same rows ${plan.batch} per transaction (no change detection, no successor check), measured by the same loop right after.

${table(
  ['store', 'load', 'events/s', 'bare driver events/s', 'ratio', 'CPU per event (this process)', 'p99 event-loop delay', 'bare driver p99 delay', 'bytes/event', 'verdict'],
  results.recording.map((result) => [
    result.engine,
    loads(result.load, result.loadAfter),
    count(result.eventsPerSecond),
    count(result.baselinePerSecond),
    (result.eventsPerSecond / result.baselinePerSecond).toFixed(2),
    `${result.cpuMicrosPerEvent.toFixed(0)} µs`,
    `${result.loopDelayP99Ms.toFixed(1)} ms`,
    `${result.baselineLoopDelayP99Ms.toFixed(1)} ms`,
    count(result.bytesPerEvent),
    mark(recordingMet(result)),
  ]),
  ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
)}

**Replay** — target ≥ ${count(REPLAY_TARGET)} events/s to a subscriber resuming after ${count(replay.events)} events, all of them, in order: ${mark(replayMet(replay))}; without the server's RSS growing by more than the events in flight: ${mark(memoryMet(replay))} (load ${loads(replay.load, replay.loadAfter)}). A graphql-ws subscriber in a process of its own resumed with \`after: "0"\` from the real server (embedded store holding ${count(replay.events)} events of the organization's accounts) and received ${replay.all ? 'every one of them' : '**not all of them**'}, ${replay.inOrder ? 'in cursor order' : '**out of order**'}, at **${count(replay.perSecond)} events/s**; the server's process spent ${replay.cpuMicrosPerEvent.toFixed(0)} µs of CPU per event, the subscriber ${replay.subscriberCpuMicrosPerEvent.toFixed(0)} µs. Baseline, right after: a bare graphql-ws server (graphql-js and graphql-ws/use/ws, no statusgraph) sending the same log's cursors read by the bare driver to the same subscriber: ${count(replay.baselinePerSecond)} events/s, ${replay.baselineCpuMicrosPerEvent.toFixed(0)} µs per event (ratio ${(replay.perSecond / replay.baselinePerSecond).toFixed(2)}). Memory: the server's RSS (sampled every 50 ms) grew ${megabytes(replay.rssByHalfwayMb)} by the subscriber's half-way event and ${megabytes(replay.rssSecondHalfMb)} more over the second half — as many events again. A replay that kept what it sent would grow at least as much in the second half as in the first; the bound is ${megabytes(secondHalfBoundMb(replay))} over ${count(Math.ceil(replay.events / 2))} events (${SECOND_HALF_GROWTH_BYTES_PER_EVENT} bytes an event, less than one event's frame). In flight at most: the page being read (1,000 events), the stream's queue (the replay reads a page only while fewer than 1,000 of its events wait) and 64 KiB of frames per socket (\`WS_SEND_HIGH_WATER_BYTES\`: above it a send waits for its write).

**\`Account.history(first: 50)\`** — target p99 under ${PAGES_TARGET.p99Ms} ms with ${count(PAGES_TARGET.logSize)} events in the log: ${mark(pagesMet(pages))}. The resolver's query (\`EventLog.page\`) at each log size — one embedded log grown from one size to the next, in bulk (set-up, not measured) — ${count(plan.pages)} accounts asked at each; the baseline is the bare statement (\`select * … where account_id = ? order by id desc limit 51\`) for the same account, run right before or right after each page, in turn (the first read of an account's rows pays for its uncached index pages).

${table(
  ['events in the log', 'load', 'fill (s)', 'p50', 'p99', 'bare statement p99', 'ratio', 'verdict'],
  results.pages.map((result) => [
    count(result.logSize),
    result.load.toFixed(1),
    result.fillSeconds.toFixed(0),
    `${result.p50.toFixed(2)} ms`,
    `${result.p99.toFixed(2)} ms`,
    `${result.baselineP99.toFixed(2)} ms`,
    (result.p99 / result.baselineP99).toFixed(1),
    result.logSize >= PAGES_TARGET.logSize ? mark(pagesMet(result)) : result.p99 < PAGES_TARGET.p99Ms ? `under ${PAGES_TARGET.p99Ms} ms at this size` : `**over ${PAGES_TARGET.p99Ms} ms**`,
  ]),
  ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
)}
${pages.logSize < PAGES_TARGET.logSize ? `\nThe target's ${count(PAGES_TARGET.logSize)} events were not measured in this run (largest: ${count(pages.logSize)}).\n` : ''}`;
}
