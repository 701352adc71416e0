/**
 * @module retrieval/retriever
 * Hybrid retrieval: BM25 and vector search, each filtered inside its query, fused with reciprocal
 * rank fusion, then hydrated with document and chunk details.
 */
import { InvalidRequestError } from '../errors.ts';
import { embeddingAttributes } from '../observability/gen-ai.ts';
import type { Logger } from '../observability/logger.ts';
import { recordEmbeddingTokens } from '../observability/span-cost.ts';
import { RETRIEVAL_RESULTS_ATTRIBUTE as RESULTS } from '../observability/span-metrics.ts';
import { withSpan } from '../observability/tracer.ts';
import type { EmbedderInfo } from '../spec/embedding.ts';
import type { LexicalAnalyzer, LexicalEngine } from '../spec/lexical.ts';
import type { RetrievalMode, RetrievalQuery, RetrievalResult, RetrievedChunk } from '../spec/retrieval.ts';
import type { VectorEngine } from '../spec/vector.ts';
import type { Database } from '../store/database.ts';
import { readChunkDetails } from './chunk-details.ts';
import { reciprocalRankFusion } from './fusion.ts';
import { type Bm25Parameters, SqlLexicalEngine } from './lexical/bm25-sql.ts';
import { MemoryLexicalEngine } from './lexical/memory/memory-engine.ts';
import { makeSnippet } from './snippet.ts';
import { type HydratedVectorHit, searchVectors, searchVectorsHydrated } from './vector/vector-sql.ts';

/** Tuning of the retriever. */
export interface RetrieverSettings extends Bm25Parameters {
  /** Which lexical engine ranks (ADR 0037); default `memory` (ADR 0043). */
  readonly lexicalEngine?: 'sql' | 'memory';
  /** Memory budget of the `memory` engine's indexes, all tenants together. */
  readonly lexicalMemoryBytes?: number;
  readonly rrfK: number;
  readonly lexicalWeight: number;
  readonly vectorWeight: number;
  /** Candidates each retriever contributes before fusion. */
  readonly candidates: number;
  readonly hnswEfSearch: number;
}

/** What the retriever is built from. */
export interface RetrieverDependencies {
  readonly db: Database;
  readonly analyzer: LexicalAnalyzer;
  readonly embedder?: EmbedderInfo & { readonly modelId: number };
  readonly settings: RetrieverSettings;
  /** The lexical engine; default: the one `settings.lexicalEngine` names, on `db.read`. */
  readonly lexical?: LexicalEngine;
  /** The vector engine; default: pgvector in the store (`vector/vector-sql.ts`). */
  readonly vector?: VectorEngine;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
}

/** Span attribute with the candidates a retriever was asked for. */
const CANDIDATES = 'groundwork.retrieval.candidates';

/** Maximum results one search may ask for. */
export const MAX_LIMIT = 1000;

/** The retrieval service. */
export class Retriever {
  /** The engine lexical search runs on. */
  readonly lexical: LexicalEngine;

  private serving: (EmbedderInfo & { readonly modelId: number }) | undefined;

  constructor(private readonly deps: RetrieverDependencies) {
    this.serving = deps.embedder;
    const { settings } = deps;
    this.lexical =
      deps.lexical ??
      (settings.lexicalEngine === 'sql'
        ? new SqlLexicalEngine(deps.db.read, settings)
        : new MemoryLexicalEngine(deps.db.read, settings, {
            maxBytes: settings.lexicalMemoryBytes,
            logger: deps.logger,
          }));
  }

  /**
   * The embedding model queries are embedded with, when vectors are on: the configured one, or while
   * its vectors are still being computed after a switch, the previous one (`useEmbedder`).
   */
  get embedder(): (EmbedderInfo & { readonly modelId: number }) | undefined {
    return this.serving;
  }

  /** Searches vectors of `embedder` from now on (the switch once a new model's vectors are complete). */
  useEmbedder(embedder: (EmbedderInfo & { readonly modelId: number }) | undefined): void {
    this.serving = embedder;
  }

  /** The mode used when the caller names none: hybrid when vectors exist, lexical otherwise. */
  get defaultMode(): RetrievalMode {
    return this.serving ? 'hybrid' : 'lexical';
  }

  async search(query: RetrievalQuery): Promise<RetrievalResult> {
    const started = performance.now();
    const mode = query.mode ?? this.defaultMode;
    const limit = query.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestError('invalid_limit', `limit must be an integer from 1 to ${MAX_LIMIT}.`);
    }
    const embedder = this.serving;
    if (mode !== 'lexical' && !embedder) {
      throw new InvalidRequestError(
        'vector_search_unavailable',
        `Mode "${mode}" needs an embedding model; none is configured (set GROUNDWORK_EMBEDDER). Lexical search works without one.`,
      );
    }
    const { settings } = this.deps;
    // Searching only reads: a read replica may serve it (the primary when there is none or it is down).
    const db = { capabilities: this.deps.db.capabilities, ...this.deps.db.read };
    const candidates = mode === 'hybrid' ? Math.max(settings.candidates, limit) : limit;
    const timings = { embedMs: 0, lexicalMs: 0, vectorMs: 0, totalMs: 0 };

