/**
 * @module ingest/sources/read-url
 * Downloads a URL under the size and time limits. Redirects are followed here, one hop at a time (at
 * most `MAX_REDIRECTS`), and every hop is checked by the URL policy and connected to the addresses
 * that check approved. What a caller sees when it fails is generic (`url_not_allowed`,
 * `fetch_failed`, `timeout`); the cause (addresses, ports, connection errors) goes to the trace only,
 * so job reports cannot be used to map an internal network.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { trace } from '@opentelemetry/api';
import { IngestError } from '../../errors.ts';
import { type HttpReply, type HttpTransport, nodeHttpTransport } from './http-transport.ts';
import { type ReadLimits, type SourceBytes, tooLarge } from './read-source.ts';
import { EMPTY_ALLOW_LIST, type UrlAllowList } from './url-allow-list.ts';
import {
  checkUrlShape,
  type HostResolver,
  resolveTarget,
  systemResolver,
  UrlNotAllowedError,
} from './url-policy.ts';

/** Redirect hops followed before giving up. */
export const MAX_REDIRECTS = 5;

/** How URLs are fetched: the allow-list, and the resolver and transport (injectable for tests). */
export interface UrlFetching {
  readonly allowList: UrlAllowList;
  readonly resolveHost: HostResolver;
  readonly transport: HttpTransport;
}

/** Public addresses only, resolved by the system, connected by node:http. */
export const DEFAULT_URL_FETCHING: UrlFetching = {
  allowList: EMPTY_ALLOW_LIST,
  resolveHost: systemResolver,
  transport: nodeHttpTransport,
};

const HEADERS = { 'user-agent': 'groundwork-ingest/0.1', 'accept-encoding': 'gzip, deflate, br' };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Downloads `url`, streaming so that an oversize body is cut off instead of buffered. */
export async function readUrlSource(
  url: string,
  limits: ReadLimits,
  fetching: UrlFetching = DEFAULT_URL_FETCHING,
): Promise<SourceBytes> {
  const signal = AbortSignal.timeout(limits.fetchTimeoutMs);
  try {
    let current = checkUrlShape(url, fetching.allowList);
    for (let hop = 0; ; hop++) {
      const addresses = await untilAborted(
        resolveTarget(current, fetching.allowList, fetching.resolveHost),
        signal,
      );
      const reply = await fetching.transport({ url: current, addresses, headers: HEADERS, signal });
      if (REDIRECTS.has(reply.status)) {
        reply.discard();
        const location = reply.header('location');
        if (!location) throw fetchFailed(`HTTP ${reply.status} without a location`);
        if (hop >= MAX_REDIRECTS)
          throw fetchFailed(`more than ${MAX_REDIRECTS} redirects`, ' (too many redirects)');
        current = checkUrlShape(new URL(location, current).href, fetching.allowList);
        continue;
      }
      if (reply.status < 200 || reply.status > 299) {
        reply.discard();
        throw new IngestError('fetch_failed', `The URL could not be fetched (HTTP ${reply.status}).`, {
          retryable: reply.status >= 500 || reply.status === 429,
        });
      }
      return await readBody(reply, current, limits, signal);
    }
  } catch (error) {
    throw toCallerError(error, signal);
  }
}

async function readBody(
  reply: HttpReply,
  url: URL,
  limits: ReadLimits,
  signal: AbortSignal,
): Promise<SourceBytes> {
  const declaredLength = Number(reply.header('content-length') ?? 'NaN');
  if (declaredLength > limits.maxFileBytes) {
    reply.discard();
    throw tooLarge(declaredLength, limits.maxFileBytes);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    // The limit counts decoded bytes, so a small compressed body cannot expand past it.
    for await (const part of decoded(reply)) {
      if (signal.aborted) throw signal.reason;
      total += part.byteLength;
      if (total > limits.maxFileBytes) throw tooLarge(total, limits.maxFileBytes);
      parts.push(part);
    }
  } catch (error) {
    // A body left half-read would keep its connection open.
    reply.discard();
    throw error;
  }
  if (total === 0) throw new IngestError('empty_file', 'The URL returned an empty body.');
  const fileName = path.basename(url.pathname) || 'index.html';
  return { bytes: Buffer.concat(parts, total), fileName, declaredType: reply.header('content-type') };
}

function decoded(reply: HttpReply): AsyncIterable<Uint8Array> {
  const encoding = (reply.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return reply.body;
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) throw fetchFailed(`content-encoding ${encoding}`, ' (unsupported content encoding)');
  const source = Readable.from(reply.body);
  source.on('error', (error) => decoder.destroy(error));
  return source.pipe(decoder);
}

/** A DNS lookup cannot be aborted; the job stops waiting for it when the time is up. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

function fetchFailed(detail: string, suffix = ''): IngestError {
  return new FetchFailure(`The URL could not be fetched${suffix}.`, detail);
}

class FetchFailure extends IngestError {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    // What the site answered (a redirect without a location, a loop, an unknown encoding): trying
    // again gets the same answer, so the job's retries (ADR 0034) do not repeat it.
    super('fetch_failed', message, { retryable: false });
  }
}

/** The error a caller sees; whatever it hides is recorded on the active span. */
function toCallerError(error: unknown, signal: AbortSignal): IngestError {
  const detail =
    error instanceof UrlNotAllowedError || error instanceof FetchFailure
      ? error.detail
      : error instanceof Error
        ? `${error.name}: ${error.message}${error.cause ? ` (${String((error.cause as Error).message ?? error.cause)})` : ''}`
        : String(error);
  trace.getActiveSpan()?.addEvent('groundwork.ingest.fetch_detail', { 'groundwork.ingest.detail': detail });
  if (error instanceof UrlNotAllowedError || error instanceof FetchFailure) return error;
  if (signal.aborted) {
    return new IngestError('timeout', 'The URL did not answer in time (limits.fetchTimeoutMs).', {
      retryable: true,
    });
  }
  if (error instanceof IngestError) return error;
  return new IngestError('fetch_failed', 'The URL could not be fetched.', { retryable: true });
}
