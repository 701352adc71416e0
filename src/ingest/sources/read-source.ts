/**
 * @module ingest/sources/read-source
 * Reads the bytes of a file under the size limit, with errors that say what went wrong and what to
 * do. URLs are read by read-url, uploads by ingest/uploads.
 */
import path from 'node:path';
import { IngestError } from '../../errors.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import { openVerified } from './verified-open.ts';

/** The bytes of an item and what is known about them. */
export interface SourceBytes {
  readonly bytes: Uint8Array;
  readonly fileName: string;
  /** Content type declared by an HTTP server or an uploader. */
  readonly declaredType?: string;
}

/** Limits that apply while reading. */
export interface ReadLimits {
  readonly maxFileBytes: number;
  readonly fetchTimeoutMs: number;
}

/**
 * Reads a local file at its canonical path, refusing oversize files before reading them. The open
 * descriptor is verified to be the file at that path (see verified-open), so a file or folder swapped
 * for a link after the job was queued is refused, for every caller.
 */
export async function readFileSource(filePath: string, limits: ReadLimits): Promise<SourceBytes> {
  const { handle, info } = await openVerified(filePath, 'file');
  try {
    const size = info.size;
    if (size > limits.maxFileBytes) throw tooLarge(size, limits.maxFileBytes);
    if (size === 0) throw new IngestError('empty_file', 'The file is empty.');
    const bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return { bytes: bytes.subarray(0, offset), fileName: path.basename(filePath) };
  } finally {
    await handle.close();
  }
}

/** The refusal of an item over the size limit. */
export function tooLarge(size: number, limit: number): IngestError {
  return new IngestError(
    'too_large',
    `The file is ${formatBytes(size)}, over the ${formatBytes(limit)} limit (limits.maxFileBytes). Split it or raise the limit.`,
  );
}
