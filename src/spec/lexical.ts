/**
 * @module spec/lexical
 * The lexical analyzer turns text into BM25 terms. The same analyzer must run at index and query time.
 */

/** Tokenises, normalises and stems text into terms. */
export interface LexicalAnalyzer {
  /** Identifies the analysis; documents indexed under another name are re-indexed. */
  readonly name: string;
  /** Terms in text order, repeats included (query side). */
  terms(text: string): string[];
  /** Term counts and the analysed length (index side). */
  termFrequencies(text: string): { readonly frequencies: Map<string, number>; readonly length: number };
}
