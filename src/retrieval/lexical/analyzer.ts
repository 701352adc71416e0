/**
 * @module retrieval/lexical/analyzer
 * The text analyzer behind BM25: the same instance must turn documents into postings at index time and
 * queries into terms at query time. It follows Lucene's EnglishAnalyzer as Anserini configures it for
 * its BEIR baselines: NFKC, lower case, UAX #29 words, English possessive "'s" removed, Lucene's 33 stop
 * words, Porter stemming.
 */
import { stemmer } from 'stemmer';
import { ConfigError } from '../../errors.ts';
import { LUCENE_ENGLISH_STOP_WORDS } from './stop-words.ts';
import { cleanWord, scanWords, WordRanges } from './tokenizer.ts';
import { WordCache } from './word-cache.ts';

/** How to build an analyzer; every field has a default that reproduces Anserini's BEIR setup. */
export interface AnalyzerOptions {
  /**
   * Words dropped before stemming: `'lucene'` (default, Lucene's classic 33 words), `'none'`, or a list
   * (case-folded like the text).
   */
  readonly stopWords?: 'lucene' | 'none' | readonly string[];
  /** `'porter'` (default, Porter's algorithm as in Lucene's PorterStemFilter) or `'none'`. */
  readonly stemming?: 'porter' | 'none';
  /** Words longer than this many UTF-16 units are dropped, not split (default 255, Lucene's limit). */
  readonly maxTokenLength?: number;
}

/** The terms of one text with their counts, and the length BM25 normalises by. */
export interface TermFrequencies {
  /** Term → number of occurrences (tf). */
  readonly frequencies: Map<string, number>;
  /** Number of terms after analysis (the sum of all tf), i.e. the BM25 document length. */
  readonly length: number;
}

/** Turns text into index terms. */
export interface Analyzer {
  /**
   * Stable identifier of the configuration, e.g. `standard-v1+stop-lucene33+porter+max255`. Store it
   * with an index: postings written under one name are only valid for queries analysed under the same
   * name. The `v1` changes whenever the terms produced for some text change, forcing a reindex.
   */
  readonly name: string;
  /** Terms in text order, repeats included. */
  terms(text: string): string[];
  /** Term counts and length of a text, as a postings writer needs them. */
  termFrequencies(text: string): TermFrequencies;
}

// Words are memoised because corpus vocabularies are Zipfian; the cap bounds memory on huge ingests.
const WORD_CACHE_CAPACITY = 200_000;

/**
 * Creates an analyzer. Each instance memoises up to 200,000 distinct words (a few MB), so create one
 * per configuration and reuse it rather than one per document.
 *
 * @example
 * const analyzer = createAnalyzer();
 * analyzer.terms("The patient's COVID-19 tests were running"); // ['patient', 'covid', '19', 'test', 'were', 'run']
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const maxTokenLength = options.maxTokenLength ?? 255;
  if (!Number.isInteger(maxTokenLength) || maxTokenLength < 1) {
    throw new ConfigError('maxTokenLength must be a positive integer', { maxTokenLength });
  }
  const stopList = resolveStopWords(options.stopWords ?? 'lucene');
  const stopWords = new Set(stopList.words);
  const stemming = options.stemming ?? 'porter';
  if (stemming !== 'porter' && stemming !== 'none') {
    throw new ConfigError("stemming must be 'porter' or 'none'", { stemming });
  }

  const cache = new WordCache((raw) => {
    const word = stripPossessive(raw);
    if (word.length > maxTokenLength || stopWords.has(word)) return undefined;
    return stemming === 'porter' ? stemmer(word) : word;
  }, WORD_CACHE_CAPACITY);

  const words = new WordRanges();
  let ids = new Int32Array(256);

  // Fills `ids` with the ids of the kept terms and returns how many there are. Ids index `cache.terms`
  // until the next call.
  const analyze = (input: string): number => {
    cache.trim();
    const text = input.normalize('NFKC').toLowerCase();
    scanWords(text, words);
    if (ids.length < words.count) ids = new Int32Array(words.starts.length);
    const { starts, ends, clean } = words;
    let kept = 0;
    for (let index = 0; index < words.count; index++) {
      const start = starts[index]!;
      const end = ends[index]!;
      // Over-long words bypass the cache so one junk blob cannot fill it.
      const id =
        clean[index] === 1 && end - start <= maxTokenLength + 2
          ? cache.lookup(text, start, end)
          : cache.resolveUncached(cleanWord(text.slice(start, end)));
      if (id >= 0) ids[kept++] = id;
    }
    return kept;
  };

  let counts: Int32Array = new Int32Array(1024);
  return {
    name: `standard-v1+${stopList.label}+${stemming === 'porter' ? 'porter' : 'nostem'}+max${maxTokenLength}`,
    terms(text) {
      const length = analyze(text);
      const terms = new Array<string>(length);
      for (let index = 0; index < length; index++) terms[index] = cache.terms[ids[index]!]!;
      return terms;
    },
    termFrequencies(text) {
      const length = analyze(text);
      if (counts.length < cache.terms.length) counts = grow(counts, cache.terms.length);
      const seen: number[] = [];
      for (let index = 0; index < length; index++) {
        const id = ids[index]!;
        const previous = counts[id]!;
        counts[id] = previous + 1;
        if (previous === 0) seen.push(id);
      }
      const frequencies = new Map<string, number>();
      for (const id of seen) {
        frequencies.set(cache.terms[id]!, counts[id]!);
        counts[id] = 0;
      }
      return { frequencies, length };
    },
  };
}

function grow(counts: Int32Array, minimum: number): Int32Array {
  const bigger = new Int32Array(Math.max(minimum, counts.length * 2));
  bigger.set(counts);
  return bigger;
}

/** Lucene's EnglishPossessiveFilter: "patient's" → "patient" (curly apostrophes are already "'"). */
function stripPossessive(word: string): string {
  const length = word.length;
  if (length > 2 && word.charCodeAt(length - 1) === 0x73 && word.charCodeAt(length - 2) === 0x27) {
    return word.slice(0, -2);
  }
  return word;
}

function resolveStopWords(stopWords: AnalyzerOptions['stopWords']): { words: string[]; label: string } {
  if (stopWords === 'lucene') return { words: [...LUCENE_ENGLISH_STOP_WORDS], label: 'stop-lucene33' };
  if (stopWords === 'none') return { words: [], label: 'stop-none' };
  if (!Array.isArray(stopWords) || stopWords.some((word) => typeof word !== 'string')) {
    throw new ConfigError("stopWords must be 'lucene', 'none' or a list of strings");
  }
  const words = [...new Set(stopWords.map((word) => word.normalize('NFKC').toLowerCase()))].sort();
  return { words, label: `stop-custom-${fnv1a(words.join('\n'))}` };
}

/** Short content hash so that two custom stop lists get different analyzer names. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
