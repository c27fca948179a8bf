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
    setupFiles: ['test/setup.ts'],
  },
});
