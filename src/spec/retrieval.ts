/**
 * @module spec/retrieval
 * What retrieval takes and returns.
 */

/** Retrieval modes. */
export type RetrievalMode = 'lexical' | 'vector' | 'hybrid';

/** Filters applied inside the retrieval query. */
export interface RetrievalFilters {
  /** Only documents whose origin (file path or URL) starts with this. */
  readonly uriPrefix?: string;
  readonly documentIds?: readonly number[];
  /** Document metadata must contain these key/value pairs (JSON containment). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly mediaTypes?: readonly string[];
}

/** A retrieval request. */
export interface RetrievalQuery {
  readonly tenantId: string;
  readonly text: string;
  /**
   * The caller's principals (`user:…`, `group:…`); a chunk is returned only if its ACL shares one, or
   * holds `*`. `undefined` means an unrestricted operator (the local CLI, evaluations).
   */
  readonly principals?: readonly string[];
  readonly filters?: RetrievalFilters;
  readonly mode?: RetrievalMode;
  readonly limit?: number;
}

/** Scores one chunk got from each retriever; ranks are 1-based. */
export interface RetrieverScores {
  readonly lexical?: number;
  readonly lexicalRank?: number;
  /** Cosine similarity. */
  readonly vector?: number;
  readonly vectorRank?: number;
  /** Reciprocal-rank-fusion score (hybrid), or the single retriever's score. */
  readonly fused: number;
}

/** A retrieved chunk with where it came from. */
export interface RetrievedChunk {
  readonly chunkId: number;
  readonly documentId: number;
  readonly documentUri: string;
  readonly originUri: string;
  readonly title: string | null;
  readonly ordinal: number;
  readonly headingPath: readonly string[];
  readonly page: number | null;
  readonly text: string;
  readonly snippet: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly scores: RetrieverScores;
}

/** What a search returns. */
export interface RetrievalResult {
  readonly mode: RetrievalMode;
  readonly chunks: readonly RetrievedChunk[];
  readonly timings: {
    readonly embedMs: number;
    readonly lexicalMs: number;
    readonly vectorMs: number;
    readonly totalMs: number;
  };
}
