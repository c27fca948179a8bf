// A real PostgreSQL server (Debian's postgresql package) for the PostgreSQL suites: initdb into a temporary directory,
// then `postgres` on a free loopback port with durability settings relaxed for speed. PostgreSQL refuses to run as
// root, so under root (CI, this machine) it runs as the package's `postgres` user. Stopped and started again on the
// same port to play an outage.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/free-port.js';

/** initdb takes a few seconds; a busy 2-core machine may take much longer. */
const START_TIMEOUT_MS = 60_000; // 1 minute

export interface PostgresServer {
  readonly port: number;
  /** postgres://…/statusgraph, the database the tests use. */
  readonly url: string;
  /** Stops the server (fast shutdown) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with its data. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Debian installs the server's programs outside PATH, under /usr/lib/postgresql/<major>/bin. */
function binDirectory(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = majors.map((major) => join(root, major, 'bin')).find((dir) => existsSync(join(dir, 'postgres')));
  if (!found) throw new Error('PostgreSQL is not installed; install it: apt-get install -y postgresql');
  return found;
}

/** Root may not run PostgreSQL: the package's own user does. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = binDirectory();
  const user = runAs();
  const root = mkdtempSync(join(tmpdir(), 'statusgraph-pg-'));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  if (user) chownSync(root, user.uid, user.gid);
  execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'statusgraph', '--auth=trust', '--no-sync', '-E', 'UTF8'], {
    stdio: 'pipe',
    ...(user ?? {}),
  });
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const spawned = spawn(
      join(bin, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) },
    );
    child = spawned;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`postgres did not start:\n${output}`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      spawned.stdout!.on('data', onData);
      spawned.stderr!.on('data', onData);
      spawned.once('error', (error) => reject(new Error(`postgres could not be run (${error.message})`)));
      spawned.once('exit', (code) => reject(new Error(`postgres exited with ${code}:\n${output}`)));
    });
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGINT'); // fast shutdown: clients are disconnected at once
    await exited;
  };

  await start();
  execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'statusgraph', 'statusgraph'], { stdio: 'pipe' });
  return {
    port,
    url: `postgres://statusgraph@127.0.0.1:${port}/statusgraph`,
    stop,
    start,
    async close() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
