/**
 * @module retrieval/lexical/memory-bm25-index
 * A small in-memory BM25 index: the reference (oracle) the SQL implementation is tested against, and
 * the engine of the offline quality benchmark. Straightforward on purpose; not for production sizes.
 */
import { InvalidRequestError } from '../../errors.ts';
import { type Analyzer, createAnalyzer } from './analyzer.ts';
import {
  type Bm25Parameters,
  bm25Idf,
  bm25TermFrequencyWeight,
  queryTermCounts,
  resolveBm25Parameters,
} from './bm25.ts';
import { luceneDocumentLength } from './lucene-length.ts';

/** Options of {@link createMemoryBm25Index}. */
export interface MemoryBm25IndexOptions extends Partial<Bm25Parameters> {
  /** Analyzer for documents and queries alike (default: {@link createAnalyzer} defaults). */
  readonly analyzer?: Analyzer;
  /**
   * `'exact'` (default, what our SQL computes) or `'lucene'`: document lengths go through Lucene's
   * one-byte norm encoding, to reproduce Anserini's scores exactly (see `lucene-length.ts`).
   */
  readonly lengthEncoding?: 'exact' | 'lucene';
}

/** A search hit. */
export interface ScoredId {
  readonly id: string;
  readonly score: number;
}

/**
 * Collection statistics, the same figures the SQL side keeps per tenant. Like Lucene's `docCount`, N
 * counts only documents with at least one term: a text that analyses to nothing (only stop words,
 * only punctuation) can never match, and counting it would change every idf and avgdl.
 */
export interface Bm25IndexStats {
  /** N: documents with at least one term. */
  readonly documentCount: number;
  /** Sum of all document lengths (terms after analysis). */
  readonly totalLength: number;
  /** totalLength / documentCount, or 0 when empty. */
  readonly averageDocumentLength: number;
}

/** In-memory BM25 index over whole texts. */
export interface MemoryBm25Index {
  readonly analyzer: Analyzer;
  readonly parameters: Bm25Parameters;
  /** Indexes a text; an id may be added once (throws `duplicate_id` otherwise). */
  add(id: string, text: string): void;
  /**
   * The k best documents by BM25, score descending, ties by id ascending in UTF-16 code-unit order (what
   * `ORDER BY score DESC, id COLLATE "C"` gives in Postgres, and how Anserini breaks ties). Documents
   * that share no term with the query are not returned.
   */
  search(query: string, k: number): ScoredId[];
  /** df of an analysed term. */
  documentFrequency(term: string): number;
  stats(): Bm25IndexStats;
}

interface Postings {
  readonly documents: number[];
  readonly frequencies: number[];
}

/**
 * Creates an empty in-memory BM25 index.
 *
 * @example
 * const index = createMemoryBm25Index();
 * index.add('d1', 'Aspirin reduces the risk of heart attack');
 * index.search('aspirin heart', 10); // [{ id: 'd1', score: … }]
 */
export function createMemoryBm25Index(options: MemoryBm25IndexOptions = {}): MemoryBm25Index {
  const { analyzer = createAnalyzer(), lengthEncoding = 'exact', ...bm25 } = options;
  const parameters = resolveBm25Parameters(bm25);
  // Documents with at least one term, by internal number; empty ones are only remembered as ids.
  const ids: string[] = [];
  const knownIds = new Set<string>();
  // Lengths as BM25 sees them; totalLength stays exact, as Lucene's avgdl does.
  const lengths: number[] = [];
  const postings = new Map<string, Postings>();
  let totalLength = 0;

  const stats = (): Bm25IndexStats => ({
    documentCount: ids.length,
    totalLength,
    averageDocumentLength: ids.length === 0 ? 0 : totalLength / ids.length,
  });

  return {
    analyzer,
    parameters,
    add(id, text) {
      if (knownIds.has(id))
        throw new InvalidRequestError('duplicate_id', `document ${id} is already indexed`);
      const { frequencies, length } = analyzer.termFrequencies(text);
      knownIds.add(id);
      if (length === 0) return;
      const document = ids.length;
      ids.push(id);
      lengths.push(lengthEncoding === 'lucene' ? luceneDocumentLength(length) : length);
      totalLength += length;
      for (const [term, frequency] of frequencies) {
        let list = postings.get(term);
        if (list === undefined) {
          list = { documents: [], frequencies: [] };
          postings.set(term, list);
        }
        list.documents.push(document);
        list.frequencies.push(frequency);
      }
    },
    search(query, k) {
      if (!Number.isInteger(k) || k < 0)
        throw new InvalidRequestError('invalid_k', 'k must be an integer ≥ 0');
      const { documentCount, averageDocumentLength } = stats();
      const scores = new Float64Array(documentCount);
      const touched: number[] = [];
      for (const [term, count] of queryTermCounts(analyzer.terms(query))) {
        const list = postings.get(term);
        if (list === undefined) continue;
        const idf = count * bm25Idf(documentCount, list.documents.length);
        for (let index = 0; index < list.documents.length; index++) {
          const document = list.documents[index]!;
          const weight = bm25TermFrequencyWeight(
            list.frequencies[index]!,
            lengths[document]!,
            averageDocumentLength,
            parameters,
          );
          // Every contribution is positive (Lucene's idf is > 0), so 0 means "not seen yet".
          if (scores[document] === 0) touched.push(document);
          scores[document]! += idf * weight;
        }
      }
      touched.sort((left, right) => {
        const difference = scores[right]! - scores[left]!;
        if (difference !== 0) return difference;
        const leftId = ids[left]!;
        const rightId = ids[right]!;
        return leftId < rightId ? -1 : leftId > rightId ? 1 : 0;
      });
      return touched.slice(0, k).map((document) => ({ id: ids[document]!, score: scores[document]! }));
    },
    documentFrequency(term) {
      return postings.get(term)?.documents.length ?? 0;
    },
    stats,
  };
}
