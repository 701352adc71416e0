/**
 * @module retrieval/search-engine/engine
 * The search-engine backend (ADR 0044): BM25 and kNN in Elasticsearch/OpenSearch behind the
 * `LexicalEngine` and `VectorEngine` ports, Postgres the store of record.
 *
 * Every query reads the tenant's knowledge generation and the access sets the caller may read in one
 * statement. The engine answers only when it holds that generation; otherwise this process syncs it
 * (single flight per tenant) and waits up to `syncWaitMs`; a sync still running then (a large backlog)
 * leaves the query to the SQL engines, exact over the store of record, while the sync goes on. So no
 * search ranks on data older than the generation it read. Inside the engine, the caller's access is
 * the choice of indices (one per access set, searched with `dfs_query_then_fetch` so BM25's statistics
 * are the caller's own, ADR 0028) and a filter on the access-set field; the other filters are filters
 * of the same query. An engine that is down, slow or answers in part is a 503
 * `search_engine_unavailable`, never a hung request and never a partial top k.
 */
import { GroundworkError } from '../../errors.ts';
import type { LexicalEngine, LexicalHit, LexicalSearchRequest } from '../../spec/lexical.ts';
import type { RetrievalFilters } from '../../spec/retrieval.ts';
import type { VectorEngine, VectorHit, VectorSearchRequest } from '../../spec/vector.ts';
import type { Database, ReadExecutor } from '../../store/database.ts';
import { type Bm25Parameters, searchBm25 } from '../lexical/bm25-sql.ts';
import { searchVectors } from '../vector/vector-sql.ts';
import type { SearchEngineClient } from './client.ts';
import { type IndexLayout, vectorField } from './layout.ts';
import { filterTokens } from './metadata-tokens.ts';
import { IndexSync, type SyncReport } from './sync.ts';

/** Options of {@link SearchEngineBackend}. */
export interface SearchEngineBackendOptions {
  /** Milliseconds a query waits for its tenant's sync before Postgres answers it (default 2000). */
  readonly syncWaitMs?: number;
  readonly logger?: {
    info(fields: object, message: string): void;
    warn(fields: object, message: string): void;
  };
}

/** Where the last search was answered, for tests and diagnostics. */
export type SearchSource = 'engine' | 'sql';

/** A URL path may hold this many characters of index names; past it the tenant pattern is searched. */
const MAX_INDEX_LIST = 3500;

interface QueryScope {
  readonly generation: string;
  /** Access sets the caller may read; undefined: every set (unrestricted caller). */
  readonly sets?: readonly number[];
  /** Document ids a metadata filter resolved to in Postgres (when not expressible as tokens). */
  readonly metadataDocuments?: readonly number[];
}

/** The shared state of both engines: client, layout, sync and freshness. */
export class SearchEngineBackend {
  readonly sync: IndexSync;
  /** What answered the most recent search. */
  lastSource: SearchSource = 'engine';
  private readonly synced = new Map<string, string>();
  private readonly running = new Map<string, Promise<SyncReport>>();
  private readonly syncWaitMs: number;

  constructor(
    readonly db: Pick<Database, 'capabilities'> & ReadExecutor,
    readonly client: SearchEngineClient,
    readonly layout: IndexLayout,
    readonly parameters: Bm25Parameters & { readonly hnswEfSearch: number },
    private readonly options: SearchEngineBackendOptions = {},
  ) {
    this.sync = new IndexSync(db, client, layout, options.logger);
    this.syncWaitMs = options.syncWaitMs ?? 2000;
  }

  /** Syncs a tenant now and waits (tests, benchmarks, warm-up). */
  warm(tenantId: string): Promise<SyncReport> {
    return this.syncOnce(tenantId);
  }

