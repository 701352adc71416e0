/**
 * @module answer/abstention
 * Recognises an answer that says the knowledge base does not answer the question: the product's own
 * not-found answer, and the usual ways a model words it. The answerer keeps such a model answer (it
 * is grounded: it claims nothing), and `eval answers` counts it as an abstention.
 */

const ABSTENTIONS = [
  /\bcould not find (?:this|that|it|anything|an answer|the answer|information)\b/i,
  /\b(?:knowledge base|passages?|context|documents?|sources?) (?:does|do) not (?:say|contain|mention|answer|cover|provide|include|state|specify)\b/i,
  /\bnot (?:mentioned|covered|stated|answered|found|specified) in the (?:knowledge base|passages?|context|documents?|sources?)\b/i,
  /\b(?:i|we) (?:do not|don't|cannot|can't) (?:know|answer|tell|find)\b/i,
  /\bno (?:information|passage|answer) (?:about|on|to|for|in)\b/i,
  /\bthere is no (?:information|mention)\b/i,
];

/** True when `text` (citation markers allowed) abstains rather than answers; empty text abstains. */
export function isAbstention(text: string): boolean {
  const plain = text.replace(/\s*\[\d{1,4}(?:\s*,\s*\d{1,4})*\]/g, '').trim();
  if (plain === '') return true;
  return ABSTENTIONS.some((pattern) => pattern.test(plain));
}
