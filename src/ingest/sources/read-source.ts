/**
 * @module ingest/sources/read-source
 * Fetches the bytes of one item (a file or a URL; uploads: ingest/uploads.ts) under the size and time limits, with
 * errors that say what went wrong and what to do.
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from '../../errors.ts';
import { formatBytes } from '../../text/format-bytes.ts';

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

/** Reads a local file, refusing oversize files before reading them. */
export async function readFileSource(filePath: string, limits: ReadLimits): Promise<SourceBytes> {
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) throw new IngestError('unsupported_type', `${filePath} is not a regular file.`);
    size = info.size;
  } catch (error) {
    if (IngestError.isInstance(error)) throw error;
    throw new IngestError(
      'not_found',
      `Cannot read ${filePath}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  if (size > limits.maxFileBytes) throw tooLarge(size, limits.maxFileBytes);
  if (size === 0) throw new IngestError('empty_file', 'The file is empty.');
  const handle = await open(filePath, 'r');
  try {
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

/** Downloads a URL, streaming so that an oversize body is cut off instead of buffered. */
export async function readUrlSource(
  url: string,
  limits: ReadLimits,
  fetchImpl: typeof fetch = fetch,
): Promise<SourceBytes> {
  const signal = AbortSignal.timeout(limits.fetchTimeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      signal,
      redirect: 'follow',
      headers: { 'user-agent': 'groundwork-ingest/0.1' },
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError' || signal.aborted;
    throw new IngestError(
      timedOut ? 'timeout' : 'fetch_failed',
      timedOut
        ? `No response from ${url} within ${limits.fetchTimeoutMs} ms.`
        : `Could not fetch ${url}: ${(error as Error).cause ?? (error as Error).message}`,
      { retryable: true },
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new IngestError('fetch_failed', `${url} answered HTTP ${response.status} ${response.statusText}.`, {
      retryable: response.status >= 500 || response.status === 429,
    });
  }
  const declaredLength = Number(response.headers.get('content-length') ?? 'NaN');
  if (declaredLength > limits.maxFileBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(declaredLength, limits.maxFileBytes);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const part of response.body ?? []) {
      total += part.byteLength;
      if (total > limits.maxFileBytes) {
        await response.body?.cancel().catch(() => {});
        throw tooLarge(total, limits.maxFileBytes);
      }
      parts.push(part);
    }
  } catch (error) {
    if (IngestError.isInstance(error)) throw error;
    throw new IngestError(
      signal.aborted ? 'timeout' : 'fetch_failed',
      signal.aborted
        ? `${url} did not finish sending within ${limits.fetchTimeoutMs} ms.`
        : `Download of ${url} broke off: ${(error as Error).message}`,
      { retryable: true },
    );
  }
  if (total === 0) throw new IngestError('empty_file', `${url} returned an empty body.`);
  const bytes = Buffer.concat(parts, total);
  const fileName = path.basename(new URL(url).pathname) || 'index.html';
  return { bytes, fileName, declaredType: response.headers.get('content-type') ?? undefined };
}

function tooLarge(size: number, limit: number): IngestError {
  return new IngestError(
    'too_large',
    `The file is ${formatBytes(size)}, over the ${formatBytes(limit)} limit (limits.maxFileBytes). Split it or raise the limit.`,
  );
}
