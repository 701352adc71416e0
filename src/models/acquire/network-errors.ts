/**
 * @module models/acquire/network-errors
 * Turns what `fetch` throws into a reason a user can act on. Node's fetch reports every network
 * failure as `TypeError: fetch failed` with the real cause (`ENOTFOUND`, `ECONNREFUSED`, a dropped
 * socket) one level down; the message names that cause and whether trying again can help.
 */

/** Raised through an AbortController when a connection stays silent too long. */
export class IdleTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no data for ${timeoutMs / 1000} s`);
    this.name = 'IdleTimeout';
  }
}

/** A network failure described for people, with a retry hint. */
export interface NetworkFailure {
  readonly reason: string;
  readonly retryable: boolean;
  readonly code: string;
}

const DESCRIPTIONS: Record<string, { text: string; retryable: boolean }> = {
  ENOTFOUND: { text: 'DNS lookup failed for', retryable: false },
  EAI_AGAIN: { text: 'DNS lookup timed out for', retryable: true },
  ECONNREFUSED: { text: 'connection refused by', retryable: false },
  ECONNRESET: { text: 'connection reset by', retryable: true },
  EHOSTUNREACH: { text: 'host unreachable:', retryable: false },
  ENETUNREACH: { text: 'network unreachable for', retryable: false },
  ETIMEDOUT: { text: 'connection timed out to', retryable: true },
  UND_ERR_CONNECT_TIMEOUT: { text: 'connection timed out to', retryable: true },
  UND_ERR_SOCKET: { text: 'connection dropped by', retryable: true },
  UND_ERR_HEADERS_TIMEOUT: { text: 'no response headers from', retryable: true },
  UND_ERR_BODY_TIMEOUT: { text: 'body stalled from', retryable: true },
  CERT_HAS_EXPIRED: { text: 'TLS certificate expired for', retryable: false },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { text: 'TLS certificate not trusted for', retryable: false },
  SELF_SIGNED_CERT_IN_CHAIN: { text: 'TLS certificate not trusted for', retryable: false },
};

/** Describes a thrown fetch or body-read error for `url`. */
export function describeNetworkError(error: unknown, url: string): NetworkFailure {
  if (error instanceof IdleTimeout) {
    return { reason: `${error.message} (timed out)`, retryable: true, code: 'download_timeout' };
  }
  const host = safeHost(url);
  const code = findCode(error);
  if (code) {
    const known = DESCRIPTIONS[code];
    if (known)
      return {
        reason: `${known.text} ${host} (${code})`,
        retryable: known.retryable,
        code: 'download_failed',
      };
    return { reason: `network error talking to ${host} (${code})`, retryable: true, code: 'download_failed' };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  const message =
    error instanceof Error
      ? error.message === 'fetch failed' && cause
        ? cause
        : error.message
      : String(error);
  if (message === 'terminated') {
    return { reason: `connection to ${host} dropped mid-transfer`, retryable: true, code: 'download_failed' };
  }
  return { reason: `network error talking to ${host}: ${message}`, retryable: true, code: 'download_failed' };
}

function findCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR' && code !== 'ERR_INVALID_STATE') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
