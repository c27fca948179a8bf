// The Node.js flags statusgraph runs with have one home, package.json's start script: the benchmarks read them from
// there (so they measure the server as `npm start` runs it), and the Node line running the tests accepts them (CI runs
// this on every line it tests; node refuses a V8 flag it does not know, and `npm start` would then not start).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeFlagsOf, STATUSGRAPH_NODE_FLAGS } from '../../bench/support/processes.js';

describe("npm start's Node.js flags", () => {
  it('are read from the start script, and a start script of another shape is refused rather than half-read', () => {
    expect(nodeFlagsOf('exec node dist/main.js')).toEqual([]);
    expect(nodeFlagsOf('exec node --no-allocation-site-pretenuring --max-old-space-size=4096 dist/main.js')).toEqual([
      '--no-allocation-site-pretenuring',
      '--max-old-space-size=4096',
    ]);
    expect(() => nodeFlagsOf('exec tsx src/main.ts')).toThrow(/start script/);
    expect(() => nodeFlagsOf('node dist/main.js && echo done')).toThrow(/start script/);
  });

  it("turn V8's allocation-site pretenuring off, and this Node line accepts them", () => {
    expect(STATUSGRAPH_NODE_FLAGS).toContain('--no-allocation-site-pretenuring');
    const run = spawnSync(process.execPath, [...STATUSGRAPH_NODE_FLAGS, '-e', 'process.stdout.write("started")'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('started');
    expect(run.status).toBe(0);
  });
});
