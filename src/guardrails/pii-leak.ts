/**
 * @module guardrails/pii-leak
 * Personal data in an answer is allowed only when the caller could already see it: it is in their
 * own message, or in a passage they may read (retrieval filters passages by the caller's ACL before
 * the model sees them). Anything else the model wrote (remembered, invented, or smuggled in from
 * another tenant) is redacted.
 */
import { detectPii, type PiiEntity } from './pii.ts';

/** Personal data in `answer` found in none of `known`, and the answer with it redacted. */
export function redactLeakedPii(
  answer: string,
  known: readonly string[],
): { text: string; leaked: PiiEntity[] } {
  const found = detectPii(answer);
  if (found.length === 0) return { text: answer, leaked: [] };
  const knownValues = new Set(
    known.flatMap((text) => detectPii(text).map((entity) => canonical(entity.text))),
  );
  const haystack = canonical(known.join('\n'));
  const leaked = found.filter((entity) => {
    const value = canonical(entity.text);
    return !knownValues.has(value) && !haystack.includes(value);
  });
  let text = answer;
  for (const entity of [...leaked].sort((a, b) => b.start - a.start)) {
    text = `${text.slice(0, entity.start)}[redacted ${entity.type}]${text.slice(entity.end)}`;
  }
  return { text, leaked };
}

/** Case and spacing do not make a value new: `+1 (555) 010-0199` is `+15550100199`. */
function canonical(value: string): string {
  return value.toLowerCase().replace(/[\s().-]/g, '');
}
