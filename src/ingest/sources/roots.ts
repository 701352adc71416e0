/**
 * @module ingest/sources/roots
 * Requests that arrive over the API may only read files under configured roots. Paths are compared
 * after resolving symbolic links, so `allowed/../../etc/passwd` and links pointing out are refused.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from '../../errors.ts';

/** Resolves `target` and checks it lies under one of `roots`; returns the real path. */
export async function resolveAllowedPath(target: string, roots: readonly string[] | 'any'): Promise<string> {
  let real: string;
  try {
    real = await realpath(path.resolve(target));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IngestError(
      'not_found',
      code === 'ENOENT' ? `No such file or folder: ${target}` : `Cannot read ${target}: ${code ?? 'error'}`,
    );
  }
  if (roots === 'any') return real;
  for (const root of roots) {
    const realRoot = await realpath(path.resolve(root)).catch(() => undefined);
    if (realRoot && (real === realRoot || real.startsWith(realRoot + path.sep))) return real;
  }
  throw new IngestError(
    'path_not_allowed',
    `${target} is outside the folders this server may read (GROUNDWORK_ALLOWED_ROOTS). Upload the file instead, or add its folder to the allowed roots.`,
  );
}
