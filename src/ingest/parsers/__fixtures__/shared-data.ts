/**
 * @module ingest/parsers/__fixtures__/shared-data
 * Paths into the shared evaluation data, which sits next to every clone of the repository.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../../../', import.meta.url)));

/** `../shared/data` relative to the repository root. */
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');

/** Absolute path of a file under the shared data folder. */
export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

/** Reads a shared file into a fresh buffer (parsers may take ownership of it). */
export function readShared(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(sharedPath(...parts)));
}
