/**
 * @module retrieval/lexical/bm25
 * Okapi BM25 as pure functions, in the variant Lucene's BM25Similarity uses (the one Anserini's BEIR
 * baselines are computed with). The SQL implementation must produce the same numbers; the in-memory
 * index in `memory-bm25-index.ts` is the oracle tests compare it to.
 *
 * score(q, d) = Σ over distinct query terms t of qtf(t) · idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avgdl))
 * idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))
 *
 * Lucene (since 8.0) leaves out the constant factor (k1+1); it does not change the ranking, and we keep
 * it so the numbers match the textbook formula.
 */
import { ConfigError } from '../../errors.ts';

/** BM25 free parameters. */
export interface Bm25Parameters {
  /** Term-frequency saturation: larger values let repeated terms count for longer. */
  readonly k1: number;
  /** Length normalisation: 0 ignores document length, 1 normalises fully. */
  readonly b: number;
}

/** Anserini's settings for its BEIR BM25 baselines (Lucene's own defaults are 1.2 and 0.75). */
export const BM25_DEFAULTS: Bm25Parameters = Object.freeze({ k1: 0.9, b: 0.4 });

/** Merges parameters over the defaults and rejects values BM25 is undefined for. */
export function resolveBm25Parameters(parameters: Partial<Bm25Parameters> = {}): Bm25Parameters {
  const resolved = { ...BM25_DEFAULTS, ...parameters };
  if (!Number.isFinite(resolved.k1) || resolved.k1 < 0) {
    throw new ConfigError('BM25 k1 must be a finite number ≥ 0', { k1: resolved.k1 });
  }
  if (!Number.isFinite(resolved.b) || resolved.b < 0 || resolved.b > 1) {
    throw new ConfigError('BM25 b must be between 0 and 1', { b: resolved.b });
  }
  return resolved;
}

/**
 * Lucene's idf: ln(1 + (N − df + 0.5) / (df + 0.5)). Always positive, unlike Robertson's original,
 * which goes negative for terms in more than half of the documents.
 *
 * @param documentCount N, the number of documents (chunks) in the tenant's index.
 * @param documentFrequency df, the number of those documents that contain the term.
 */
export function bm25Idf(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * The term-frequency part: tf·(k1+1) / (tf + k1·(1 − b + b·length/averageLength)).
 *
 * @param termFrequency tf, occurrences of the term in the document (after analysis).
 * @param documentLength number of terms in the document after analysis.
 * @param averageDocumentLength total length of all documents divided by their count.
 */
export function bm25TermFrequencyWeight(
  termFrequency: number,
  documentLength: number,
  averageDocumentLength: number,
  parameters: Bm25Parameters = BM25_DEFAULTS,
): number {
  const { k1, b } = parameters;
  // An empty index has no average; any document that matches has a length, so treat it as average.
  const relativeLength = averageDocumentLength > 0 ? documentLength / averageDocumentLength : 1;
  return (termFrequency * (k1 + 1)) / (termFrequency + k1 * (1 - b + b * relativeLength));
}

/** Everything one (query term, document) pair contributes to a BM25 score. */
export interface Bm25TermInput {
  readonly termFrequency: number;
  readonly documentFrequency: number;
  readonly documentCount: number;
  readonly documentLength: number;
  readonly averageDocumentLength: number;
  /** How often the term occurs in the query (default 1); see {@link queryTermCounts}. */
  readonly queryTermCount?: number;
}

/** One query term's contribution: qtf · idf · tf part. A document's score is the sum over its terms. */
export function bm25TermScore(input: Bm25TermInput, parameters: Bm25Parameters = BM25_DEFAULTS): number {
  const idf = bm25Idf(input.documentCount, input.documentFrequency);
  const weight = bm25TermFrequencyWeight(
    input.termFrequency,
    input.documentLength,
    input.averageDocumentLength,
    parameters,
  );
  return (input.queryTermCount ?? 1) * idf * weight;
}

/**
 * Distinct query terms with their counts. A term repeated in the query counts that many times: Anserini
 * builds its bag-of-words query with each distinct term boosted by its count (older versions added one
 * clause per occurrence, which Lucene sums), so both weigh the term linearly. We do the same to reproduce
 * its BEIR numbers; BM25's own query-side saturation (k3) is effectively infinite there.
 */
export function queryTermCounts(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
