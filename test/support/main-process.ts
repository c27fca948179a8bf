// statusgraph as deployed: one node process running src/main.ts (tsx as a loader, not the tsx CLI, whose signal relay
// gives the child 30 ms to acknowledge a signal and SIGKILLs it after that on a loaded machine), in its own process
// group as in a container, in aws mode against an emulator the test runs. For tests that signal or kill the real process.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MainProcess {
  readonly child: ChildProcess;
  /** The GraphQL endpoint it printed. */
  readonly url: string;
  /** Its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Sends a signal to the whole process group. */
  signal(signal: NodeJS.Signals): void;
}

/** Starts statusgraph against `awsEndpoint`; resolves once it listens. */
export async function startMainProcess(awsEndpoint: string, variables: Record<string, string> = {}): Promise<MainProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      npm_config_update_notifier: 'false',
      PORT: '0',
      STATUSGRAPH_BACKEND: 'aws',
      STATUSGRAPH_AUTH: 'none',
      STATUSGRAPH_LOG_LEVEL: 'warn',
      AWS_ENDPOINT_URL: awsEndpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      ...variables,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /playground: (http:\/\/\S+)/.exec(output)?.[1];
      if (found) resolve(found);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`statusgraph exited with ${code} before listening:\n${output}`)));
  });
  return {
    child,
    url,
    exited,
    signal(signal) {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, signal);
    },
  };
}
