/**
 * @module answer/topic-terms
 * The analysed terms of a question that say what it is about: the analyzer's stop words and common
 * question words ("how", "does", "my") are dropped, since every sentence would "match" them.
 */
import type { LexicalAnalyzer } from '../spec/lexical.ts';

const QUESTION_WORDS = new Set(
  (
    'what which who whom whose when where why how do does did done can could should would may might must ' +
    'i me my mine we us our you your it its please tell explain about is are was were be been have has had'
  ).split(' '),
);

/** The words of `text` in order, as written. */
export function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

/** True when `word` carries no topic (a question word such as "how" or "does"). */
export function isQuestionWord(word: string): boolean {
  return QUESTION_WORDS.has(word.toLowerCase());
}

/** The distinct analysed terms of `text`, without question words. */
export function topicTerms(text: string, analyzer: LexicalAnalyzer): string[] {
  const terms = new Set<string>();
  for (const word of wordsOf(text)) {
    if (isQuestionWord(word)) continue;
    for (const term of analyzer.terms(word)) terms.add(term);
  }
  return [...terms];
}

/**
 * The distinct analysed terms of `text` as the index sees them (the whole text analysed at once, so
 * "P.O." or "2.4" stay one term, as in stored sentences), without question words.
 */
export function questionTerms(text: string, analyzer: LexicalAnalyzer): string[] {
  const dropped = new Set<string>();
  for (const word of wordsOf(text))
    if (isQuestionWord(word)) for (const term of analyzer.terms(word)) dropped.add(term);
  return [...new Set(analyzer.terms(text))].filter((term) => !dropped.has(term));
}
