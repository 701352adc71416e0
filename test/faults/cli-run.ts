/**
 * @module test/faults/cli-run
 * Runs the real command line (`bin/groundwork`) as a child process for the fault tests, optionally
 * wrapped (in `unshare`, or as another user through `runuser`), and reports its exit and output.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

/** The CLI entry point. */
export const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');

/** A finished run. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running CLI process. */
export interface RunningCli {
  readonly child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  readonly exit: Promise<CliResult>;
}

/**
 * Starts `bin/groundwork args` with `env` added, through `wrapper` (e.g. `['unshare', '--pid',
 * '--fork']`) when given. The child leads its own process group, so a test can kill it and all its
 * descendants with `process.kill(-pid)`.
 */
export function startCli(
  args: readonly string[],
  env: Record<string, string>,
  wrapper: readonly string[] = [],
): RunningCli {
  const command = [...wrapper, process.execPath, BIN, ...args];
  const child = spawn(command[0] as string, command.slice(1), {
    env: { ...process.env, CI: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (data: Buffer) => {
    stdout += data.toString();
    for (const waiter of waiters) waiter();
  });
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
    for (const waiter of waiters) waiter();
  });
  const exit = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return {
    child,
    output: () => stdout + stderr,
    exit,
    waitFor: (pattern, timeoutMs = 180_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(stdout + stderr)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${stdout}${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        void exit.then(() => {
          if (waiters.has(check)) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`exited before ${pattern}; output:\n${stdout}${stderr}`));
          }
        });
        check();
      }),
  };
}

/** Runs the CLI to its end. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  wrapper: readonly string[] = [],
): Promise<CliResult> {
  return startCli(args, env, wrapper).exit;
}

/** True when `command` runs here and exits 0 (a capability probe, e.g. `unshare --mount true`). */
export function canRun(command: readonly string[]): boolean {
  const result = spawnSync(command[0] as string, command.slice(1), { stdio: 'ignore' });
  return !result.error && result.status === 0;
}
