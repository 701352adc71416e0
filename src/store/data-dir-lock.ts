/**
 * @module store/data-dir-lock
 * The embedded database's single-owner lock: an OS file lock (flock) on `groundwork.lock` in the data
 * directory, taken before PGlite opens the directory and held for the life of the process. The kernel
 * (or the NFS server) releases it when the process dies, however it dies, and it holds across PID
 * namespaces and hosts sharing a volume, where a PID file cannot (two containers are both pid 1).
 *
 * Node has no flock, so a short-lived helper takes it for us: we open the file, hand the descriptor
 * to `flock -xn 3` (util-linux or busybox; `perl` where there is no flock, as on macOS), and the lock,
 * which belongs to the open file description both share, stays with our descriptor after the helper
 * exits. The file's text (host, pid, start, heartbeat) only names the holder in messages.
 *
 * A lock on a network volume can outlive its holder (an NFSv3 client that died without releasing
 * it). The holder rewrites its heartbeat every `heartbeatMs`; a refusal names a heartbeat older than
 * `staleAfterMs` as stale, and `breakStale` then moves the old file aside and locks a new one. A live
 * holder whose file was moved away notices at its next heartbeat (the path names another file) and
 * is told through `onLost`, so two processes never keep writing.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { GroundworkError } from '../errors.ts';

/** The lock file's name in the data directory. */
export const LOCK_FILE = 'groundwork.lock';

/** Who holds the lock, as its file says. */
export interface LockHolder {
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly heartbeatAt: string;
}

/** Options of `acquireDataDirLock`. */
export interface DataDirLockOptions {
  /** Take over a lock whose holder's heartbeat is older than `staleAfterMs` (GROUNDWORK_BREAK_STALE_LOCK=1). */
  readonly breakStale?: boolean;
  /** Called once if another process took the lock away (after `breakStale`); stop writing. */
  readonly onLost?: () => void;
  /** Called when no lock helper exists here and the directory is used unguarded. */
  readonly onUnguarded?: (message: string) => void;
  readonly heartbeatMs?: number;
  readonly staleAfterMs?: number;
  /** Lock helpers to try, in order (tests narrow it). */
  readonly helpers?: readonly LockHelper[];
  readonly now?: () => number;
}

/** A held lock. */
export interface DataDirLock {
  /** Releases the lock (closing the descriptor); calling it twice is harmless. */
  release(): void;
}

/** A command that flocks descriptor 3 without blocking: exit 0 locked, 1 held elsewhere. */
export type LockHelper = 'flock' | 'perl';

const HELPER_ARGS: Readonly<Record<LockHelper, readonly string[]>> = {
  flock: ['--exclusive', '--nonblock', '3'],
  perl: [
    '-e',
    'use Fcntl qw(:flock); open(my $fh, "+<&=", 3) or exit 3; exit(flock($fh, LOCK_EX | LOCK_NB) ? 0 : 1)',
  ],
};

const HEARTBEAT_MS = 30_000;
const STALE_AFTER_MS = 5 * 60_000;

/** Takes the data directory's lock, or throws `data_dir_locked` naming the holder. */
export function acquireDataDirLock(dataDir: string, options: DataDirLockOptions = {}): DataDirLock {
  const now = options.now ?? Date.now;
  const lockPath = path.join(dataDir, LOCK_FILE);
  let fd = openSync(lockPath, constants.O_RDWR | constants.O_CREAT, 0o644);
  let outcome = lockDescriptor(fd, options.helpers ?? ['flock', 'perl']);
  if (outcome === 'held') {
    closeSync(fd);
    const holder = readHolder(lockPath);
    const stale =
      holder !== undefined &&
      now() - Date.parse(holder.heartbeatAt) > (options.staleAfterMs ?? STALE_AFTER_MS);
    if (!stale || !options.breakStale) throw lockedError(dataDir, holder, stale, now());
    // Moved aside, not deleted: the old holder's descriptor keeps pointing at it, and so does its lock.
    renameSync(lockPath, `${lockPath}.stale-${now()}`);
    fd = openSync(lockPath, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o644);
    outcome = lockDescriptor(fd, options.helpers ?? ['flock', 'perl']);
    if (outcome === 'held') {
      closeSync(fd);
      throw lockedError(dataDir, readHolder(lockPath), false, now());
    }
  }
  if (outcome === 'unguarded') {
    options.onUnguarded?.(
      `No file-lock helper (flock or perl) was found, so ${dataDir} is not guarded against a second ` +
        'process; install util-linux (flock) to guard it.',
    );
  }
  const startedAt = new Date(now()).toISOString();
  const lockedFile = fstatSync(fd);
  const writeHolder = () => {
    const text = `${JSON.stringify({ host: hostname(), pid: process.pid, startedAt, heartbeatAt: new Date(now()).toISOString() } satisfies LockHolder)}\n`;
    ftruncateSync(fd, 0);
    writeSync(fd, text, 0);
  };
  writeHolder();
  let released = false;
  const heartbeat = setInterval(() => {
    if (released) return;
    if (!stillOurs(lockPath, lockedFile)) {
      clearInterval(heartbeat);
      options.onLost?.();
      return;
    }
    try {
      writeHolder();
    } catch {
      // A full or read-only volume: the next beat tries again; the lock itself is unaffected.
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  return {
    release: () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      closeSync(fd);
    },
  };
}

/** Locks `fd` with the first helper that exists here. */
function lockDescriptor(fd: number, helpers: readonly LockHelper[]): 'locked' | 'held' | 'unguarded' {
  for (const helper of helpers) {
    const result = spawnSync(helper, HELPER_ARGS[helper], { stdio: ['ignore', 'ignore', 'pipe', fd] });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') continue;
    if (result.status === 0) return 'locked';
    if (result.status === 1) return 'held';
    throw new GroundworkError({
      code: 'data_dir_lock_failed',
      category: 'system',
      message: `Could not lock ${LOCK_FILE} with ${helper}: ${result.stderr?.toString().trim() || result.error?.message || `exit ${result.status}`}`,
    });
  }
  return 'unguarded';
}

function stillOurs(lockPath: string, locked: { dev: number; ino: number }): boolean {
  try {
    const current = statSync(lockPath);
    return current.dev === locked.dev && current.ino === locked.ino;
  } catch {
    return false;
  }
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockHolder>;
    if (typeof holder.host !== 'string' || typeof holder.pid !== 'number') return undefined;
    return {
      host: holder.host,
      pid: holder.pid,
      startedAt: String(holder.startedAt),
      heartbeatAt: String(holder.heartbeatAt ?? holder.startedAt),
    };
  } catch {
    // Empty (its holder is between locking and writing) or not ours.
    return undefined;
  }
}

function lockedError(
  dataDir: string,
  holder: LockHolder | undefined,
  stale: boolean,
  now: number,
): GroundworkError {
  const who = holder
    ? `process ${holder.pid} on host ${holder.host} (started ${holder.startedAt})`
    : 'another process';
  const staleNote =
    holder && stale
      ? ` Its last heartbeat was ${Math.round((now - Date.parse(holder.heartbeatAt)) / 60_000)} minutes ago: if that host is gone ` +
        '(a lock left on a network volume), start once with GROUNDWORK_BREAK_STALE_LOCK=1 to take it over.'
      : '';
  return new GroundworkError({
    code: 'data_dir_locked',
    kind: 'conflict',
    message:
      `The data directory ${dataDir} is in use by ${who}. Stop that process, or point GROUNDWORK_DATA_DIR elsewhere.` +
      staleNote,
    details: holder ? { holder } : {},
  });
}
