// Throughput of the AWS emulator for signed IoT FleetWise GetRegisterAccountStatus calls at 50 concurrent requests:
// the emulator must never be what limits statusgraph's own benchmarks.
//   npx tsx bench/emulator-throughput.ts [--seconds 5] [--concurrency 50] [--runs 3] [--write]
// The emulator runs as `npm run emulator` does, in its own process, so the load generator does not share its event
// loop. Two clients: our FleetWise SDK client (signs every request, as statusgraph does), and raw keep-alive HTTP
// replaying one request signed with @smithy/signature-v4 (the emulator's own capacity; it verifies every copy in full).
// --write puts the medians into docs/benchmarks.md between this benchmark's markers.
import { spawn } from 'node:child_process';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { type SourceData } from '@smithy/types';
import { GetRegisterAccountStatusCommand, IoTFleetWiseClient } from '../src/aws/fleetwise-client/index.js';

const REGION = 'us-east-1';
/** The emulator's demo organization for the benchmark: the CLI defaults. */
const MEMBER_ACCOUNTS = 12;
const DELAY_MS = 5_000; // 5 seconds
const MARKER_START = '<!-- emulator-throughput:start -->';
const MARKER_END = '<!-- emulator-throughput:end -->';
const BENCHMARKS_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const CLI = fileURLToPath(new URL('../src/emulator/cli.ts', import.meta.url));

interface RunResult {
  readonly requests: number;
  readonly errors: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Share of one core the emulator process used during the run: how close it came to being the limit. */
  readonly emulatorCpuPercent: number;
}

type Client = 'sdk' | 'raw';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
  },
});
const durationMs = Number(flags.seconds) * 1000;
const concurrency = Number(flags.concurrency);
const runs = Number(flags.runs);
/** Linux reports process CPU time in clock ticks of this length (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;
let emulatorPid: number | undefined;

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess();
  emulatorPid = emulator.child.pid;
  try {
    const accountId = await registeredMemberAccount(emulator.endpoint);
    const results: Record<Client, RunResult[]> = { sdk: [], raw: [] };
    for (const client of ['sdk', 'raw'] as const) {
      for (let run = 1; run <= runs; run++) {
        const result = client === 'sdk' ? await runSdk(emulator.endpoint, accountId) : await runRaw(emulator.endpoint, accountId);
        results[client].push(result);
        console.log(`${client} run ${run}: ${format(result)}`);
      }
    }
    const medians = { sdk: median(results.sdk), raw: median(results.raw) };
    console.log(`\nmedian of ${runs}, sdk: ${format(medians.sdk)}`);
    console.log(`median of ${runs}, raw: ${format(medians.raw)}`);
    if (flags.write) {
      await writeSection(medians);
      console.log(`wrote ${BENCHMARKS_FILE}`);
    }
  } finally {
    emulator.child.kill('SIGTERM');
    await once(emulator.child, 'exit');
  }
}

/** Our FleetWise client, one instance shared by all workers, as statusgraph shares clients. */
async function runSdk(endpoint: string, accountId: string): Promise<RunResult> {
  const client = new IoTFleetWiseClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: accountId, secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    return await load(async () => {
      const answer = await client.send(new GetRegisterAccountStatusCommand({}));
      if (answer.accountStatus === undefined) throw new Error('no accountStatus in the answer');
    });
  } finally {
    client.destroy();
  }
}

