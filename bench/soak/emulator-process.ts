// The soak's emulator in a process of its own, as AWS is to statusgraph: driven over its control API (faults, held
// transitions, sessions, histories). Inside the soak's one process — statusgraph and 200 graphql-ws clients — it
// answered late whenever they were busy (200 subscribers re-reading the organization after a reconnect): statusgraph's
// AWS calls then timed out and its circuits opened for a minute, a fault of the soak's layout that AWS would not cause.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StatusHistory } from '../../src/emulator/core/world-control.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /listening on (http:\/\/\S+)/;

export interface EmulatorProcess {
  readonly endpoint: string;
  /** Every session refused from now on, as after an endpoint restart. */
  invalidateSessions(): Promise<void>;
  /** Every held transition goes on. */
  release(): Promise<void>;
  /** Each status's changes (`fleetwise:<account>:<region>`, `enrollment:<account>`, `creation:<request>`). */
  history(keys: readonly string[]): Promise<Record<string, StatusHistory | null>>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(options: { readonly memberAccounts: number; readonly delayMs: number }): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/emulator/cli.ts', '--port', '0', '--accounts', String(options.memberAccounts), '--delay-ms', String(options.delayMs)],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const endpoint = await listeningEndpoint(child);
  const control = async (resource: string, init: RequestInit = {}): Promise<unknown> => {
    const response = await fetch(new URL(`/_emulator/${resource}`, endpoint), init);
    if (!response.ok) throw new Error(`emulator ${resource}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    endpoint,
    invalidateSessions: async () => void (await control('sessions', { method: 'DELETE' })),
    release: async () => void (await control('transitions/release', post({ keys: ['*'] }))),
    history: async (keys) => (await control('history', post({ keys }))) as Record<string, StatusHistory | null>,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function listeningEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = LISTENING.exec(output)?.[1];
      if (found) resolve(found);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code} before listening:\n${output}`)));
  });
}
