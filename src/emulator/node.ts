// The emulator's Node adapter, and the only file that opens a socket: serves an Emulator's `handle` over node:http,
// and closes cleanly — hung requests and idle keep-alive connections included.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { transitionPatternSchema, type InFlightTransition, type StatusHistory, type WorldControl } from './core/world-control.js';
import { createEmulator, type Emulator } from './emulator.js';
import { createAwsWorld } from './services/index.js';

/** @default '127.0.0.1' — loopback only; the emulator accepts anyone's `test` credentials. */
export const DEFAULT_HOST = '127.0.0.1';
/** LocalStack's edge port, which AWS tooling users already know. */
export const DEFAULT_PORT = 4566;
/** Larger bodies are refused with 413; the in-scope operations send a few hundred bytes. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024; // 10 MiB
/** Member accounts of the demo organization, besides the management account. */
export const DEFAULT_MEMBER_ACCOUNTS = 12;
/** How long each state transition (account creation, enrollment, registration) takes. */
export const DEFAULT_DELAY_MS = 5_000; // 5 seconds
/** Idle keep-alive connections stay open this long; longer than SDK agents' own idle timeouts, so they close first. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000; // 65 seconds

export interface ServeOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 4566; 0 picks a free port */
  readonly port?: number;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:4566`: what AWS_ENDPOINT_URL / a client's `endpoint` should be. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops listening and ends every connection, answered or not; resolves when the server is closed. */
  close(): Promise<void>;
}

export interface StartEmulatorOptions extends ServeOptions {
  /** @default 12 (DEFAULT_MEMBER_ACCOUNTS); 1 to 10,000 */
  readonly memberAccounts?: number;
  /** @default 5_000 // 5 seconds (DEFAULT_DELAY_MS) */
  readonly delayMs?: number;
  /** Seed of the deterministic demo organization. @default the services' DEFAULT_SEED */
  readonly seed?: number;
  /** OUs of the demo organization's tree. @default 7 (its base tree) */
  readonly organizationalUnits?: number;
  /** Answer the retired Account.Status beside State, for clients that still read it. @default false */
  readonly legacyAccountStatus?: boolean;
  /**
   * The emulator clock. Signing times are checked against it and the Date header carries it, as on AWS: an SDK whose
   * clock is more than 15 minutes off is rejected once, corrects its skew from Date and retries (two calls counted).
   * @default () => new Date()
   */
  readonly clock?: () => Date;
}

/**
 * The control API's world resources for a process that holds the emulator (tests): the same operations as
 * `/_emulator/transitions/…`, `/_emulator/history` and `/_emulator/sessions`, without HTTP.
 */
export interface EmulatorControl {
  /** Holds matching transitions in flight and every later one until released (no patterns: all). Returns the keys held now. */
  hold(...patterns: string[]): string[];
  /** Lifts the holds the patterns cover and completes every matching transition in flight now (no patterns: all). */
  release(...patterns: string[]): string[];
  transitions(): { readonly holds: readonly string[]; readonly inFlight: readonly InFlightTransition[] };
  history(keys: readonly string[]): Record<string, StatusHistory | null>;
  /** Forgets every assumed-role session, as a restarted endpoint would. Returns how many. */
  invalidateSessions(): number;
}

export interface StartedEmulator extends RunningEmulator {
  readonly control: EmulatorControl;
}

/** Builds the demo organization and its four services and serves them: the emulator as `npm run emulator` runs it. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<StartedEmulator> {
  const world = createAwsWorld({
    memberAccounts: options.memberAccounts ?? DEFAULT_MEMBER_ACCOUNTS,
    delayMs: options.delayMs ?? DEFAULT_DELAY_MS,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.organizationalUnits === undefined ? {} : { organizationalUnits: options.organizationalUnits }),
    ...(options.legacyAccountStatus === undefined ? {} : { legacyAccountStatus: options.legacyAccountStatus }),
  });
  const clock = options.clock ?? (() => new Date());
  const emulator = createEmulator({ services: world.services, identity: world.identity, world: world.control, clock });
  const running = await serveEmulator(emulator, options);
  return {
    ...running,
    control: controlOf(world.control, clock),
    async close() {
      emulator.close();
      await running.close();
    },
  };
}

function controlOf(world: WorldControl, clock: () => Date): EmulatorControl {
  const patternsOf = (patterns: string[]) => (patterns.length === 0 ? ['*'] : patterns.map((pattern) => transitionPatternSchema.parse(pattern)));
  return {
    hold: (...patterns) => world.hold(patternsOf(patterns), clock()),
    release: (...patterns) => world.release(patternsOf(patterns), clock()),
    transitions: () => world.transitions(clock()),
    history: (keys) => world.history(keys, clock()),
    invalidateSessions: () => world.invalidateSessions(),
  };
}

/** Serves an emulator over HTTP until close(). */
export async function serveEmulator(emulator: Emulator, options: ServeOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? DEFAULT_HOST;
  const server = createServer((request, response) => receive(emulator, request, response));
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://${endpointHost(host)}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Destroying the sockets aborts each waiting request's signal, which settles hung and delayed requests.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function receive(emulator: Emulator, request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > MAX_REQUEST_BODY_BYTES) {
      response.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ message: `Request bodies are limited to ${MAX_REQUEST_BODY_BYTES} bytes.` }));
      return;
    }
    // Most requests never look at their signal (only delayed and hung ones do), so it is made on first use.
    let abandoned: AbortController | undefined;
    let gone = false;
    response.once('close', () => {
      if (response.writableFinished) return;
      gone = true;
      abandoned?.abort();
    });
    emulator
      .handle({
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        get signal() {
          abandoned ??= new AbortController();
          if (gone) abandoned.abort();
          return abandoned.signal;
        },
      })
      .then(
        (answer) => {
          response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.byteLength) });
          response.end(answer.body);
        },
        () => {
          // Abandoned (client gone, server closing) or an emulator bug: either way nobody gets an answer.
          response.destroy();
        },
      );
  });
}

/** Clients cannot connect to a wildcard address; they reach it on loopback. */
function endpointHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
