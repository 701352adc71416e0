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
  failures: { id: string; problems: string[] }[];
}

describe('groundwork support eval', () => {
  it(
    'runs chosen scenarios in both modes and reports each as JSON',
    async () => {
      const { stdout } = await run(
        process.execPath,
        [BIN, 'support', 'eval', '--json', '--scenarios', 'faq-warranty,order-other-customer,human-request'],
        { env: { ...process.env, CI: '' }, timeout: TIMEOUT_MS },
      );
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { modes: ModeReport[] };
      expect(report.modes.map((mode) => [mode.mode, mode.total])).toEqual([
        ['routed', 3],
        ['scripted', 3],
      ]);
      for (const mode of report.modes) expect(mode.failures).toEqual([]);
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
      ]) {
        const failed = await run(process.execPath, [BIN, 'support', 'eval', ...args], {
          env: { ...process.env, CI: '' },
          timeout: TIMEOUT_MS,
        }).then(
          () => undefined,
          (error: { code: number; stderr: string }) => error,
        );
        expect(failed?.code).toBe(2);
        expect(failed?.stderr).toMatch(/\[(invalid_mode|unknown_scenario|invalid_limit)\]/);
      }
    },
    TIMEOUT_MS,
  );
});
