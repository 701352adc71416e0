/**
 * @module spec/lexical
 * The lexical analyzer turns text into BM25 terms. The same analyzer must run at index and query time.
 */
import type { RetrievalFilters } from './retrieval.ts';

/** Tokenises, normalises and stems text into terms. */
export interface LexicalAnalyzer {
  /** Identifies the analysis; documents indexed under another name are re-indexed. */
  readonly name: string;
  /** Terms in text order, repeats included (query side). */
  terms(text: string): string[];
  /** Term counts and the analysed length (index side). */
  termFrequencies(text: string): { readonly frequencies: Map<string, number>; readonly length: number };
}

/** A lexical hit: a chunk and its BM25 score. */
export interface LexicalHit {
  readonly chunkId: number;
  readonly score: number;
}

/** A lexical search over analysed query terms. */
export interface LexicalSearchRequest {
  readonly tenantId: string;
  readonly terms: readonly string[];
  /** The caller's principals; undefined: an unrestricted operator (every access set). */
  readonly principals?: readonly string[];
  readonly filters?: RetrievalFilters;
  readonly limit: number;
}

/**
 * Ranks chunks by BM25 over the caller's own statistics (ADR 0064). Every engine returns the same
 * top k up to ties, score descending then chunk id ascending (ADR 0037).
 */
export interface LexicalEngine {
  /** `sql` (the store's own query) or `memory` (the in-process index). */
  readonly name: string;
  search(request: LexicalSearchRequest): Promise<LexicalHit[]>;
  /** Brings what the engine holds for a tenant up to date and waits (evaluations, benchmarks). */
  warm?(tenantId: string): Promise<unknown>;
}
