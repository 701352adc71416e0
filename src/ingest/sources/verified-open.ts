/**
 * @module ingest/sources/verified-open
 * Opens a file or folder and proves that what was opened is the object at the expected canonical path,
 * by asking the kernel what the descriptor is (`/proc/self/fd/N` on Linux, the resolved path
 * elsewhere) and comparing device and inode. A path checked when a job was queued can be swapped for a
 * symbolic link before the worker reads it; this turns such a swap into a refusal instead of a read.
 */
import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, readlink, realpath, stat } from 'node:fs/promises';
import { IngestError } from '../../errors.ts';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
// Opening a FIFO or a device must not block the worker; a regular file ignores the flag.
const NON_BLOCK = constants.O_NONBLOCK ?? 0;
const DIRECTORY = constants.O_DIRECTORY ?? 0;

/** An open descriptor that was verified to be the object at `path`. */
export interface VerifiedHandle {
  readonly handle: FileHandle;
  readonly info: Stats;
  /** Where the descriptor can be re-opened without resolving `path` again (Linux), else `path`. */
  readonly stablePath: string;
}

/** Opens `expected`, a canonical absolute path, and refuses when the descriptor is anything else. */
export async function openVerified(expected: string, kind: 'file' | 'directory'): Promise<VerifiedHandle> {
  let handle: FileHandle;
  try {
    handle = await open(
      expected,
      constants.O_RDONLY | NO_FOLLOW | NON_BLOCK | (kind === 'directory' ? DIRECTORY : 0),
    );
  } catch (error) {
    throw openError(expected, error);
  }
  try {
    const info = await handle.stat();
    const actual = await descriptorPath(handle, expected);
    const named = await stat(expected).catch(() => undefined);
    if (actual !== expected || !named || named.dev !== info.dev || named.ino !== info.ino) {
      throw changed();
    }
    if (kind === 'file' && !info.isFile()) {
      throw new IngestError('unsupported_type', 'The path is not a regular file.');
    }
    const stablePath = process.platform === 'linux' ? `/proc/self/fd/${handle.fd}` : expected;
    return { handle, info, stablePath };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** What the kernel says an open descriptor is; where it cannot say, the path resolved now. */
async function descriptorPath(handle: FileHandle, fallback: string): Promise<string> {
  if (process.platform === 'linux') {
    const link = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
    if (link !== undefined) return link;
  }
  return realpath(fallback).catch(() => '');
}

function changed(): IngestError {
  return new IngestError(
    'path_changed',
    'The file or a folder above it was replaced (for example by a symbolic link) after the job was queued, so it was not read. Queue it again.',
  );
}

function openError(target: string, error: unknown): IngestError {
  const code = (error as NodeJS.ErrnoException).code;
  // O_NOFOLLOW refuses a final symbolic link with ELOOP (EMLINK on some BSDs); a swapped-in file
  // where a folder was expected gives ENOTDIR.
  if (code === 'ELOOP' || code === 'EMLINK' || code === 'ENOTDIR') return changed();
  if (code === 'ENOENT') return new IngestError('not_found', `No such file: ${target}`);
  return new IngestError('not_found', `Cannot read ${target}: ${code ?? 'error'}`);
}
