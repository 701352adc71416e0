/**
 * @module answer/extractive
 * The answer without a language model: the sentences of the retrieved passages that answer the
 * question, quoted with their citations, or nothing when none does.
 *
 * - Passages are read as structure: headings and FAQ questions are not quoted but give the sentences
 *   under them their context (a sentence under "How long does a refund take?" answers that question
 *   even if it never says "long"); list items and table rows are units of their own.
 * - A sentence scores BM25 over the candidate sentences for the question's topic terms, plus a share
 *   for terms only its heading has, times its coverage: the share of the question's weight (idf) it
 *   or its heading matches. A term no candidate has weighs most, so a question turning on a word the
 *   passages never use ("Bitcoin") is not answered by a sentence that merely shares the others.
 * - In a conversation, words carried over from earlier turns (condensation without a model) help
 *   only a little, and once the current question's own words match something, a sentence must
 *   match one of them: an earlier turn's topic is never quoted again on its own.
 * - The best sentence brings its neighbour in the same paragraph when that one also matches, and a
 *   list item brings its whole list, in order; further sentences need half the best score. Passages
 *   are ordered by their best sentence, sentences by their place in the passage.
 * - Below {@link MIN_COVERAGE} for the best sentence, the answer is `undefined` (abstain).
 */
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import { splitSentences } from '../text/sentences.ts';
import type { Passage } from './context-assembly.ts';
import { questionTerms } from './topic-terms.ts';

/** What shapes an extractive answer. */
export interface ExtractiveOptions {
  /** Units (sentences, or a whole list) quoted at most; default 3. */
  readonly maxSentences?: number;
  /** Kept for callers of the earlier API; one sentence that answers is enough. */
  readonly minSentences?: number;
  /** Words carried over from earlier turns (the condensed query beyond the question). */
  readonly carried?: string;
  /** Answers given earlier in the conversation: their sentences are not quoted again on old words. */
  readonly earlier?: readonly string[];
  /** Least coverage of the question the best sentence must reach (default {@link MIN_COVERAGE}). */
  readonly minCoverage?: number;
}

type Kind = 'sentence' | 'item' | 'row';

interface Candidate {
  readonly passage: number;
  readonly position: number;
  readonly kind: Kind;
  readonly text: string;
  /** The heading or FAQ question the sentence sits under. */
  readonly context: string;
  /** Paragraph or list the candidate belongs to (unique within the answer). */
  readonly group: number;
  readonly marker?: string;
  readonly terms: Map<string, number>;
  readonly contextTerms: Set<string>;
  readonly length: number;
  score: number;
  coverage: number;
  matchesQuestion: boolean;
}

const K1 = 1.2;
const B = 0.75;
/** Each step down the ranking costs a passage's sentences this share of their score. */
const RANK_DECAY = 0.15;
/** Beyond the best unit, a sentence must score at least this share of the best one. */
const RELATIVE_CUTOFF = 0.5;
/** A term matched only by a sentence's heading counts this much of a term in the sentence. */
const HEADING_WEIGHT = 0.6;
/** A word carried over from an earlier turn weighs this much of one the question says. */
const CARRIED_WEIGHT = 0.35;
/** The best sentence must cover at least this share of the question's weight. */
export const MIN_COVERAGE = 0.5;
/** Sentences with fewer words are headings or fragments, not answers. */
const MIN_WORDS = 4;
const MAX_CHARACTERS = 600;
/** Items of one list quoted at most. */
const MAX_LIST_ITEMS = 8;

const LIST_ITEM = /^\s*([-*•+]|\d{1,3}[.)])\s+/;

/**
 * The sentences of `passages` that answer `question`, each followed by its passage number (`[n]`);
 * `undefined` when none covers enough of the question.
 *
 * @example
 * extractAnswer('How long do refunds take?', passages, analyzer);
 * // 'Refunds reach your original payment method within 5 business days after … [1].'
 */
