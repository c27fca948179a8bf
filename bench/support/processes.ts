// Child processes for the benchmarks: the emulator (`npm run emulator`), statusgraph (src/main.ts against it, as
// `STATUSGRAPH_BACKEND=aws AWS_ENDPOINT_URL=…` runs it) and one-off scripts — each in its own process so that what is
// measured never shares an event loop with what loads it, pinned to a core with `taskset` where there is one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeModulesFor } from './native-modules.js';

const EMULATOR_CLI = fileURLToPath(new URL('../../src/emulator/cli.ts', import.meta.url));
const STATUSGRAPH_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSCONFIG_BUILD = fileURLToPath(new URL('../../tsconfig.build.json', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const REPOSITORY_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));
/** How long a child may take to print its address before the benchmark gives up. @default 60_000 // 1 minute */
const START_TIMEOUT_MS = 60_000;
/** How long a child may take to exit after SIGTERM before it is killed. @default 10_000 // 10 seconds */
const STOP_TIMEOUT_MS = 10_000;
/** Lines of a child's stderr kept to explain a failure. */
const STDERR_LINES_KEPT = 40;

/** Which core each role runs on: the AWS side on one, the side being measured on the other. */
export const CORES = { emulator: 0, measured: 1, load: 0 } as const;

const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/** Whether processes get a core each (taskset and at least 2 cores), for the report. */
export const pinning = hasTaskset && availableParallelism() >= 2;

export interface ChildHandle {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Last lines the child wrote to stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** The core to pin the process to (when pinning is possible). */
  readonly core?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** The node every child runs on: this process's own unless useNodeBinary() chose another Node line. */
let nodeBinary = process.execPath;

/**
 * Runs every later child (emulator, statusgraph, scripts) on `binary` — a Node line from scripts/node-line — so one
 * benchmark process can measure another line; returns that node's version.
 */
export function useNodeBinary(binary: string): string {
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!/^v\d+\./.test(version)) throw new Error(`${binary} is not a node binary`);
  nodeBinary = binary;
  return version;
}

/** Runs `node --import tsx <script> …args`. */
export function spawnTsx(script: string, args: readonly string[], options: SpawnOptions = {}): ChildHandle {
  return spawnNode(['--import', 'tsx', script, ...args], options);
}

/** Runs `node …args` on `options.core` (when pinning is possible). */
export function spawnNode(nodeArgs: readonly string[], options: SpawnOptions = {}): ChildHandle {
  const [command, commandArgs] =
    pinning && options.core !== undefined
      ? ['taskset', ['-c', String(options.core), nodeBinary, ...nodeArgs]]
      : [nodeBinary, nodeArgs];
  const child = spawn(command, commandArgs, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const stderrLines: string[] = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderrLines.push(...chunk.split('\n').filter(Boolean));
    stderrLines.splice(0, Math.max(0, stderrLines.length - STDERR_LINES_KEPT));
  });
  return {
    child,
    // taskset execs node, so the pid is the node process's own.
    pid: child.pid!,
    stderr: () => stderrLines.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first stdout match of `pattern` (its first group); rejects if the child exits first. */
export function waitForLine(handle: ChildHandle, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${START_TIMEOUT_MS} ms\n${handle.stderr()}`)), START_TIMEOUT_MS);
    handle.child.stdout!.setEncoding('utf8');
    handle.child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      const match = pattern.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    handle.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready\n${handle.stderr()}`));
    });
  });
}

export interface EmulatorProcess extends ChildHandle {
  readonly endpoint: string;
  /** Call counts since the last resetCalls(), keyed "<signing name>:<Operation>". */
  calls(): Promise<Record<string, number>>;
  resetCalls(): Promise<void>;
  setFaults(faults: Record<string, unknown>): Promise<void>;
}

export interface EmulatorProcessOptions {
  readonly memberAccounts: number;
  /** How long the emulator's transitions take (RegisterAccount → SUCCESS…), in milliseconds. */
  readonly delayMs: number;
  /** OUs of the demo tree (`--organizational-units`). @default the emulator's base tree */
  readonly organizationalUnits?: number;
}