  /** Whether the engine may answer at `generation`; starts (or joins) a sync when it may not. */
  async ready(tenantId: string, generation: string): Promise<boolean> {
    if (this.synced.get(tenantId) === generation) return true;
    const sync = this.syncOnce(tenantId);
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      sync.then(
        (report) => report,
        (error: unknown) => error,
      ),
      new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), this.syncWaitMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (waited === 'late') return false;
    if (typeof (waited as Partial<SyncReport>)?.generation !== 'string') {
      if (GroundworkError.isInstance(waited) && waited.code === 'search_engine_unavailable') throw waited;
      // A sync that failed for another reason (a rejected document) is logged; Postgres answers.
      this.options.logger?.warn({ err: waited, tenantId }, 'search engine sync failed; Postgres answers');
      return false;
    }
    // The sync read the generation after this query did: it holds at least this query's data.
    return BigInt((waited as SyncReport).generation) >= BigInt(generation);
  }

  private syncOnce(tenantId: string): Promise<SyncReport> {
    const running = this.running.get(tenantId);
    if (running) return running;
    const sync = this.sync
      .sync(tenantId)
      .then((report) => {
        this.synced.set(tenantId, report.generation);
        return report;
      })
      .finally(() => this.running.delete(tenantId));
    sync.catch(() => {});
    this.running.set(tenantId, sync);
    return sync;
  }

  /** The generation, the readable access sets and any metadata filter resolved in Postgres. */
  async scope(
    tenantId: string,
    principals: readonly string[] | undefined,
    filters: RetrievalFilters | undefined,
  ): Promise<QueryScope> {
    const metadata =
      filters?.metadata &&
      Object.keys(filters.metadata).length > 0 &&
      filterTokens(filters.metadata) === undefined
        ? JSON.stringify(filters.metadata)
        : null;
    const { rows } = await this.db.query<{
      generation: string | null;
      sets: number[] | null;
      docs: number[] | null;
    }>(
      `SELECT (SELECT generation::text FROM knowledge_generations WHERE tenant_id = $1) AS generation,
              CASE WHEN $2::text[] IS NULL THEN NULL
                   ELSE ARRAY(SELECT id FROM acl_sets WHERE tenant_id = $1 AND principals && $2::text[]) END AS sets,
              CASE WHEN $3::jsonb IS NULL THEN NULL
                   ELSE ARRAY(SELECT id FROM documents WHERE tenant_id = $1 AND metadata @> $3::jsonb) END AS docs`,
      [tenantId, principals === undefined ? null : ['*', ...principals], metadata],
    );
    const row = rows[0];
    return {
      generation: row?.generation ?? '0',
      sets: row?.sets === null || row?.sets === undefined ? undefined : row.sets.map(Number),
      metadataDocuments: row?.docs === null || row?.docs === undefined ? undefined : row.docs.map(Number),
    };
  }

  /** The indices to search and the filters of the query (tenant, access, documents, origin, type, metadata). */
  target(tenantId: string, scope: QueryScope, filters: RetrievalFilters | undefined) {
    const clauses: unknown[] = [{ term: { tenant: tenantId } }];
    let indices = this.layout.tenantPattern(tenantId);
    if (scope.sets !== undefined) {
      clauses.push({ terms: { acl_set: scope.sets } });
      const list = scope.sets.map((set) => this.layout.index(tenantId, set)).join(',');
      // Past a URL's worth of index names the tenant's pattern is searched with the same access
      // filter: access stays exact, the statistics become the tenant's (ADR 0044, limits).
      if (list.length <= MAX_INDEX_LIST) indices = list;
    }
    if (filters?.documentIds) clauses.push({ terms: { document_id: filters.documentIds } });
    if (filters?.uriPrefix) clauses.push({ prefix: { origin_uri: filters.uriPrefix } });
    if (filters?.mediaTypes && filters.mediaTypes.length > 0) {
      clauses.push({ terms: { media_type: filters.mediaTypes } });
    }
    if (filters?.metadata && Object.keys(filters.metadata).length > 0) {
      if (scope.metadataDocuments !== undefined) {
        clauses.push({ terms: { document_id: scope.metadataDocuments } });
      } else {
        for (const token of filterTokens(filters.metadata) ?? []) clauses.push({ term: { meta: token } });
      }
    }
    const empty = scope.sets !== undefined && scope.sets.length === 0;
    return { indices, clauses, empty };
  }
}

/** BM25 in the engine; the port's contract is the SQL engine's (ADR 0037) with Lucene's lengths. */
export class SearchEngineLexicalEngine implements LexicalEngine {
  readonly name = 'search-engine';

  constructor(private readonly backend: SearchEngineBackend) {}

  warm(tenantId: string): Promise<SyncReport> {
    return this.backend.warm(tenantId);
  }

  async search(request: LexicalSearchRequest): Promise<LexicalHit[]> {
    if (request.terms.length === 0) return [];
    const backend = this.backend;
    const scope = await backend.scope(request.tenantId, request.principals, request.filters);
    if (!(await backend.ready(request.tenantId, scope.generation))) {
      backend.lastSource = 'sql';
      return searchBm25(backend.db, request, backend.parameters);
    }
    backend.lastSource = 'engine';
    const { indices, clauses, empty } = backend.target(request.tenantId, scope, request.filters);
    if (empty) return [];
    const response = await backend.client.search(
      indices,
      {
        size: request.limit,
        _source: false,
        track_total_hits: false,
        query: {
          bool: {
            must: [{ match: { terms: { query: request.terms.join(' '), operator: 'or' } } }],
            filter: clauses,
          },
        },
        sort: [{ _score: 'desc' }, { chunk_id: 'asc' }],
      },
      '?search_type=dfs_query_then_fetch&ignore_unavailable=true&allow_no_indices=true',
    );
    // Elasticsearch's BM25 keeps the textbook (k1 + 1) factor (Lucene's legacy formula): scores are on
    // the SQL engine's scale as they come.
    return response.hits.hits.map((hit) => ({ chunkId: Number(hit._id), score: hit._score ?? 0 }));
  }
}

/** kNN (HNSW, cosine) in the engine over one embedding model's field. */
export class SearchEngineVectorEngine implements VectorEngine {
  readonly name = 'search-engine';

  constructor(private readonly backend: SearchEngineBackend) {}

  async search(request: VectorSearchRequest): Promise<VectorHit[]> {
    const backend = this.backend;
    const scope = await backend.scope(request.tenantId, request.principals, request.filters);
    if (!(await backend.ready(request.tenantId, scope.generation))) {
      backend.lastSource = 'sql';
      return searchVectors(
        backend.db,
        { modelId: request.modelId, dimensions: request.dimensions },
        request,
        backend.parameters.hnswEfSearch,
      );
    }
    backend.lastSource = 'engine';
    const { indices, clauses, empty } = backend.target(request.tenantId, scope, request.filters);
    if (empty) return [];
    await backend.sync.ensureVectorField(request.tenantId, {
      id: request.modelId,
      dimensions: request.dimensions,
    });
    const response = await backend.client.search(
      indices,
      {
        size: request.limit,
        _source: false,
        track_total_hits: false,
        knn: {
          field: vectorField(request.modelId),
          query_vector: Array.from(request.vector),
          k: request.limit,
          num_candidates: Math.min(10_000, Math.max(backend.parameters.hnswEfSearch, request.limit)),
          filter: clauses,
        },
      },
      '?ignore_unavailable=true&allow_no_indices=true',
    );
    // The engine's cosine score is (1 + cos) / 2.
    return response.hits.hits
      .map((hit) => ({ chunkId: Number(hit._id), similarity: 2 * (hit._score ?? 0) - 1 }))
      .sort((left, right) => right.similarity - left.similarity || left.chunkId - right.chunkId);
  }
}
