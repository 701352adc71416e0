/**
 * Runs before each test file (vitest.config.ts `setupFiles`): in-memory databases start from a
 * migrated dump instead of an empty cluster (testing/pglite-template.ts). A test of the migrations
 * themselves opens its database with a `template` of its own or clears it with
 * `useInMemoryTemplate(undefined)`.
 *
 * It also reports a worker whose event loop stops for long: vitest's calls to its main process time
 * out after 60 s, and a worker blocked that long (an in-memory database runs on the worker's own
 * thread) fails the whole run with "Timeout calling onTaskUpdate" and no test named.
 */
import { expect } from 'vitest';
import { useMigratedTemplate } from './pglite-template.ts';

await useMigratedTemplate();

const REPORT_BLOCKS_OVER_MS = 15_000;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const blocked = now - last - 1000;
  last = now;
  if (blocked < REPORT_BLOCKS_OVER_MS) return;
  const state = expect.getState();
  process.stderr.write(
    `[event loop] blocked ${(blocked / 1000).toFixed(1)} s in ${state.testPath ?? 'a test file'}` +
      ` during "${state.currentTestName ?? 'setup or teardown'}"\n`,
  );
}, 1000).unref();
