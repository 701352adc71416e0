import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
const run = promisify(execFile);

// Compiling the sources with tsx and booting PGlite twice takes a while on a busy two-core machine.
const TIMEOUT_MS = 300_000;

interface ModeReport {
  mode: string;
  passed: number;
  total: number;
  categories: Record<string, { passed: number; total: number; passRate: number }>;
  failures: { id: string; problems: string[] }[];
  baseline?: unknown;
}

interface Routing {
  testSize: number;
  accuracy: number;
  outOfScopeRecall: number;
  perIntent: Record<string, { correct: number; total: number }>;
}

describe('groundwork support eval', () => {
  it(
    'runs chosen scenarios in both modes and reports each as JSON, per category, with the routing figures',
    async () => {
      const { stdout } = await run(
        process.execPath,
        [BIN, 'support', 'eval', '--json', '--scenarios', 'faq-warranty,order-other-customer,human-request'],
        { env: { ...process.env, CI: '' }, timeout: TIMEOUT_MS },
      );
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        modes: ModeReport[];
        routing: Routing;
      };
      expect(report.modes.map((mode) => [mode.mode, mode.total])).toEqual([
        ['routed', 3],
        ['scripted', 3],
      ]);
      for (const mode of report.modes) {
        expect(mode.failures).toEqual([]);
        expect(mode.categories).toEqual({
          faq: { passed: 1, total: 1, passRate: 1 },
          human: { passed: 1, total: 1, passRate: 1 },
          orders: { passed: 1, total: 1, passRate: 1 },
        });
        // A partial run is not compared with the baseline.
        expect(mode.baseline).toBeUndefined();
      }
      expect(report.routing.testSize).toBe(56);
      expect(Object.keys(report.routing.perIntent)).toContain('out_of_scope');
      expect(report.routing.accuracy).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );

  it(
    'refuses an unknown mode or scenario, or a bad limit, with a stable code and exit status 2',
    async () => {
      for (const args of [
        ['--mode', 'bogus'],
        ['--mode', 'routed', '--scenarios', 'no-such-scenario'],
        ['--mode', 'routed', '--limit', '0'],
        ['--update-baseline', '--scenarios', 'faq-warranty'],
      ]) {
        const failed = await run(process.execPath, [BIN, 'support', 'eval', ...args], {
          env: { ...process.env, CI: '' },
          timeout: TIMEOUT_MS,
        }).then(
          () => undefined,
          (error: { code: number; stderr: string }) => error,
        );
        expect(failed?.code).toBe(2);
        expect(failed?.stderr).toMatch(
          /\[(invalid_mode|unknown_scenario|invalid_limit|baseline_needs_full_run)\]/,
        );
      }
    },
    TIMEOUT_MS,
  );
});
