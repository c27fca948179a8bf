// Test runner settings for system tests (`npm run test:system`): suites that drive programs from outside the Node
// toolchain — Debian's AWS CLI (test/system), Chromium (test/browser), redis-server (test/redis) and PostgreSQL
// (test/postgres) — against the real emulator and server. `npm test` excludes these folders, since .ci/run installs
// the programs only after it.
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Each AWS CLI run starts a Python interpreter (about a second on a busy 2-core machine); browsers start slower. */
const SYSTEM_TEST_TIMEOUT_MS = 120_000; // 2 minutes
const SYSTEM_HOOK_TIMEOUT_MS = 120_000; // 2 minutes

export default defineConfig({
  resolve: {
    // Copied from vitest.config.ts rather than merged with mergeConfig, which would concatenate its include and
    // exclude lists into ours (and exclude test/browser). These tests load the server in-process too, so they need
    // the same fix: graphql 16 ships CJS (main) and ESM (module) with no exports map, Vite would hand our code the
    // ESM copy while type-graphql, loaded by Node, gets the CJS one, and the two copies' classes fail each other's
    // instanceof checks.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/system/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/redis/**/*.test.ts', 'test/postgres/**/*.test.ts'],
    // The 90 s soak (test/system/soak.test.ts) runs here too; `npm run test:soak` runs it alone.
    exclude: ['node_modules/**'],
    testTimeout: SYSTEM_TEST_TIMEOUT_MS,
    hookTimeout: SYSTEM_HOOK_TIMEOUT_MS,
    pool: 'forks',
    setupFiles: ['test/setup.ts'],
  },
});
