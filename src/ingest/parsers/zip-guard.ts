/**
 * @module ingest/parsers/zip-guard
 * Refuses ZIP containers that would unpack into more than we are willing to hold in memory (zip
 * bombs), judged from the central directory before anything is inflated.
 */
import { IngestError } from '../../errors.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import type { ZipEntry } from './zip-directory.ts';

/** Limits for unpacking office files. */
export interface ZipLimits {
  /** Total declared uncompressed size of all entries. */
  readonly maxUnzippedBytes: number;
  /** Largest uncompressed/compressed ratio accepted for an entry bigger than 1 MB. */
  readonly maxCompressionRatio: number;
  /** Most entries in one archive. */
  readonly maxEntries: number;
}

const MB = 1024 * 1024;

/** Throws `limit_exceeded` when the archive declares too much content or an absurd compression ratio. */
export function assertSafeZip(entries: readonly ZipEntry[], limits: ZipLimits): void {
  if (entries.length > limits.maxEntries) {
    throw new IngestError(
      'limit_exceeded',
      `The archive holds ${entries.length} files, more than the limit of ${limits.maxEntries}`,
    );
  }
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > MB && ratio > limits.maxCompressionRatio) {
      throw new IngestError(
        'limit_exceeded',
        `${entry.name} would expand ${Math.round(ratio)}-fold to ${formatBytes(entry.uncompressedSize)}; ` +
          'the file looks like a decompression bomb and was not unpacked',
      );
    }
  }
  if (total > limits.maxUnzippedBytes) {
    throw new IngestError(
      'limit_exceeded',
      `The document would unpack to ${formatBytes(total)}, more than the limit of ${formatBytes(limits.maxUnzippedBytes)}`,
    );
  }
}