    // Both retrievers run at once: on a server they overlap (the query embedding with BM25, too); on
    // PGlite the statements simply queue.
    const lexicalSearch = async () => {
      if (mode === 'vector') return [];
      return withSpan('lexical_search', { [CANDIDATES]: candidates }, async (span) => {
        const at = performance.now();
        const hits = await this.lexical.search({
          ...query,
          terms: this.deps.analyzer.terms(query.text),
          limit: candidates,
        });
        timings.lexicalMs = performance.now() - at;
        span.setAttribute(RESULTS, hits.length);
        return hits;
      });
    };
    const vectorSearch = async () => {
      if (mode === 'lexical' || !embedder) return [];
      let at = performance.now();
      const { embeddings } = await withSpan(
        'embed_query',
        embeddingAttributes(embedder.model, 1),
        async (span) => {
          const result = await embedder.model.doEmbed({
            values: [`${embedder.queryPrefix ?? ''}${query.text}`],
            ...(embedder.queryProviderOptions ? { providerOptions: embedder.queryProviderOptions } : {}),
          });
          recordEmbeddingTokens(span, result.usage);
          return result;
        },
      );
      timings.embedMs = performance.now() - at;
      at = performance.now();
      const hits = await withSpan('vector_search', { [CANDIDATES]: candidates }, async (span) => {
        // Hybrid candidates need depth, not an exact count: a list at least half as deep as asked (and
        // as deep as the results) is enough, which spares the exact scan that pgvector < 0.8 would
        // otherwise need whenever access control drops some of the index scan's candidates.
        const enough = mode === 'hybrid' ? Math.max(limit, Math.ceil(candidates / 2)) : candidates;
        const request = { ...query, vector: embeddings[0] ?? [], limit: candidates, enough };
        // In Postgres, vector alone: the hits come with their details, in the search's own statement.
        const hits = this.deps.vector
          ? await this.deps.vector.search({
              ...request,
              modelId: embedder.modelId,
              dimensions: embedder.dimensions,
            })
          : mode === 'vector'
            ? await searchVectorsHydrated(db, embedder, request, settings.hnswEfSearch)
            : await searchVectors(db, embedder, request, settings.hnswEfSearch);
        span.setAttribute(RESULTS, hits.length);
        return hits;
      });
      timings.vectorMs = performance.now() - at;
      return hits;
    };
    const [lexical, vector] = await Promise.all([lexicalSearch(), vectorSearch()]);

    const lexicalById = new Map(
      lexical.map((hit, index) => [hit.chunkId, { score: hit.score, rank: index + 1 }]),
    );
    const vectorById = new Map(
      vector.map((hit, index) => [hit.chunkId, { score: hit.similarity, rank: index + 1 }]),
    );
    const fuse = () =>
      mode === 'hybrid'
        ? reciprocalRankFusion(
            [
              { weight: settings.lexicalWeight, ids: lexical.map((hit) => hit.chunkId) },
              { weight: settings.vectorWeight, ids: vector.map((hit) => hit.chunkId) },
            ],
            settings.rrfK,
          )
        : mode === 'lexical'
          ? lexical.map((hit) => ({ id: hit.chunkId, score: hit.score }))
          : vector.map((hit) => ({ id: hit.chunkId, score: hit.similarity }));
    const fused = await withSpan('fusion', { 'groundwork.retrieval.mode': mode }, (span) => {
      const fused = fuse();
      span.setAttribute(RESULTS, fused.length);
      return fused;
    });
    const top = fused.slice(0, limit);
    const details =
      mode === 'vector' && !this.deps.vector
        ? new Map((vector as HydratedVectorHit[]).map((hit) => [hit.chunkId, hit.detail]))
        : await readChunkDetails(
            db,
            query.tenantId,
            top.map((hit) => hit.id),
          );
    const chunks: RetrievedChunk[] = [];
    for (const hit of top) {
      const detail = details.get(hit.id);
      if (!detail) continue;
      const lexicalHit = lexicalById.get(hit.id);
      const vectorHit = vectorById.get(hit.id);
      chunks.push({
        ...detail,
        snippet: makeSnippet(detail.text, query.text),
        scores: {
          lexical: lexicalHit?.score,
          lexicalRank: lexicalHit?.rank,
          vector: vectorHit?.score,
          vectorRank: vectorHit?.rank,
          fused: hit.score,
        },
      });
    }
    timings.totalMs = performance.now() - started;
    return { mode, chunks, timings };
  }
}
