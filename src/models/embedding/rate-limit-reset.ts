/**
 * @module models/embedding/rate-limit-reset
 * OpenAI's `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens` headers say when a rate-limit
 * window refills, as a Go-style duration (`1s`, `6m0s`, `120ms`, `1h2m3.5s`). A 429 without
 * `retry-after` is retried after the later of the two, which is when the request can succeed.
 */

const UNITS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};

/** Milliseconds from a duration such as `6m0s`, or undefined when it is not one. */
export function parseDuration(value: string): number | undefined {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return parts.reduce((sum, part) => sum + Number(part[1]) * (UNITS[part[2] as string] ?? 0), 0);
}

/** The wait the reset headers ask for, from lower-cased headers, or undefined when none are usable. */
export function parseRateLimitReset(
  headers: Readonly<Record<string, string>> | undefined,
): number | undefined {
  if (!headers) return undefined;
  const waits = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens', 'x-ratelimit-reset']
    .map((name) => headers[name])
    .filter((value): value is string => value !== undefined)
    .map(parseDuration)
    .filter((wait): wait is number => wait !== undefined && Number.isFinite(wait) && wait >= 0);
  return waits.length === 0 ? undefined : Math.ceil(Math.max(...waits));
}
