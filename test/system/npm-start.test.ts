// The README's first command, `npm start`, as a new user and a process manager run it: with nothing changed since
// the last build it starts the built server without building again (wireit compares the inputs' fingerprints), and
// a SIGTERM or SIGINT sent to npm reaches the server, which shuts down and frees its port. `npm run test:system`
// builds first, so the build here is current. `npm run emulator` likewise stops when npm is signalled.
import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** One file of each build (`build:server`, `build:web`): their modification times tell whether a build ran. */
const BUILD_OUTPUTS = ['dist/main.js', 'web/dist/index.html'].map((path) => fileURLToPath(new URL(`../../${path}`, import.meta.url)));

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
});

async function modificationTimes(): Promise<number[]> {
  return Promise.all(BUILD_OUTPUTS.map(async (path) => (await stat(path)).mtimeMs));
}

/**
 * An npm script in its own process group (so the test can clean up), resolving once its output names the port it
 * listens on (`listening`'s first group).
 */
async function npmScript(
  args: readonly string[],
  env: Record<string, string>,
  listening: RegExp,
): Promise<{ npm: ChildProcess; port: number; output: () => string; exited: Promise<number | null> }> {
  const npm = spawn('npm', args, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_update_notifier: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(npm);
  let output = '';
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    npm.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = listening.exec(output)?.[1];
      if (found) resolve(Number(found));
    });
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`npm ${args.join(' ')} exited with ${code} before listening:\n${output}`)));
  });
  return { npm, port, output: () => output, exited };
}

/** `npm start` with the server on an ephemeral port. */
function npmStart(): ReturnType<typeof npmScript> {
  return npmScript(['start'], { PORT: '0', STATUSGRAPH_LOG_LEVEL: 'warn' }, /playground: http:\/\/127\.0\.0\.1:(\d+)\//);
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('starts the current build without rebuilding it, and %s to npm stops the server', async (signal) => {
    const built = await modificationTimes();
    const { npm, port, output, exited } = await npmStart();

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(output()).toContain(`on Node.js ${process.version}`);
    expect(await modificationTimes()).toEqual(built);

    npm.kill(signal);

    expect(await exited).toBe(0);
    expect(await portAccepts(port)).toBe(false);
  });
});

describe('npm run emulator', () => {
  it('stops the emulator when npm is sent SIGTERM, as a process manager or a terminal would', async () => {
    const { npm, port, exited } = await npmScript(['run', 'emulator', '--', '--port', '0', '--accounts', '5'], {}, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
    expect(await portAccepts(port)).toBe(true);

    npm.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(await portAccepts(port)).toBe(false);
  });
});
