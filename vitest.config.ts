// Test runner settings: one suite for unit, contract and end-to-end tests; browser, system and Redis suites have their own scripts.
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) with no exports map: Vite would hand our code the ESM copy while
    // type-graphql, loaded by Node, gets the CJS one, and the two copies' classes fail each other's instanceof checks.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/system/**', 'test/redis/**', 'test/postgres/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One module graph per worker instead of per file: every file imports the same server, SDKs and emulator, and
    // re-evaluating them for each of ~70 files was most of the suite's import time (a third of its wall time on a busy
    // 2-core machine: 23 files of test/aws, graphql and server took 224 s isolated, 98 s not; imports 83 s → 12 s).
    // Tests clean up after themselves (servers closed, env and timers restored), which this relies on.
    isolate: false,
    setupFiles: ['test/setup.ts'],
  },
});
