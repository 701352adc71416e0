/**
 * @module spec/vector
 * Nearest-neighbour search over one embedding model's vectors: pgvector in the store (the default),
 * or an external search engine (ADR 0044).
 */
import type { RetrievalFilters } from './retrieval.ts';

/** A vector hit; `similarity` is cosine similarity in [-1, 1]. */
export interface VectorHit {
  readonly chunkId: number;
  readonly similarity: number;
}

/** A nearest-neighbour search. */
export interface VectorSearchRequest {
  readonly tenantId: string;
  /** The embedding model whose vectors are searched, and its dimension. */
  readonly modelId: number;
  readonly dimensions: number;
  readonly vector: ArrayLike<number>;
  /** The caller's principals; undefined: an unrestricted operator (every access set). */
  readonly principals?: readonly string[];
  readonly filters?: RetrievalFilters;
  readonly limit: number;
}

/** Ranks chunks by cosine similarity, filters and access applied inside the search. */
export interface VectorEngine {
  readonly name: string;
  search(request: VectorSearchRequest): Promise<VectorHit[]>;
}
