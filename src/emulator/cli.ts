// `npm run emulator -- --port 4566 --accounts 12 --delay-ms 5000`: the AWS emulator as a standalone process, for the
// AWS CLI, other SDKs, or a statusgraph started with STATUSGRAPH_BACKEND=aws. Prints what a client needs to reach it.
import { parseArgs } from 'node:util';
import { DEFAULT_DELAY_MS, DEFAULT_HOST, DEFAULT_MEMBER_ACCOUNTS, DEFAULT_PORT, startEmulator } from './node.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, MEMBER_ACCOUNTS_RANGE, ORGANIZATIONAL_UNITS_RANGE } from './services/index.js';

/** Exit status for a command line the emulator cannot run with. */
const EXIT_USAGE = 2;
/** Exit status when the emulator could not start (port taken, address unavailable). */
const EXIT_START_FAILED = 1;
/** The region printed for clients; the emulator answers any region its services are offered in. */
const CLIENT_REGION = 'us-east-1';

const USAGE = `Usage: npm run emulator -- [--host ${DEFAULT_HOST}] [--port ${DEFAULT_PORT}] [--accounts ${DEFAULT_MEMBER_ACCOUNTS}] [--delay-ms ${DEFAULT_DELAY_MS}] [--seed N] [--organizational-units ${ORGANIZATIONAL_UNITS_RANGE.min}] [--legacy-account-status]`;

class UsageError extends Error {}

interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly memberAccounts: number;
  readonly delayMs: number;
  readonly seed?: number;
  readonly organizationalUnits?: number;
  readonly legacyAccountStatus: boolean;
}

function readOptions(argv: readonly string[]): CliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        accounts: { type: 'string' },
        'delay-ms': { type: 'string' },
        seed: { type: 'string' },
        'organizational-units': { type: 'string' },
        'legacy-account-status': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  if (values.help) return 'help';
  const seed = values.seed === undefined ? undefined : integerFlag('--seed', values.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  return {
    host: values.host === undefined || values.host === '' ? DEFAULT_HOST : values.host,
    port: values.port === undefined ? DEFAULT_PORT : integerFlag('--port', values.port, 0, 65_535),
    memberAccounts:
      values.accounts === undefined ? DEFAULT_MEMBER_ACCOUNTS : integerFlag('--accounts', values.accounts, MEMBER_ACCOUNTS_RANGE.min, MEMBER_ACCOUNTS_RANGE.max),
    delayMs: values['delay-ms'] === undefined ? DEFAULT_DELAY_MS : integerFlag('--delay-ms', values['delay-ms'], 0, Number.MAX_SAFE_INTEGER),
    ...(seed === undefined ? {} : { seed }),
    ...(values['organizational-units'] === undefined
      ? {}
      : {
          organizationalUnits: integerFlag(
            '--organizational-units',
            values['organizational-units'],
            ORGANIZATIONAL_UNITS_RANGE.min,
            ORGANIZATIONAL_UNITS_RANGE.max,
          ),
        }),
    legacyAccountStatus: values['legacy-account-status'] ?? false,
  };
}

function integerFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    const range = min === Number.MIN_SAFE_INTEGER ? '' : max === Number.MAX_SAFE_INTEGER ? ` of ${min} or more` : ` from ${min} to ${max}`;
    throw new UsageError(`${flag} must be an integer${range}, got "${text}"`);
  }
  return value;
}

async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = readOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`emulator: ${error.message} (--help shows the options)`);
    process.exit(EXIT_USAGE);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }

  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') console.error(`emulator: port ${options.port} on ${options.host} is in use; choose another with --port`);
    else if (code === 'EADDRNOTAVAIL') console.error(`emulator: cannot listen on --host ${options.host}: no such local address`);
    else console.error(`emulator: could not start: ${(error as Error).message}`);
    process.exit(EXIT_START_FAILED);
  }

  // Before the first line is printed: a process manager (or a test) may signal as soon as it reads that line.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`emulator: ${signal}, closing`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`emulator: close failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  console.log(`AWS emulator (STS, Organizations, Compute Optimizer, IoT FleetWise) listening on ${emulator.endpoint}`);
  console.log(`Demo organization: ${options.memberAccounts} member accounts, transitions take ${options.delayMs} ms.`);
  console.log('Point a client at it with:');
  console.log(`AWS_ENDPOINT_URL=${emulator.endpoint}`);
  console.log(`AWS_ACCESS_KEY_ID=${DEFAULT_ACCESS_KEY_ID}`);
  console.log(`AWS_SECRET_ACCESS_KEY=${DEFAULT_SECRET_ACCESS_KEY}`);
  console.log(`AWS_REGION=${CLIENT_REGION}`);
  // AWS CLI v1 reads only AWS_DEFAULT_REGION; the SDKs and CLI v2 read AWS_REGION first.
  console.log(`AWS_DEFAULT_REGION=${CLIENT_REGION}`);
  // AWS_ENDPOINT_URL is honoured by the JS SDK v3, AWS CLI 2.13+ and 1.29+; older CLIs (Debian's 2.9) need the flag.
  console.log(`Older AWS CLIs ignore AWS_ENDPOINT_URL: pass --endpoint-url ${emulator.endpoint} instead.`);
}

await main(process.argv.slice(2));
