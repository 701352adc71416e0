/**
 * @module answer/extractive
 * The answer without a language model: the sentences of the retrieved passages that best match the
 * question, quoted with their citations. Sentences are scored with BM25 over the candidate sentences
 * (so rare question terms weigh more than common ones), weighted towards higher-ranked passages.
 */
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import { splitSentences } from '../text/sentences.ts';
import type { Passage } from './context-assembly.ts';
import { topicTerms } from './topic-terms.ts';

/** How many sentences an extractive answer quotes. */
export interface ExtractiveOptions {
  readonly minSentences?: number;
  readonly maxSentences?: number;
}

interface Candidate {
  readonly passage: number;
  readonly position: number;
  readonly text: string;
  readonly terms: Map<string, number>;
  readonly length: number;
  score: number;
}

const K1 = 1.2;
const B = 0.75;
/** Each step down the ranking costs a passage's sentences this share of their score. */
const RANK_DECAY = 0.15;
/** Beyond the minimum, a sentence must score at least this share of the best one. */
const RELATIVE_CUTOFF = 0.5;
/** Sentences with fewer words are headings or fragments, not answers. */
const MIN_WORDS = 4;
const MAX_CHARACTERS = 600;

/**
 * Picks 2–4 sentences that answer `question`, each followed by the number of its passage (`[n]`), in
 * passage order. Returns `undefined` when no sentence shares a topic term with the question.
 */
export function extractAnswer(
  question: string,
  passages: readonly Passage[],
  analyzer: LexicalAnalyzer,
  options: ExtractiveOptions = {},
): string | undefined {
  const minSentences = options.minSentences ?? 2;
  const maxSentences = options.maxSentences ?? 4;
  const query = topicTerms(question, analyzer);
  if (query.length === 0) return undefined;
  const candidates = candidatesOf(passages, analyzer);
  scoreCandidates(candidates, query);
  const ranked = candidates.filter((candidate) => candidate.score > 0).sort((a, b) => b.score - a.score);
  const best = ranked[0]?.score ?? 0;
  const chosen: Candidate[] = [];
  for (const candidate of ranked) {
    if (chosen.length >= maxSentences) break;
    if (chosen.length >= minSentences && candidate.score < best * RELATIVE_CUTOFF) break;
    if (chosen.some((other) => isDuplicate(other, candidate))) continue;
    chosen.push(candidate);
  }
  if (chosen.length === 0) return undefined;
  chosen.sort((a, b) => a.passage - b.passage || a.position - b.position);
  return chosen.map((candidate) => cite(candidate.text, candidate.passage)).join(' ');
}

function candidatesOf(passages: readonly Passage[], analyzer: LexicalAnalyzer): Candidate[] {
  const candidates: Candidate[] = [];
  for (const passage of passages) {
    let position = 0;
    for (const segment of segmentsOf(passage.text)) {
      for (const sentence of splitSentences(segment)) {
        // Bracketed numbers in the source (its own references) would read as our citations.
        const text = sentence.replace(/\s*\[\d+(?:\s*,\s*\d+)*\]/g, '').trim();
        position++;
        // A question is never an answer (FAQ entries and their headings are questions).
        if (text.length > MAX_CHARACTERS || isFragment(text) || /\?["'”’)]*$/.test(text)) continue;
        const { frequencies, length } = analyzer.termFrequencies(text);
        candidates.push({ passage: passage.n, position, text, terms: frequencies, length, score: 0 });
      }
    }
  }
  return candidates;
}

function scoreCandidates(candidates: Candidate[], query: readonly string[]): void {
  const count = candidates.length;
  if (count === 0) return;
  const averageLength = candidates.reduce((sum, candidate) => sum + candidate.length, 0) / count || 1;
  for (const term of query) {
    const frequency = candidates.filter((candidate) => candidate.terms.has(term)).length;
    if (frequency === 0) continue;
    const idf = Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
    for (const candidate of candidates) {
      const tf = candidate.terms.get(term) ?? 0;
      if (tf === 0) continue;
      const norm = K1 * (1 - B + (B * candidate.length) / averageLength);
      candidate.score += (idf * (tf * (K1 + 1))) / (tf + norm);
    }
  }
  for (const candidate of candidates) candidate.score /= 1 + RANK_DECAY * (candidate.passage - 1);
}

/**
 * Paragraphs, list items and table rows of a chunk, with soft line breaks joined: a heading or list
 * item ends without punctuation and must not merge with what follows, but a wrapped line must.
 */
function segmentsOf(text: string): string[] {
  const segments: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n');
    if (lines.length > 1 && lines.every((line) => line.includes(' | '))) {
      segments.push(...lines);
      continue;
    }
    for (const item of block.split(/\n(?=\s*(?:[-*•+]|\d{1,3}[.)])\s)/)) {
      segments.push(item.replace(/^\s*(?:[-*•+]|\d{1,3}[.)])\s+/, '').replace(/\s*\n\s*/g, ' '));
    }
  }
  return segments;
}

/** Headings and short fragments: too few words, or a short line without closing punctuation. */
function isFragment(text: string): boolean {
  const words = text.split(/\s+/).length;
  if (words < MIN_WORDS) return true;
  return words < 8 && !/[.!?…:;)"”’]$/.test(text) && !text.includes(' | ');
}

/** The same sentence from overlapping chunks, or one that says nearly the same words. */
function isDuplicate(a: Candidate, b: Candidate): boolean {
  if (a.text.toLowerCase() === b.text.toLowerCase()) return true;
  let shared = 0;
  for (const term of a.terms.keys()) if (b.terms.has(term)) shared++;
  const union = a.terms.size + b.terms.size - shared;
  return union > 0 && shared / union >= 0.8;
}

/** Puts the marker before the sentence's final punctuation: "… within 30 days [1]." */
function cite(sentence: string, n: number): string {
  const match = /([.!?…]+["'”’)\]]*)$/.exec(sentence);
  if (!match) return `${sentence} [${n}].`;
  return `${sentence.slice(0, match.index)} [${n}]${match[1]}`;
}
