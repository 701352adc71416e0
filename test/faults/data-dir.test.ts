/**
 * An embedded data directory that cannot be used (a file in its place, not writable by this user,
 * on a read-only or full volume) stops the command with one line saying what to do, a non-zero
 * exit code and no stack trace. Runs the real CLI; the read-only and full volumes are mounts in a
 * private mount namespace (`unshare --mount`), skipped where that is not allowed.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult, canRun, runCli } from './cli-run.ts';

const isRoot = process.getuid?.() === 0;
const canMount = isRoot && canRun(['unshare', '--mount', 'true']);
// `nobody` must be able to read the checkout and its node_modules (not so under a 0700 home).
const canSwitchUser =
  isRoot &&
  canRun([
    'runuser',
    '-u',
    'nobody',
    '--',
    process.execPath,
    '-e',
    `require('node:fs').accessSync(${JSON.stringify(BIN)}); require.resolve('tsx', { paths: [${JSON.stringify(path.dirname(BIN))}] })`,
  ]);
const CLI_TIMEOUT_MS = 180_000;

/** One line, the stable code, a hint, a failing exit code, and nothing that looks like a stack trace. */
function expectReadableRefusal(result: CliResult, hint: RegExp): void {
  const stderr = result.stderr.trim();
  expect(result.code, result.stdout + result.stderr).not.toBe(0);
  expect(stderr.split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^groundwork: .*\[data_dir_unusable\]$/);
  expect(stderr).toMatch(hint);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toMatch(/unexpected error/i);
}

/** Runs `groundwork status` with `dataDir` after `setup` (shell, as root) in a private mount namespace. */
function statusInMountNamespace(dataDir: string, setup: string): Promise<CliResult> {
  return runCli(['status'], { GROUNDWORK_DATA_DIR: dataDir }, [
    'unshare',
    '--mount',
    'sh',
    '-c',
    `set -e; ${setup}; exec "$@"`,
    'sh',
  ]);
}

describe('unusable data directories', () => {
  let scratch: string;
  const env = (dataDir: string) => ({
    GROUNDWORK_DATA_DIR: dataDir,
    GROUNDWORK_MODELS_DIR: path.join(scratch, 'models'),
  });

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gw-datadir-'));
    await chmod(scratch, 0o755);
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it(
    'a file where the data directory (or its parent) should be',
    async () => {
      const file = path.join(scratch, 'not-a-dir');
      await writeFile(file, 'hello');
      expectReadableRefusal(await runCli(['status'], env(file)), /is not a directory.*move that file away/);
      expectReadableRefusal(
        await runCli(['status'], env(path.join(file, 'data'))),
        /is not a directory.*move that file away/,
      );
    },
    CLI_TIMEOUT_MS,
  );

  it.skipIf(!canSwitchUser && isRoot)(
    'a directory this user may not write to (another owner)',
    async () => {
      const dir = path.join(scratch, 'owned-by-root');
      await mkdir(dir, { mode: 0o755 });
      // As root the check runs as `nobody`, for whom a root-owned 0755 directory is read-only.
      const wrapper = isRoot ? ['runuser', '-u', 'nobody', '--'] : [];
      if (!isRoot) await chmod(dir, 0o555);
      const result = await runCli(['status'], { ...env(dir), HOME: scratch }, wrapper);
      expectReadableRefusal(result, /is not writable by this user \(uid \d+\); give it write access/);
    },
    CLI_TIMEOUT_MS,
  );

  it.skipIf(!canMount)(
    'a read-only file system, for an existing data directory and for a new one',
    async () => {
      const volume = path.join(scratch, 'ro-volume');
      await mkdir(path.join(volume, 'existing'), { recursive: true });
      const setup = `mount --bind ${volume} ${volume}; mount -o remount,bind,ro ${volume}`;
      for (const dataDir of [path.join(volume, 'existing'), path.join(volume, 'new', 'data')]) {
        const result = await statusInMountNamespace(dataDir, setup);
        expectReadableRefusal(result, /is on a read-only file system; mount it read-write/);
      }
    },
    CLI_TIMEOUT_MS,
  );

  it.skipIf(!canMount)(
    'a full volume, and one too small for a new embedded database',
    async () => {
      const volume = path.join(scratch, 'small-volume');
      await mkdir(volume);
      const mountSmall = `mount -t tmpfs -o size=8m tmpfs ${volume}`;
      const tooSmall = await statusInMountNamespace(path.join(volume, 'data'), mountSmall);
      expectReadableRefusal(tooSmall, /Only \d+ MB are free .* needs at least 64 MB/);
      const fill = `${mountSmall}; mkdir ${volume}/data; dd if=/dev/zero of=${volume}/fill bs=1M count=16 2>/dev/null || true`;
      const full = await statusInMountNamespace(path.join(volume, 'data'), fill);
      expectReadableRefusal(full, /is full; free some space/);
    },
    CLI_TIMEOUT_MS,
  );
});
