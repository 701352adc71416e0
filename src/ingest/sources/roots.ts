/**
 * @module ingest/sources/roots
 * Which local paths a job may name. Requests over the API may only read inside the configured roots
 * (GROUNDWORK_ALLOWED_ROOTS), never hidden entries below a root (`.env`, `.git/`: what a folder walk
 * skips) and never inside the data or models directories; the CLI operator may name any path.
 * Either way the path is resolved by the kernel (`realpath(3)`: every component, links and `..` in
 * the order the kernel meets them, no textual normalisation first) and the job stores the canonical
 * result, which the worker later verifies on the open descriptor (verified-open).
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from '../../errors.ts';

/** Where paths may point. */
export interface PathPolicy {
  /** Allowed roots, or `any` for the trusted operator. */
  readonly roots: readonly string[] | 'any';
  /** Folders API callers may never read even inside a root (the data and models directories). */
  readonly protectedPaths: readonly string[];
}

/**
 * Resolves a requested path to the canonical path the job will read. A file that does not exist yet
 * is accepted (as a per-item failure later) only when its folder resolves inside a root; everything
 * else an API caller cannot be given is refused with `path_not_allowed`, with one message whatever the
 * reason, so the refusal says nothing about what exists outside the roots.
 */
export async function resolveRequestedPath(target: string, policy: PathPolicy): Promise<string> {
  if (policy.roots === 'any') return (await canonical(target)) ?? path.resolve(target);
  if (target.includes('\0') || !path.isAbsolute(target)) throw notAllowed();
  const real = await canonical(target);
  if (!real) throw notAllowed();
  const roots = await canonicalAll(policy.roots);
  const root = roots.find((candidate) => isInside(real, candidate));
  if (root === undefined) throw notAllowed();
  // What a folder walk would skip (`.env`, `.git/`, `.ssh/`) cannot be named one by one either.
  if (
    path
      .relative(root, real)
      .split(path.sep)
      .some((part) => part.startsWith('.'))
  )
    throw notAllowed();
  const protectedPaths = await canonicalAll(policy.protectedPaths);
  if (protectedPaths.some((folder) => isInside(real, folder))) throw notAllowed();
  return real;
}

/** Whether `candidate` is `folder` or lies below it (both canonical). */
export function isInside(candidate: string, folder: string): boolean {
  return candidate === folder || candidate.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** The canonical form of a path: its real path, or for a missing last component, its real folder + name. */
async function canonical(target: string): Promise<string | undefined> {
  try {
    return await realpath(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  const name = path.basename(target);
  if (name === '' || name === '.' || name === '..') return undefined;
  const folder = await realpath(path.dirname(target)).catch(() => undefined);
  return folder === undefined ? undefined : path.join(folder, name);
}

/** Real paths of configured folders (resolved now: a folder may be created after start-up). */
export async function canonicalAll(paths: readonly string[]): Promise<string[]> {
  return Promise.all(paths.map((entry) => realpath(entry).catch(() => path.resolve(entry))));
}

function notAllowed(): IngestError {
  return new IngestError(
    'path_not_allowed',
    'API requests may only name absolute paths inside the folders this server may read (GROUNDWORK_ALLOWED_ROOTS), outside its data and models directories. Upload the file instead, or ask an operator to add its folder to the allowed roots.',
  );
}
