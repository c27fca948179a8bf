import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../src/emulator/cli.ts', import.meta.url));

/** Runs the CLI as `npm run emulator` does (TypeScript through tsx), collecting its output. */
function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, output, exited };
}

describe('npm run emulator', () => {
  it('prints its endpoint and the client environment, serves requests, and exits 0 on SIGTERM', async () => {
    const { child, output, exited } = runCli(['--port', '0', '--accounts', '2', '--delay-ms', '0']);
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => output.stdout.includes('Older AWS CLIs') && resolve());
      void exited.then(() => reject(new Error(`the CLI exited early: ${output.stderr}`)));
    });

    const endpoint = /^AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output.stdout)?.[1];
    expect(endpoint).toBeDefined();
    expect(output.stdout).toMatch(/^AWS_ACCESS_KEY_ID=test$/m);
    expect(output.stdout).toMatch(/^AWS_SECRET_ACCESS_KEY=test$/m);
    expect(output.stdout).toMatch(/^AWS_REGION=us-east-1$/m);
    expect(output.stdout).toMatch(/^AWS_DEFAULT_REGION=us-east-1$/m);
    expect((await fetch(`${endpoint}/_emulator/health`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });

  it.each([
    [['--port', 'eighty'], '--port'],
    [['--accounts', '10001'], '--accounts'],
    [['--delay-ms=-1'], '--delay-ms'],
    [['--colour', 'blue'], '--colour'],
  ])('refuses %j with one line naming %s, and exit status 2', async (args, flag) => {
    const { output, exited } = runCli(args);

    expect(await exited).toEqual([2, null]);
    expect(output.stderr.trim().split('\n')).toEqual([expect.stringContaining(flag)]);
  });
});
