/**
 * @module store/data-dir
 * Checks, before anything is written, that the data directory can hold an embedded database: it is a
 * directory (or can be made one), this user can write there, the volume is writable and has room.
 * Each problem is one `data_dir_unusable` error whose message says what to do, so the command line
 * prints one line instead of a stack trace from deep inside PGlite.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { GroundworkError } from '../errors.ts';

/** Free bytes a new embedded database needs (a fresh one takes ~40 MB) and an existing one to run on. */
const MIN_FREE_BYTES = { fresh: 64 * 1024 * 1024, existing: 16 * 1024 * 1024 } as const;
const MB = 1024 * 1024;

/** Makes sure `dataDir` is a writable directory with room; throws `data_dir_unusable` when not. */
export function prepareDataDir(dataDir: string, options: { readonly embedded: boolean }): void {
  try {
    makeDirectory(path.resolve(dataDir));
  } catch (error) {
    throw dataDirError(dataDir, error);
  }
  const probe = path.join(dataDir, `.write-test-${process.pid}`);
  try {
    const fd = openSync(probe, 'w');
    try {
      writeSync(fd, Buffer.alloc(4096));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw dataDirError(dataDir, error);
  } finally {
    rmSync(probe, { force: true });
  }
  if (!options.embedded) return;
  const fresh = !statSync(path.join(dataDir, 'pg'), { throwIfNoEntry: false });
  const needed = fresh ? MIN_FREE_BYTES.fresh : MIN_FREE_BYTES.existing;
  const volume = statfsSync(dataDir);
  const free = volume.bavail * volume.bsize;
  if (free < needed) {
    throw unusable(
      `Only ${Math.floor(free / MB)} MB are free on the volume of the data directory ${dataDir}; the embedded ` +
        `database needs at least ${needed / MB} MB. Free some space, or set GROUNDWORK_DATA_DIR to a directory on a larger volume.`,
    );
  }
}

/**
 * `mkdir -p`, one level at a time: a recursive mkdir reports ENOENT on a read-only volume, where
 * creating the first missing level itself says EROFS (or EACCES, ENOSPC, ENOTDIR).
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let existing = dir;
  while (!statSync(existing, { throwIfNoEntry: false })) {
    missing.unshift(existing);
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (!statSync(existing).isDirectory()) {
    throw Object.assign(new Error(`${existing} is not a directory`), { code: 'ENOTDIR' });
  }
  for (const level of missing) mkdirSync(level);
}

/** The `data_dir_unusable` error for a file-system error met in `dataDir` (PGlite's own errors too). */
export function dataDirError(dataDir: string, error: unknown): GroundworkError {
  const code = errnoName(error);
  const fix = 'or set GROUNDWORK_DATA_DIR to another directory';
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return unusable(
        `The data directory ${dataDir} is not a directory (a file is in its place); move that file away, ${fix}.`,
        error,
      );
    case 'EACCES':
    case 'EPERM':
      return unusable(
        `The data directory ${dataDir} is not writable by this user (uid ${process.getuid?.() ?? '?'}); ` +
          `give it write access (chown or chmod), ${fix}.`,
        error,
      );
    case 'EROFS':
      return unusable(
        `The data directory ${dataDir} is on a read-only file system; mount it read-write, ${fix}.`,
        error,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return unusable(`The volume of the data directory ${dataDir} is full; free some space, ${fix}.`, error);
    default:
      return unusable(
        `The data directory ${dataDir} cannot be used: ${(error as Error)?.message ?? String(error)}.`,
        error,
      );
  }
}

/**
 * The errno name of a Node error, or of PGlite's WASM `ErrnoError`, whose numbers are WASI's
 * (28 EINVAL … 51 ENOSPC), not the host's.
 */
function errnoName(error: unknown): string | undefined {
  const { code, errno, name } = (error ?? {}) as { code?: unknown; errno?: unknown; name?: unknown };
  if (typeof code === 'string') return code;
  if (name === 'ErrnoError' && typeof errno === 'number') return WASI_ERRNO[errno];
  return undefined;
}

const WASI_ERRNO: Readonly<Record<number, string>> = {
  2: 'EACCES',
  19: 'EDQUOT',
  20: 'EEXIST',
  51: 'ENOSPC',
  54: 'ENOTDIR',
  63: 'EPERM',
  69: 'EROFS',
};

function unusable(message: string, cause?: unknown): GroundworkError {
  return new GroundworkError({ code: 'data_dir_unusable', category: 'user', message, cause });
}
