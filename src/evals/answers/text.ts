/**
 * @module evals/answers/text
 * Text helpers the answer scorers share: citation markers, SQuAD-style answer normalisation and
 * token F1 / exact match, and the recognition of an answer that abstains.
 */

const MARKER = /\s*\[\d{1,4}(?:\s*,\s*\d{1,4})*\]/g;

/** The answer without its citation markers. */
export function stripMarkers(text: string): string {
  return text.replace(MARKER, '').trim();
}

/** The citation numbers in `text`, in order of appearance, without repeats. */
export function markersOf(text: string): number[] {
  const numbers: number[] = [];
  for (const match of text.matchAll(/\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g)) {
    for (const part of match[1]!.split(',')) {
      const n = Number(part.trim());
      if (!numbers.includes(n)) numbers.push(n);
    }
  }
  return numbers;
}

/**
 * SQuAD's answer normalisation: lower case, punctuation removed, the articles a/an/the removed,
 * whitespace collapsed; returned as tokens.
 */
export function normalizedTokens(text: string): string[] {
  return stripMarkers(text)
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .split(/\s+/)
    .filter((token) => token !== '' && token !== 'a' && token !== 'an' && token !== 'the');
}

/** 1 when the normalised answer equals a normalised reference, else 0. */
export function exactMatch(answer: string, references: readonly string[]): number {
  const normalized = normalizedTokens(answer).join(' ');
  return references.some((reference) => normalizedTokens(reference).join(' ') === normalized) ? 1 : 0;
}

/** The best token F1 of the answer against any reference (SQuAD's definition), with its recall. */
export function tokenF1(
  answer: string,
  references: readonly string[],
): { readonly f1: number; readonly recall: number } {
  const predicted = normalizedTokens(answer);
  let best = { f1: 0, recall: 0 };
  for (const reference of references) {
    const gold = normalizedTokens(reference);
    if (gold.length === 0 || predicted.length === 0) continue;
    const counts = new Map<string, number>();
    for (const token of gold) counts.set(token, (counts.get(token) ?? 0) + 1);
    let common = 0;
    for (const token of predicted) {
      const left = counts.get(token) ?? 0;
      if (left > 0) {
        common++;
        counts.set(token, left - 1);
      }
    }
    if (common === 0) continue;
    const precision = common / predicted.length;
    const recall = common / gold.length;
    const f1 = (2 * precision * recall) / (precision + recall);
    if (f1 > best.f1 || (f1 === best.f1 && recall > best.recall)) best = { f1, recall };
  }
  return best;
}

/** True when the answer abstains rather than answers (answer/abstention.ts). */
export { isAbstention } from '../../answer/abstention.ts';