/** One request signed once, replayed over 50 keep-alive connections; the emulator verifies each copy in full. */
async function runRaw(endpoint: string, accountId: string): Promise<RunResult> {
  const url = new URL(endpoint);
  const body = '{}';
  const signer = new SignatureV4({ service: 'iotfleetwise', region: REGION, credentials: { accessKeyId: accountId, secretAccessKey: 'test' }, sha256: NodeSha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'IoTAutobahnControlPlane.GetRegisterAccountStatus',
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    }),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    return await load(
      () =>
        new Promise<void>((resolve, reject) => {
          const outgoing = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: signed.headers, agent }, (response) => {
            response.resume();
            response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`))));
            response.on('error', reject);
          });
          outgoing.on('error', reject);
          outgoing.end(body);
        }),
    );
  } finally {
    agent.destroy();
  }
}

/** Runs `concurrency` loops of `call` for the configured duration, timing each call. */
async function load(call: () => Promise<void>): Promise<RunResult> {
  const latencies: number[] = [];
  let errors = 0;
  const cpuTicksBefore = emulatorCpuTicks();
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const callStarted = performance.now();
        try {
          await call();
          latencies.push(performance.now() - callStarted);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const cpuSeconds = (emulatorCpuTicks() - cpuTicksBefore) / CLOCK_TICKS_PER_SECOND;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    requestsPerSecond: latencies.length / (elapsedMs / 1000),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    emulatorCpuPercent: (100 * cpuSeconds) / (elapsedMs / 1000),
  };
}

/** User + system CPU time of the emulator process, from /proc (NaN where there is no /proc). */
function emulatorCpuTicks(): number {
  try {
    const stat = readFileSync(`/proc/${emulatorPid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime and stime, fields 14 and 15 of proc(5)
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** The run with the median throughput (its latencies come with it). */
function median(results: readonly RunResult[]): RunResult {
  return [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(results.length / 2)]!;
}

function format(result: RunResult): string {
  return `${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms (${result.requests} requests, ${result.errors} errors, emulator CPU ${Math.round(result.emulatorCpuPercent)}% of a core)`;
}

/** Starts `npm run emulator` (the CLI through tsx) on a free port and waits for its endpoint. */
async function startEmulatorProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--accounts', String(MEMBER_ACCOUNTS), '--delay-ms', String(DELAY_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^AWS_ENDPOINT_URL=(\S+)$/m.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code} before listening`)));
  });
  return { child, endpoint };
}

/** A member account the demo organization has registered with FleetWise, so every call answers 200. */
async function registeredMemberAccount(endpoint: string): Promise<string> {
  const config = { endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const organizations = new OrganizationsClient(config);
  const { Accounts = [] } = await organizations.send(new ListAccountsCommand({ MaxResults: 20 }));
  organizations.destroy();
  for (const { Id } of Accounts) {
    if (!Id) continue;
    const client = new IoTFleetWiseClient({ ...config, credentials: { accessKeyId: Id, secretAccessKey: 'test' } });
    try {
      const status = await client.send(new GetRegisterAccountStatusCommand({}));
      if (status.accountStatus === 'REGISTRATION_SUCCESS') return Id;
    } catch {
      // Never registered: try the next account.
    } finally {
      client.destroy();
    }
  }
  throw new Error('no registered account in the demo organization');
}

async function writeSection(medians: Record<Client, RunResult>): Promise<void> {
  const cpuModel = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const section = [
    MARKER_START,
    '## Emulator throughput',
    '',
    `Signed IoT FleetWise \`GetRegisterAccountStatus\` against the emulator (\`npm run emulator\`, ${MEMBER_ACCOUNTS} member accounts, in its own`,
    `process), ${concurrency} requests in flight for ${durationMs / 1000} s; median of ${runs} runs by throughput.`,
    '',
    '```',
    'npx tsx bench/emulator-throughput.ts --write',
    '```',
    '',
    `Machine: ${availableParallelism()} cores (${cpuModel}), Node ${process.version}; the load generator and the emulator share it,`,
    `and so did other work (load average ${loadavg()[0]!.toFixed(1)} when the runs ended), so expect run-to-run spread.`,
    '',
    '| client | requests/s | p50 | p99 | emulator CPU |',
    '|---|---:|---:|---:|---:|',
    row('our FleetWise SDK client (signs every request)', medians.sdk),
    row('raw keep-alive HTTP, one pre-signed request (verified in full each time)', medians.raw),
    '',
    'The emulator CPU column is the share of one core the emulator process used: with the SDK client it idles while',
    'the client process is busy signing and parsing, so the SDK side is what limits a benchmark, not the emulator.',
    MARKER_END,
  ].join('\n');
  let document: string;
  try {
    document = await readFile(BENCHMARKS_FILE, 'utf8');
  } catch {
    document = '# Benchmarks\n\nResults of the scripts in `bench/`. Each section is written by its script; rerun the script to update it.\n';
  }
  const start = document.indexOf(MARKER_START);
  const end = document.indexOf(MARKER_END);
  const updated =
    start >= 0 && end > start
      ? document.slice(0, start) + section + document.slice(end + MARKER_END.length)
      : `${document.trimEnd()}\n\n${section}\n`;
  await writeFile(BENCHMARKS_FILE, updated);
}

function row(client: string, result: RunResult): string {
  const cpu = Number.isNaN(result.emulatorCpuPercent) ? 'n/a' : `${Math.round(result.emulatorCpuPercent)}%`;
  return `| ${client} | ${Math.round(result.requestsPerSecond)} | ${result.p50Ms.toFixed(1)} ms | ${result.p99Ms.toFixed(1)} ms | ${cpu} |`;
}

/** SHA-256 in the shape @smithy/signature-v4 asks for, on node:crypto. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

function bytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

await main();
