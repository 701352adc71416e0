import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'apps/**/*.test.ts'],
    // In-memory databases start from a migrated dump, not an empty cluster (src/testing/pglite-template.ts).
    setupFiles: ['src/testing/vitest-setup.ts'],
    pool: 'forks',
    // Two cores: two test files at a time, each with its own embedded database.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // `auto` models must not depend on what this machine has pulled: tests that want the real local
    // models find them through GROUNDWORK_TEST_MODELS_DIR (src/testing/real-models.ts).
    // Logs of expected failures would bury the test report; LOG_LEVEL=info shows them when debugging.
    env: {
      GROUNDWORK_MODELS_DIR: path.join(os.tmpdir(), 'groundwork-tests-no-models'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
