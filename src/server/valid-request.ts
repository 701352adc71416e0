/**
 * @module server/valid-request
 * Refuses, before any route runs, a request whose path or query string decodes to text the product
 * cannot store: a NUL character (`%00`) or an unpaired surrogate (see text/valid-text.ts). Path
 * parameters (prompt names, job, trace and conversation ids…) and query values are decoded from
 * these, so every route, the support app's included, is covered without doing anything. JSON bodies
 * are checked where they are read (`readJson`); headers cannot carry either (HTTP forbids NUL in a
 * header, and header values are Latin-1, which has no surrogates).
 */
import type { MiddlewareHandler } from 'hono';
import { invalidTextError, invalidTextReason } from '../text/valid-text.ts';

/** A run of percent-escapes, decoded as a whole the way Hono decodes parameters. */
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * `raw` with each run of escapes decoded, or undefined when a run is not UTF-8 (an encoded surrogate
 * such as `%ED%A0%80`, a stray `%FF`): the router would pass such a run on undecoded, as text that
 * was never meant.
 */
function decodeRuns(raw: string): string | undefined {
  let malformed = false;
  const decoded = raw.replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      malformed = true;
      return run;
    }
  });
  return malformed ? undefined : decoded;
}

/** The refusal for the raw path or query text, if it decodes to invalid text. */
function check(raw: string, where: string) {
  // `%00` anywhere is refused even inside a run that does not decode as a whole.
  if (/%00/.test(raw)) return invalidTextError(where, 'nul');
  const decoded = decodeRuns(raw);
  if (decoded === undefined) return invalidTextError(where, 'malformed-escape');
  const reason = invalidTextReason(decoded);
  return reason ? invalidTextError(where, reason) : undefined;
}

/** The middleware: a 400 `invalid_text` for a path or query string that decodes to invalid text. */
export function validRequestText(): MiddlewareHandler {
  return async (context, next) => {
    const url = context.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const queryAt = url.indexOf('?', start);
    const path = queryAt === -1 ? url.slice(start) : url.slice(start, queryAt);
    const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const error = check(path, 'path') ?? (query ? check(query, 'query') : undefined);
    if (error) throw error;
    return next();
  };
}