export function extractAnswer(
  question: string,
  passages: readonly Passage[],
  analyzer: LexicalAnalyzer,
  options: ExtractiveOptions = {},
): string | undefined {
  const asked = questionTerms(question, analyzer);
  const carried = questionTerms(options.carried ?? '', analyzer).filter((term) => !asked.includes(term));
  if (asked.length + carried.length === 0) return undefined;
  const candidates = candidatesOf(passages, analyzer);
  if (candidates.length === 0) return undefined;
  score(candidates, asked, carried);
  const earlier = (options.earlier ?? []).map(normalize);
  const askedSomewhere = candidates.some((candidate) => candidate.matchesQuestion);
  const minCoverage = options.minCoverage ?? MIN_COVERAGE;
  const eligible = candidates
    .filter((candidate) => candidate.score > 0)
    // Once the question's own words match something, words carried from earlier turns cannot
    // select a sentence alone; and a sentence an earlier answer quoted needs the question's words.
    .filter((candidate) => candidate.matchesQuestion || !askedSomewhere)
    .filter(
      (candidate) =>
        candidate.matchesQuestion || !earlier.some((text) => text.includes(normalize(candidate.text))),
    )
    .filter((candidate) => candidate.coverage >= minCoverage)
    .sort((a, b) => b.score - a.score);
  const best = eligible[0];
  if (!best) return undefined;

  const maxUnits = options.maxSentences ?? 3;
  const chosen = new Set<Candidate>();
  let units = 0;
  const take = (candidate: Candidate) => {
    if (chosen.has(candidate)) return;
    units++;
    if (candidate.kind === 'item') {
      // A list item brings its whole list, in order.
      for (const item of candidates
        .filter((other) => other.group === candidate.group)
        .slice(0, MAX_LIST_ITEMS)) {
        chosen.add(item);
      }
      return;
    }
    chosen.add(candidate);
  };
  take(best);
  // The next sentence of the same paragraph often finishes the answer ("… which can add 2 days").
  const next = candidates.find(
    (other) =>
      other.group === best.group && other.position === best.position + 1 && other.kind === 'sentence',
  );
  if (best.kind === 'sentence' && next && next.score > 0 && next.matchesQuestion) chosen.add(next);
  for (const candidate of eligible.slice(1)) {
    if (units >= maxUnits) break;
    if (candidate.score < best.score * RELATIVE_CUTOFF) break;
    if (chosen.has(candidate) || [...chosen].some((other) => isDuplicate(other, candidate))) continue;
    take(candidate);
  }
  return render([...chosen]);
}