/** `npm run emulator -- --port 0 --accounts N --delay-ms D`, on the emulator's core. */
export async function startEmulatorProcess({ memberAccounts, delayMs, organizationalUnits }: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const units = organizationalUnits === undefined ? [] : ['--organizational-units', String(organizationalUnits)];
  const handle = spawnTsx(EMULATOR_CLI, ['--port', '0', '--accounts', String(memberAccounts), '--delay-ms', String(delayMs), ...units], {
    core: CORES.emulator,
  });
  const endpoint = await waitForLine(handle, /^AWS_ENDPOINT_URL=(\S+)$/m, 'the emulator');
  const control = async (path: string, init?: RequestInit): Promise<unknown> => {
    const response = await fetch(new URL(`/_emulator/${path}`, endpoint), init);
    if (!response.ok) throw new Error(`emulator ${init?.method ?? 'GET'} /_emulator/${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    ...handle,
    endpoint,
    calls: async () => (await control('calls')) as Record<string, number>,
    resetCalls: async () => {
      await control('calls', { method: 'DELETE' });
    },
    setFaults: async (faults) => {
      await control('faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    },
  };
}

export interface StatusGraphProcess extends ChildHandle {
  /** http://127.0.0.1:<port>/graphql */
  readonly url: string;
  /** POSTs one operation and returns the parsed body. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLBody<T>>;
  /** Resident set size of the process, in bytes (from /proc). */
  rssBytes(): number;
  /** V8 heap in use, in bytes, from the server's own /metrics. */
  heapUsedBytes(): Promise<number>;
}

export interface GraphQLBody<T = any> {
  readonly data?: T | null;
  readonly errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * The environment a benchmark runs statusgraph with: the AWS backend pointed at the emulator (the README's
 * "against a standalone emulator" mode), logs off, and the per-client request limit raised so the load generator is
 * not refused. Every other setting is the default unless `env` says otherwise.
 */
export function statusGraphEnv(endpoint: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    STATUSGRAPH_BACKEND: 'aws',
    STATUSGRAPH_AUTH: 'none',
    STATUSGRAPH_LOG_LEVEL: 'silent',
    STATUSGRAPH_RATE_LIMIT_PER_MINUTE: '1000000',
    // The whole answer is what is measured: the default 15 s query deadline would cut a long cold query short with
    // DEADLINE_EXCEEDED (benchmark 1 at 10,000 accounts, benchmark 3, any size on a loaded machine).
    STATUSGRAPH_QUERY_DEADLINE_MS: '3600000',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    ...env,
  };
}

let compiledMain: string | undefined;

/**
 * The Node.js flags `npm start` runs statusgraph with, read from package.json's start script (their one home): the
 * benchmarks measure the server as it is run. `--no-allocation-site-pretenuring` is there for the reason in
 * docs/benchmarks.md, section 2.
 */
export const STATUSGRAPH_NODE_FLAGS: readonly string[] = nodeFlagsOf(JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).scripts.start);

/** The flags of a start script of the shape `exec node [--flag…] dist/main.js`. */
export function nodeFlagsOf(startScript: string): string[] {
  const match = /^exec node((?: --[\w-]+(?:=\S+)?)*) dist\/main\.js$/.exec(startScript);
  if (!match) throw new Error(`package.json's start script is not "exec node [--flag…] dist/main.js": ${startScript}`);
  return match[1]!.split(' ').filter(Boolean);
}

/**
 * Compiles src/ with tsconfig.build.json (what `npm start` runs) into a directory of its own, and runs statusgraph
 * from there from then on: a server in production runs compiled JavaScript, not TypeScript through a loader that
 * transforms every module it imports at run time. Returns the compiled entry point.
 */
export async function useCompiledStatusGraph(): Promise<string> {
  const root = join(tmpdir(), `statusgraph-bench-build-${process.pid}`);
  await mkdir(root, { recursive: true });
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  // The compiled modules are ESM and find their dependencies through the repository's node_modules (on another Node
  // line, one whose native addons are built for it).
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  await symlink(await nodeModulesFor(nodeBinary, REPOSITORY_NODE_MODULES), join(root, 'node_modules')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const tsc = spawnSync(nodeBinary, [TSC, '-p', TSCONFIG_BUILD, '--outDir', join(root, 'dist')], { encoding: 'utf8' });
  const main = join(root, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`tsc did not build ${main}:\n${tsc.stdout}${tsc.stderr}`);
  compiledMain = main;
  return main;
}

/**
 * statusgraph with STATUSGRAPH_BACKEND=aws against `endpoint`, on the measured core, with `npm start`'s Node.js flags:
 * compiled after useCompiledStatusGraph(), else src/main.ts through tsx.
 */
export async function startStatusGraphProcess(
  endpoint: string,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<StatusGraphProcess> {
  const entry = compiledMain ? [compiledMain] : ['--import', 'tsx', STATUSGRAPH_MAIN];
  const handle = spawnNode([...STATUSGRAPH_NODE_FLAGS, ...nodeArgs, ...entry], { core: CORES.measured, env: statusGraphEnv(endpoint, env) });
  // main.ts prints the API's URL once it listens.
  const url = await waitForLine(handle, /(http:\/\/\S+\/graphql)\b/, 'statusgraph');
  return {
    ...handle,
    url,
    gql: (query, variables) => postGraphQL(url, query, variables),
    rssBytes: () => rssOf(handle.pid),
    async heapUsedBytes() {
      const text = await (await fetch(new URL('/metrics', url))).text();
      const match = /^statusgraph_nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
      return match ? Number(match[1]) : Number.NaN;
    },
  };
}

export async function postGraphQL<T = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLBody<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody<T>;
  if (!response.ok && !body.data) throw new Error(`GraphQL HTTP ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body;
}

/** VmRSS of a process from /proc/<pid>/status, in bytes (NaN where there is no /proc). */
export function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Linux reports process CPU time in clock ticks of this length (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time a process has used so far, in milliseconds, from /proc (NaN where there is none). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / CLOCK_TICKS_PER_SECOND; // utime, stime: fields 14, 15 of proc(5)
  } catch {
    return Number.NaN;
  }
}

/** Runs a tsx script to completion (on the measured core unless told) and parses the JSON it prints last. */
export async function runJsonScript<T>(script: string, args: readonly string[], options: SpawnOptions = {}): Promise<T> {
  const handle = spawnTsx(script, args, { core: CORES.measured, ...options });
  let stdout = '';
  handle.child.stdout!.setEncoding('utf8');
  handle.child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  const [code] = (await once(handle.child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} exited with ${code}\n${handle.stderr()}`);
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as T;
}
