/**
 * @module guardrails/grounding
 * Is each sentence of an answer supported by the passage it cites? Support is lexical: the share of
 * the sentence's content terms (after the retrieval analyzer: stemmed, stop words and question words
 * dropped) that occur in the cited passages. Uncited sentences that make a claim (four or more content
 * terms) are checked against all passages, so a model cannot dodge the check by not citing; sentences
 * that say the knowledge base does not cover something are left alone.
 */
import { topicTerms } from '../answer/topic-terms.ts';
import type { GuardrailPassage } from '../spec/guardrails.ts';
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import { splitSentences } from '../text/sentences.ts';

/** Share of a sentence's content terms that must occur in its cited passages (calibrated in bench/grounding-effect.ts). */
export const DEFAULT_GROUNDING_THRESHOLD = 0.5;
/** Uncited sentences with fewer content terms are connective text, not claims. */
const UNCITED_CLAIM_TERMS = 4;
const MIN_TERMS = 2;
const MARKER = /\s*\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g;
const ABSTAINS =
  /\b(?:does not|doesn't|do not|don't|cannot|can't|could not|couldn't|no information|not (?:say|mention|cover|state|include))\b/i;

/** One sentence and how well it is supported. */
export interface SentenceSupport {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly cited: readonly number[];
  /** Share of content terms found in the cited (or, uncited, any) passages; 1 when nothing to check. */
  readonly support: number;
  readonly supported: boolean;
  /** Whether the sentence was checked at all (has citations, or makes an uncited claim). */
  readonly checked: boolean;
}

/** Splits `text` into sentences and scores each against the passages. */
export function checkGrounding(
  text: string,
  passages: readonly GuardrailPassage[],
  analyzer: LexicalAnalyzer,
  threshold = DEFAULT_GROUNDING_THRESHOLD,
): SentenceSupport[] {
  const termsOf = new Map<number, Set<string>>();
  for (const passage of passages) termsOf.set(passage.n, new Set(analyzer.terms(passage.text)));
  const everything = new Set<string>();
  for (const terms of termsOf.values()) for (const term of terms) everything.add(term);
  const results: SentenceSupport[] = [];
  let cursor = 0;
  for (const sentence of splitSentences(text)) {
    const start = text.indexOf(sentence, cursor);
    const end = start + sentence.length;
    cursor = end;
    const cited = [...sentence.matchAll(MARKER)].flatMap((match) =>
      (match[1] ?? '').split(',').map((n) => Number(n.trim())),
    );
    const terms = topicTerms(sentence.replace(MARKER, ' '), analyzer);
    const checked = cited.length > 0 || (terms.length >= UNCITED_CLAIM_TERMS && !ABSTAINS.test(sentence));
    let support = 1;
    // One content word ("Yes [1].") is too little to judge lexically.
    if (checked && terms.length >= MIN_TERMS) {
      const pool = cited.length > 0 ? union(cited.map((n) => termsOf.get(n))) : everything;
      support = terms.filter((term) => pool.has(term)).length / terms.length;
    }
    results.push({ start, end, text: sentence, cited, support, supported: support >= threshold, checked });
  }
  return results;
}

/** `text` without the given sentences, keeping the rest of its layout. */
export function removeSentences(text: string, sentences: readonly SentenceSupport[]): string {
  let out = text;
  for (const sentence of [...sentences].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, sentence.start) + out.slice(sentence.end);
  }
  return out
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function union(sets: readonly (Set<string> | undefined)[]): Set<string> {
  const all = new Set<string>();
  for (const set of sets) if (set) for (const term of set) all.add(term);
  return all;
}