function candidatesOf(passages: readonly Passage[], analyzer: LexicalAnalyzer): Candidate[] {
  const candidates: Candidate[] = [];
  let group = 0;
  for (const passage of passages) {
    let position = 0;
    let context = passage.chunk.headingPath.at(-1) ?? '';
    const add = (kind: Kind, raw: string, extra: { marker?: string; group: number; context?: string }) => {
      // Bracketed numbers in the source (its own references) would read as our citations.
      const text = raw.replace(/\s*\[\d+(?:\s*,\s*\d+)*\]/g, '').trim();
      position++;
      if (text.length > MAX_CHARACTERS || /\?["'”’)]*$/.test(text)) return;
      if (kind === 'sentence' ? isFragment(text) : text.split(/\s+/).length < 2) return;
      const own = extra.context ?? context;
      const { frequencies, length } = analyzer.termFrequencies(text);
      candidates.push({
        passage: passage.n,
        position,
        kind,
        text,
        context: own,
        group: extra.group,
        ...(extra.marker ? { marker: extra.marker } : {}),
        terms: frequencies,
        contextTerms: new Set(analyzer.terms(own)),
        length,
        score: 0,
        coverage: 0,
        matchesQuestion: false,
      });
    };
    for (const block of passage.text.split(/\n\s*\n/)) {
      const lines = block
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      if (lines.length === 0) continue;
      group++;
      if (lines.every((line) => line.includes('|'))) {
        // A table: the header row is the rows' context, separator rows are dropped.
        const rows = lines.filter((line) => !/^[\s|:-]+$/.test(line));
        const header = rows.length > 1 ? cells(rows[0]!) : '';
        for (const row of rows.slice(header ? 1 : 0)) {
          add('row', cells(row), { group, context: `${context} ${header}`.trim() });
        }
        continue;
      }
      const joined = lines.join(' ');
      if (
        lines.length === 1 &&
        (isFragment(joined) || /\?["'”’)]*$/.test(joined)) &&
        !LIST_ITEM.test(joined)
      ) {
        // A heading or an FAQ question: what follows answers it.
        context = joined;
        continue;
      }
      const items = block.split(/\n(?=\s*(?:[-*•+]|\d{1,3}[.)])\s)/);
      if (items.length > 1 || LIST_ITEM.test(block)) {
        for (const item of items) {
          const marker = LIST_ITEM.exec(item)?.[1];
          const text = item.replace(LIST_ITEM, '').replace(/\s*\n\s*/g, ' ');
          if (marker) add('item', text, { group, marker });
          else for (const sentence of splitSentences(text)) add('sentence', sentence, { group });
        }
        continue;
      }
      for (const sentence of splitSentences(joined)) add('sentence', sentence, { group });
    }
  }
  return candidates;
}

function score(candidates: Candidate[], asked: readonly string[], carried: readonly string[]): void {
  const count = candidates.length;
  const averageLength = candidates.reduce((sum, candidate) => sum + candidate.length, 0) / count || 1;
  // A term no candidate has weighs as much as a term can: the passages do not say it.
  const absent = Math.log(1 + (count + 0.5) / 0.5);
  const weights = new Map<string, number>();
  for (const [terms, factor] of [
    [asked, 1],
    [carried, CARRIED_WEIGHT],
  ] as const) {
    for (const term of terms) {
      const frequency = candidates.filter((candidate) => candidate.terms.has(term)).length;
      const idf = frequency === 0 ? absent : Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
      weights.set(term, idf * factor);
    }
  }
  const own = new Set(asked);
  // Coverage is of the question's own words when any of them matches; of the carried words only for
  // a follow-up whose own words match nothing ("and how many days?"). Carried words still score.
  const askedMatch = candidates.some((candidate) =>
    asked.some((term) => candidate.terms.has(term) || candidate.contextTerms.has(term)),
  );
  const counted = (term: string) => !askedMatch || own.has(term);
  const total =
    [...weights].filter(([term]) => counted(term)).reduce((sum, [, weight]) => sum + weight, 0) || 1;
  for (const candidate of candidates) {
    let points = 0;
    let covered = 0;
    const norm = K1 * (1 - B + (B * candidate.length) / averageLength);
    for (const [term, weight] of weights) {
      const tf = candidate.terms.get(term) ?? 0;
      if (tf > 0) points += (weight * (tf * (K1 + 1))) / (tf + norm);
      else if (candidate.contextTerms.has(term)) points += weight * HEADING_WEIGHT;
      else continue;
      if (counted(term)) covered += weight;
      if (own.has(term)) candidate.matchesQuestion = true;
    }
    candidate.coverage = covered / total;
    candidate.score = (points * candidate.coverage) / (1 + RANK_DECAY * (candidate.passage - 1));
  }
}

/** Chosen candidates, passages ordered by their best candidate, each passage's in reading order. */
function render(chosen: Candidate[]): string {
  const byPassage = new Map<number, Candidate[]>();
  for (const candidate of chosen)
    byPassage.set(candidate.passage, [...(byPassage.get(candidate.passage) ?? []), candidate]);
  const groups = [...byPassage.values()]
    .map((group) => group.sort((a, b) => a.position - b.position))
    .sort((a, b) => Math.max(...b.map((c) => c.score)) - Math.max(...a.map((c) => c.score)));
  let text = '';
  let previous: Candidate | undefined;
  for (const candidate of groups.flat()) {
    const quoted =
      candidate.kind === 'item'
        ? `${candidate.marker} ${cite(candidate.text, candidate.passage)}`
        : cite(candidate.text, candidate.passage);
    const separator = !previous ? '' : candidate.kind === 'item' || previous.kind === 'item' ? '\n' : ' ';
    text += separator + quoted;
    previous = candidate;
  }
  return text;
}

function cells(row: string): string {
  return row
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split('|')
    .map((cell) => cell.trim())
    .join(' | ');
}

/** Headings and short fragments: too few words, or a short line without a sentence's end. */
function isFragment(text: string): boolean {
  const words = text.split(/\s+/).length;
  if (words < MIN_WORDS) return true;
  return words < 8 && !/[.!?…:;]["'”’)\]]*$/.test(text);
}

/** The same sentence from overlapping chunks, or one that says nearly the same words. */
function isDuplicate(a: Candidate, b: Candidate): boolean {
  if (a.text.toLowerCase() === b.text.toLowerCase()) return true;
  let shared = 0;
  for (const term of a.terms.keys()) if (b.terms.has(term)) shared++;
  const union = a.terms.size + b.terms.size - shared;
  return union > 0 && shared / union >= 0.8;
}

function normalize(text: string): string {
  return text
    .replace(/\s*\[\d+(?:\s*,\s*\d+)*\]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Puts the marker before the sentence's final punctuation: "… within 30 days [1]." */
function cite(sentence: string, n: number): string {
  const match = /([.!?…]+["'”’)\]]*)$/.exec(sentence);
  if (!match) return `${sentence} [${n}].`;
  return `${sentence.slice(0, match.index)} [${n}]${match[1]}`;
}
