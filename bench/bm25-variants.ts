/**
 * @module bench/bm25-variants
 * The analyzer and index variants tried while tuning BM25 toward Anserini, kept so every reported
 * number can be rerun. Only `default` ships; the `experiment-*` ones wrap the analyzer here instead of
 * adding options to it.
 */
import { stemmer } from 'stemmer';
import { type Analyzer, createAnalyzer, type TermFrequencies } from '../src/retrieval/lexical/analyzer.ts';
import type { Bm25Parameters } from '../src/retrieval/lexical/bm25.ts';
import { createMemoryBm25Index, type MemoryBm25Index } from '../src/retrieval/lexical/memory-bm25-index.ts';
import { LUCENE_ENGLISH_STOP_WORDS } from '../src/retrieval/lexical/stop-words.ts';

/** Builds a fresh index for one variant. */
export type VariantFactory = (bm25: Partial<Bm25Parameters>) => MemoryBm25Index;

const standard = (analyzer: Analyzer, bm25: Partial<Bm25Parameters>) =>
  createMemoryBm25Index({ analyzer, ...bm25 });

/** Variants by name; `default` is the shipped configuration. */
export const VARIANTS: Readonly<Record<string, VariantFactory>> = {
  default: (bm25) => standard(createAnalyzer(), bm25),
  // Same analyzer, with Lucene's lossy one-byte document lengths: reproduces Anserini's scores.
  'lucene-norms': (bm25) => createMemoryBm25Index({ lengthEncoding: 'lucene', ...bm25 }),
  'no-stopwords': (bm25) => standard(createAnalyzer({ stopWords: 'none' }), bm25),
  'no-stemming': (bm25) => standard(createAnalyzer({ stemming: 'none' }), bm25),
  // Also index hyphenated compounds joined ("covid-19" → covid, 19, covid19), as WordDelimiter's catenateAll.
  'experiment-hyphen-join': (bm25) => {
    const base = createAnalyzer();
    return standard(
      wrap(`${base.name}+hyphen-join`, (text) => {
        const joined = [...text.matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu)].map((match) =>
          match[0].replaceAll('-', ''),
        );
        return base.terms(joined.length === 0 ? text : `${text} ${joined.join(' ')}`);
      }),
      bm25,
    );
  },
  // A plain split on anything but letters and digits instead of the UAX #29 rules ("3.14" → 3, 14).
  'experiment-simple-split': (bm25) => {
    const stopWords = new Set(LUCENE_ENGLISH_STOP_WORDS);
    return standard(
      wrap('simple-split', (text) =>
        text
          .normalize('NFKC')
          .toLowerCase()
          .replace(/['’]s\b/g, '')
          .split(/[^\p{L}\p{N}]+/u)
          .filter((word) => word !== '' && !stopWords.has(word))
          .map((word) => stemmer(word)),
      ),
      bm25,
    );
  },
  // Colons never join words (UAX #29 lets "objective:to" stay one word).
  'experiment-colon-breaks': (bm25) => {
    const base = createAnalyzer();
    return standard(
      wrap(`${base.name}+colon-breaks`, (text) => base.terms(text.replaceAll(':', ' '))),
      bm25,
    );
  },
};

function wrap(name: string, terms: (text: string) => string[]): Analyzer {
  return {
    name,
    terms,
    termFrequencies(text): TermFrequencies {
      const all = terms(text);
      const frequencies = new Map<string, number>();
      for (const term of all) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      return { frequencies, length: all.length };
    },
  };
}
