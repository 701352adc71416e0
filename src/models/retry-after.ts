/**
 * @module models/retry-after
 * Reads how long a provider asks us to wait before retrying. OpenAI sends `retry-after-ms` and
 * `retry-after`; Anthropic sends `retry-after` (seconds); HTTP also allows a date in `retry-after`.
 */

/** Milliseconds to wait from lower-cased response headers, or undefined when none are usable. */
export function parseRetryAfter(
  headers: Readonly<Record<string, string>> | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds);
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Settings of the backoff between attempts on one model. */
export interface BackoffSettings {
  /** First wait without a retry-after header; doubles per retry. */
  readonly initialDelayMs: number;
  /** Longest wait; a retry-after above it makes us give up on the model instead of waiting. */
  readonly maxDelayMs: number;
  /** Random source in [0, 1) for the jitter; injectable for tests. */
  readonly random?: () => number;
}

/**
 * The wait before retry number `retry` (0-based), or undefined to stop retrying this model. A
 * provider's retry-after is honoured exactly; otherwise the exponential delay gets jitter (50–100%)
 * so clients that failed together do not retry together.
 */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  settings: BackoffSettings,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= settings.maxDelayMs ? retryAfterMs : undefined;
  const exponential = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** retry);
  const random = settings.random ?? Math.random;
  return Math.round(exponential * (0.5 + random() * 0.5));
}
