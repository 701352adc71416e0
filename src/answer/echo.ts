/**
 * @module answer/echo
 * Detects a model answer that repeats its prompt instead of answering: the instructions (a leaked
 * system prompt, which also carries example citations such as "[1] or [2][3]" that would pass for
 * real ones) or the passage markup. Small and base models do this often; such text is never an
 * answer, so the caller falls back to quoting the passages.
 */

/** Words in a row that count as a copy of the instructions. */
const SHINGLE_WORDS = 8;

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether `answer` copies a run of `SHINGLE_WORDS` words from `instructions`, or the passage markup. */
export function echoesPrompt(answer: string, instructions: string): boolean {
  if (/<\/?passage\b/i.test(answer)) return true;
  const source = words(instructions);
  const shingles = new Set<string>();
  for (let index = 0; index + SHINGLE_WORDS <= source.length; index++) {
    shingles.add(source.slice(index, index + SHINGLE_WORDS).join(' '));
  }
  const said = words(answer);
  for (let index = 0; index + SHINGLE_WORDS <= said.length; index++) {
    if (shingles.has(said.slice(index, index + SHINGLE_WORDS).join(' '))) return true;
  }
  return false;
}
