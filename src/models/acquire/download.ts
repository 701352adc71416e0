/**
 * @module models/acquire/download
 * One file over HTTP(S) into a `.part` file, built for multi-hundred-megabyte models on poor links:
 * resumes with `Range` from whatever a previous attempt left (and starts over cleanly when the server
 * ignores the range), hashes while writing, fails a silent connection after `timeoutMs` instead of
 * hanging, and retries network errors and 5xx a few times with backoff.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from '../../os/abortable.ts';
import { SourceFailure } from './errors.ts';
import { describeNetworkError, IdleTimeout } from './network-errors.ts';

/** Download settings; every field but the URL and path has a default. */
export interface DownloadOptions {
  readonly url: string;
  /** Where the bytes go; a file already there is resumed. */
  readonly partPath: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Size the file must have; a shorter body is a truncation, retried with `Range`. */
  readonly expectedBytes?: number;
  /** Longest silence allowed, before the response headers and between body chunks. Default 30 s. */
  readonly timeoutMs?: number;
  /** Further attempts after a retryable failure. Default 3. */
  readonly retries?: number;
  /** First backoff wait, doubled per attempt. Default 1 s. */
  readonly backoffMs?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** What landed on disk. */
export interface DownloadResult {
  readonly sha256: string;
  readonly bytes: number;
  /** Bytes reused from an earlier attempt on the first successful request, 0 when none. */
  readonly resumedFrom: number;
  readonly attempts: number;
}

/** Downloads `url` into `partPath`, resuming and retrying; throws a `SourceFailure`. */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 1000;
  await mkdir(path.dirname(options.partPath), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await attemptDownload(options);
      return { ...result, attempts: attempt + 1 };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const failure = toFailure(error, options.url);
      if (!failure.retryable || attempt >= retries) throw failure;
      await sleep(backoffMs * 2 ** attempt, { signal: options.signal });
    }
  }
}

function toFailure(error: unknown, url: string): SourceFailure {
  if (error instanceof SourceFailure) return error;
  const described = describeNetworkError(error, url);
  return new SourceFailure({
    code: described.code,
    url,
    reason: described.reason,
    retryable: described.retryable,
    cause: error,
  });
}

async function attemptDownload(options: DownloadOptions): Promise<Omit<DownloadResult, 'attempts'>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const have = await sizeOf(options.partPath);
  if (options.expectedBytes !== undefined && have > options.expectedBytes)
    await rm(options.partPath, { force: true });
  const offset = options.expectedBytes !== undefined && have > options.expectedBytes ? 0 : have;
  if (offset > 0 && offset === options.expectedBytes) {
    // A previous run finished the transfer but stopped before using it; the caller verifies the hash.
    const hash = await hashFile(options.partPath);
    options.onProgress?.(offset, offset);
    return { sha256: hash.digest('hex'), bytes: offset, resumedFrom: offset };
  }

  const controller = new AbortController();
  const forwardAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new IdleTimeout(timeoutMs)), timeoutMs);
  };
  try {
    arm();
    const headers: Record<string, string> = { ...options.headers };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const response = await fetch(options.url, {
      headers,
      signal: controller.signal,
      redirect: 'follow',
    }).catch((error: unknown) => {
      throw controller.signal.reason instanceof IdleTimeout ? controller.signal.reason : error;
    });
    if (response.status === 416 && offset > 0) {
      // The partial file is not a prefix the server recognises; start over on the next attempt.
      await response.body?.cancel();
      await rm(options.partPath, { force: true });
      throw new SourceFailure({
        code: 'download_failed',
        url: options.url,
        reason: 'server refused to resume (HTTP 416); restarting',
        retryable: true,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      const status = response.status;
      throw new SourceFailure({
        code: status === 404 ? 'not_found' : 'download_failed',
        url: options.url,
        reason: `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`,
        retryable: status >= 500 || status === 408 || status === 429,
        details: { status },
      });
    }
    if (response.status === 206 && rangeStart(response) !== offset) {
      // Bytes from somewhere else in the file: appending them would corrupt it, so start over.
      await response.body?.cancel();
      await rm(options.partPath, { force: true });
      throw new SourceFailure({
        code: 'download_failed',
        url: options.url,
        reason: `server answered bytes ${response.headers.get('content-range') ?? '?'} to a request from ${offset}; restarting`,
        retryable: true,
      });
    }
    const resumed = response.status === 206 && offset > 0;
    const start = resumed ? offset : 0;
    const hash = createHash('sha256');
    if (resumed) await hashFile(options.partPath, hash);
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    const total = options.expectedBytes ?? (Number.isFinite(length) ? start + length : 0);
    const file = await open(options.partPath, resumed ? 'a' : 'w');
    let done = start;
    try {
      if (response.body) {
        for await (const chunk of response.body) {
          arm();
          hash.update(chunk);
          await file.write(chunk);
          done += chunk.byteLength;
          options.onProgress?.(done, total);
        }
      }
    } catch (error) {
      throw controller.signal.reason instanceof IdleTimeout ? controller.signal.reason : error;
    } finally {
      await file.close();
    }
    const expected = options.expectedBytes ?? (Number.isFinite(length) ? start + length : undefined);
    if (expected !== undefined && done < expected) {
      throw new SourceFailure({
        code: 'download_failed',
        url: options.url,
        reason: `body truncated: got ${done} of ${expected} bytes`,
        retryable: true,
      });
    }
    return { sha256: hash.digest('hex'), bytes: done, resumedFrom: start };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forwardAbort);
  }
}

/** Start offset of a 206 response's `Content-Range: bytes a-b/n`, or undefined. */
function rangeStart(response: Response): number | undefined {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : undefined;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** Feeds a file's bytes into `hash`. */
export async function hashFile(file: string, hash: Hash = createHash('sha256')): Promise<Hash> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash;
}
