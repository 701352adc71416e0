/**
 * @module answer/topic-terms
 * The analysed terms of a question that say what it is about: the analyzer's stop words and common
 * question words ("how", "does", "my") and indefinite pronouns ("something") are dropped, since
 * every sentence would "match" them, or, for a pronoun that no passage uses, none would.
 */
import type { LexicalAnalyzer } from '../spec/lexical.ts';

const QUESTION_WORDS = new Set(
  (
    'what which who whom whose when where why how do does did done can could should would may might must ' +
    'i me my mine we us our you your it its please tell explain about is are was were be been have has had ' +
    'something anything everything someone anyone'
  ).split(' '),
);

/**
 * Words that, right after "how", ask for a measure ("how long", "how much", "how many", "how often"):
 * they are the question's form, not its topic, and a passage answers them with a number or a date
 * ("within 30 days"), not by repeating them.
 */
const HOW_MEASURES = new Set('long much many often far soon old big large late early fast'.split(' '));

/** The words of `text` that carry no topic: question words, and the measure word of "how long". */
function formWords(text: string): string[] {
  const words = wordsOf(text);
  return words.filter(
    (word, index) =>
      isQuestionWord(word) ||
      (index > 0 && words[index - 1]!.toLowerCase() === 'how' && HOW_MEASURES.has(word.toLowerCase())),
  );
}

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
  const form = new Set(formWords(text));
  const terms = new Set<string>();
  for (const word of wordsOf(text)) {
    if (form.has(word)) continue;
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
  for (const word of formWords(text)) for (const term of analyzer.terms(word)) dropped.add(term);
  return [...new Set(analyzer.terms(text))].filter((term) => !dropped.has(term));
}
