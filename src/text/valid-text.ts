/**
 * @module text/valid-text
 * Text the product accepts: any Unicode string except one holding a NUL character (U+0000) or an
 * unpaired UTF-16 surrogate. Postgres refuses both (`text` cannot hold NUL, `jsonb` refuses a lone
 * `\ud800`), so such a string reaching a query used to answer 500, or to answer and then fail to log.
 * Every request edge checks here first (server/validate.ts, server/valid-request.ts, the CLI), so new
 * schemas and routes are covered without doing anything (ADR 0029).
 */
import { InvalidRequestError } from '../errors.ts';

/** Why a string is refused; `malformed-escape`: percent-escapes that are not UTF-8 (URLs only). */
export type InvalidTextReason = 'nul' | 'lone-surrogate' | 'malformed-escape';

// Without the `u` flag a regular expression sees UTF-16 code units, so unpaired surrogates show.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is refused.
const INVALID = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` is refused, or undefined when it is fine. */
export function invalidTextReason(text: string): InvalidTextReason | undefined {
  const match = INVALID.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000' ? 'nul' : 'lone-surrogate';
}

/** Whether `text` may be stored and logged as it is. */
export function isValidText(text: string): boolean {
  return !INVALID.test(text);
}

/** Where in a value an invalid string was found: a dotted path (`sources.0.path`), `(key)` for a key. */
export interface InvalidTextFinding {
  readonly path: string;
  readonly reason: InvalidTextReason;
}

/** A path from the root, kept as links to the parent so deep values cost no copying. */
interface PathLink {
  readonly parent: PathLink | undefined;
  readonly key: string;
}

function joinPath(link: PathLink | undefined): string {
  const keys: string[] = [];
  for (let at = link; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

/**
 * The first string in `value` (an object's keys included) that is not valid text, walking plain
 * JSON-like values depth first, however deep (iteratively: a 100,000-deep array does not overflow
 * the stack); undefined when there is none.
 */
export function findInvalidText(value: unknown): InvalidTextFinding | undefined {
  const pending: [unknown, PathLink | undefined][] = [[value, undefined]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      const reason = invalidTextReason(item);
      if (reason) return { path: joinPath(path), reason };
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index--)
        pending.push([item[index], { parent: path, key: String(index) }]);
      continue;
    }
    const entries = Object.entries(item);
    for (const [key] of entries) {
      const keyReason = invalidTextReason(key);
      if (keyReason) return { path: joinPath({ parent: path, key: '(key)' }), reason: keyReason };
    }
    // Pushed in reverse, so the first entry is looked at first.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, element] = entries[index]!;
      pending.push([element, { parent: path, key }]);
    }
  }
  return undefined;
}

/** The 400 for invalid text at `where` (`body.question`, `query.category`, `path`, `--question`). */
export function invalidTextError(where: string, reason: InvalidTextReason): InvalidRequestError {
  const what =
    reason === 'nul'
      ? 'a NUL character (U+0000)'
      : reason === 'lone-surrogate'
        ? 'an unpaired UTF-16 surrogate'
        : 'percent-escapes that are not UTF-8';
  return new InvalidRequestError(
    'invalid_text',
    `${where}: the text holds ${what}, which cannot be stored.`,
    {
      field: where,
      reason,
    },
  );
}

/** Throws `invalid_text` when `value` holds an invalid string; `where` names it in the message. */
export function assertValidText(value: unknown, where: string): void {
  const found = findInvalidText(value);
  if (found) throw invalidTextError(found.path ? `${where}.${found.path}` : where, found.reason);
}

/** `text` with each NUL and unpaired surrogate replaced by U+FFFD (for logs of what was refused). */
export function toValidText(text: string): string {
  return INVALID.test(text) ? text.replace(new RegExp(INVALID.source, 'g'), '\uFFFD') : text;
}
