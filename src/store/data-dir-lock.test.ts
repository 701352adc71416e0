/**
 * The embedded database's lock is an OS file lock: a second holder is refused with a message naming
 * the first (host, pid, start), whether it is another open in this process, another process, or a
 * process in another PID namespace (test/faults/embedded-lock.test.ts); a stale lock on a network
 * volume can be taken over on request, and its old holder learns it lost the lock.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import { acquireDataDirLock, LOCK_FILE } from './data-dir-lock.ts';

const hasPerl = spawnSync('perl', ['-e', '1']).status === 0;

function refusal(run: () => unknown): GroundworkError {
  try {
    run();
  } catch (error) {
    expect(GroundworkError.isInstance(error)).toBe(true);
    return error as GroundworkError;
  }
  throw new Error('expected the lock to be refused');
}

describe('data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gw-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second holder, naming the first, and is free again once released', async () => {
    const first = acquireDataDirLock(dir);
    const error = refusal(() => acquireDataDirLock(dir));
    expect(error.code).toBe('data_dir_locked');
    expect(error.message).toContain(`process ${process.pid} on host ${hostname()}`);
    expect(error.message).toMatch(/started \d{4}-\d\d-\d\dT/);
    const holder = JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'));
    expect(holder).toMatchObject({ host: hostname(), pid: process.pid });
    first.release();
    acquireDataDirLock(dir).release();
  });

  it('holds across processes, and the kernel frees it when the holder is killed', async () => {
    // Another process locks the same file the same way, then sleeps; SIGKILL leaves it no clean-up.
    const file = JSON.stringify(path.join(dir, LOCK_FILE));
    const holder = spawn('sh', ['-c', `exec 9<>${file}; flock -xn 9 && echo locked && exec sleep 30`]);
    await new Promise<void>((resolve) => holder.stdout.on('data', () => resolve()));
    try {
      expect(refusal(() => acquireDataDirLock(dir)).code).toBe('data_dir_locked');
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.on('exit', resolve));
    acquireDataDirLock(dir).release();
  });

  it.skipIf(!hasPerl)('works with perl where there is no flock command (macOS)', () => {
    const first = acquireDataDirLock(dir, { helpers: ['perl'] });
    expect(refusal(() => acquireDataDirLock(dir, { helpers: ['perl'] })).code).toBe('data_dir_locked');
    // Both helpers take the same kind of lock.
    expect(refusal(() => acquireDataDirLock(dir, { helpers: ['flock'] })).code).toBe('data_dir_locked');
    first.release();
  });

  it('says so when no lock helper exists, and still opens', () => {
    const warnings: string[] = [];
    const lock = acquireDataDirLock(dir, { helpers: [], onUnguarded: (message) => warnings.push(message) });
    expect(warnings[0]).toMatch(/not guarded.*install util-linux/);
    lock.release();
  });

  it('takes over a stale lock only when asked, and the old holder learns it lost the lock', async () => {
    const started = Date.now();
    let lost = 0;
    const old = acquireDataDirLock(dir, {
      now: () => started,
      heartbeatMs: 20,
      onLost: () => {
        lost++;
      },
    });
    // The old holder is hung (no heartbeats for ten minutes) but its lock is still held, as a dead
    // NFSv3 client's can be.
    const later = () => started + 10 * 60_000;
    const stale = refusal(() => acquireDataDirLock(dir, { now: later }));
    expect(stale.message).toMatch(/last heartbeat was 10 minutes ago.*GROUNDWORK_BREAK_STALE_LOCK=1/);
    const taken = acquireDataDirLock(dir, { now: later, breakStale: true });
    // The old holder's next heartbeat (every 20 ms here) sees that the path names another file now.
    for (let waited = 0; lost === 0 && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(lost).toBe(1);
    // A fresh lock is never broken, even when asked.
    const fresh = refusal(() => acquireDataDirLock(dir, { now: later, breakStale: true }));
    expect(fresh.message).not.toContain('heartbeat');
    taken.release();
    old.release();
  });
});
