/**
 * @module spec/lexical
 * The lexical analyzer turns text into BM25 terms. The same analyzer must run at index and query time.
 */

/** Tokenises, normalises and stems text into terms. */
export interface LexicalAnalyzer {
  /** Identifies the analysis; documents indexed under another name are re-indexed. */
  readonly name: string;
  terms(text: string): string[];
}
