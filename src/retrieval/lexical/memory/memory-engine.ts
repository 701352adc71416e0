/**
 * @module retrieval/lexical/memory/memory-engine
 * The `memory` lexical engine (ADR 0037): each tenant's {@link LexicalIndex} kept in this process and
 * served only when it reflects the tenant's current knowledge generation (one primary-key read per
 * query, ADR 0026). When it does not — first use, or documents changed — the query is answered by the
 * SQL engine (exact, the store of record) while the index is refreshed in the background: a new
 * segment plus deletions, or a full rebuild when deletions or segments have piled up. So a result is
 * never computed from stale data, and a query never waits for a build.
 *
 * Filters other than access are resolved to the allowed chunk ids by one SQL statement in the same
 * snapshot as the generation read, and applied inside the index's traversal. Memory is bounded: the
 * least recently used tenants' indexes are dropped past `maxBytes` (they fall back to SQL until used
 * again).
 */
import type { Logger } from '../../../observability/logger.ts';
import type { LexicalEngine, LexicalSearchRequest } from '../../../spec/lexical.ts';
import type { RetrievalFilters } from '../../../spec/retrieval.ts';
import type { ReadExecutor, SqlExecutor } from '../../../store/database.ts';
import { readKnowledgeGeneration } from '../../../store/knowledge-generation.ts';
import { SqlParams } from '../../../store/sql.ts';
import { buildFilterSql } from '../../filters.ts';
import { type Bm25Parameters, type LexicalHit, searchBm25 } from '../bm25-sql.ts';
import { buildLexicalIndex, refreshLexicalIndex } from './index-loader.ts';
import type { LexicalIndex, LexicalIndexStats } from './lexical-index.ts';

/** Options of {@link MemoryLexicalEngine}. */
export interface MemoryLexicalEngineOptions {
  /** Bytes all tenants' indexes may hold together (default 1 GiB). */
  readonly maxBytes?: number;
  /** Rebuild from scratch when this share of indexed chunks is deleted (default 0.25). */
  readonly rebuildDeletedRatio?: number;
  /** Rebuild from scratch past this many segments (default 16). */
  readonly maxSegments?: number;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
}

interface TenantEntry {
  index?: LexicalIndex;
  refreshing?: Promise<void>;
  lastUsed: number;
  failedAt?: number;
}

/** How the last search was answered, for tests and spans. */
export type LexicalSource = 'memory' | 'sql';

/** Retry a failed build no sooner than this. */
const RETRY_AFTER_MS = 30_000;

/** The in-process lexical engine. */
export class MemoryLexicalEngine implements LexicalEngine {
  readonly name = 'memory';
  /** What answered the most recent search. */
  lastSource: LexicalSource = 'sql';
  private readonly tenants = new Map<string, TenantEntry>();
  private readonly maxBytes: number;
  private readonly rebuildDeletedRatio: number;
  private readonly maxSegments: number;

  constructor(
    private readonly db: ReadExecutor,
    private readonly parameters: Bm25Parameters,
    private readonly options: MemoryLexicalEngineOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 1024 ** 3;
    this.rebuildDeletedRatio = options.rebuildDeletedRatio ?? 0.25;
    this.maxSegments = options.maxSegments ?? 16;
  }

  async search(request: LexicalSearchRequest): Promise<LexicalHit[]> {
    if (request.terms.length === 0) return [];
    const filtered = hasFilters(request.filters);
    const { generation, allowed } = filtered
      ? await this.db.transaction(async (tx) => {
          await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
          return {
            generation: await readKnowledgeGeneration(tx, request.tenantId),
            allowed: await allowedChunks(tx, request.tenantId, request.filters!),
          };
        })
      : { generation: await readKnowledgeGeneration(this.db, request.tenantId), allowed: undefined };
    const entry = this.tenants.get(request.tenantId);
    if (entry?.index !== undefined && entry.index.generation === generation) {
      entry.lastUsed = Date.now();
      this.lastSource = 'memory';
      return entry.index.search({
        terms: request.terms,
        principals: request.principals,
        allowed,
        limit: request.limit,
      });
    }
    void this.refresh(request.tenantId).catch(() => {});
    this.lastSource = 'sql';
    return searchBm25(this.db, request, this.parameters);
  }

  /**
   * Brings a tenant's index to the current generation and waits for it (tests, benchmarks, warm-up);
   * returns its statistics, or undefined when it does not fit the memory budget (SQL serves it).
   */
  async warm(tenantId: string): Promise<LexicalIndexStats | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.refresh(tenantId, true);
      const index = this.tenants.get(tenantId)?.index;
      if (index === undefined) return undefined;
      if (index.generation === (await readKnowledgeGeneration(this.db, tenantId))) return index.stats();
    }
    throw new Error(`the lexical index of ${tenantId} could not catch up with its writers`);
  }

  /** The tenant's index as held (whatever its generation), for benchmarks and diagnostics. */
  heldIndex(tenantId: string): LexicalIndex | undefined {
    return this.tenants.get(tenantId)?.index;
  }

  /** Statistics of every tenant's index held. */
  stats(): Map<string, LexicalIndexStats> {
    const result = new Map<string, LexicalIndexStats>();
    for (const [tenantId, entry] of this.tenants) if (entry.index) result.set(tenantId, entry.index.stats());
    return result;
  }

  /** Refreshes once (single flight per tenant); a failure is logged and retried later. */
  private refresh(tenantId: string, force = false): Promise<void> {
    let entry = this.tenants.get(tenantId);
    if (entry === undefined) {
      entry = { lastUsed: Date.now() };
      this.tenants.set(tenantId, entry);
    }
    if (entry.refreshing) return entry.refreshing;
    if (!force && entry.failedAt !== undefined && Date.now() - entry.failedAt < RETRY_AFTER_MS) {
      return Promise.resolve();
    }
    const current = entry;
    current.refreshing = this.doRefresh(tenantId, current)
      .then(() => {
        current.failedAt = undefined;
        this.evict();
      })
      .catch((error: unknown) => {
        current.failedAt = Date.now();
        this.options.logger?.warn(
          { err: error, tenantId },
          'lexical index refresh failed; SQL serves lexical search',
        );
        throw error;
      })
      .finally(() => {
        current.refreshing = undefined;
      });
    return current.refreshing;
  }

  /** Refreshing mutates the index only in its final, synchronous commit. */
  private async doRefresh(tenantId: string, entry: TenantEntry): Promise<void> {
    const index = entry.index;
    if (
      index !== undefined &&
      index.shape.segments < this.maxSegments &&
      index.shape.deletedRatio < this.rebuildDeletedRatio
    ) {
      await refreshLexicalIndex(this.db, tenantId, index);
      return;
    }
    const started = performance.now();
    let lastReport = started;
    const built = await buildLexicalIndex(this.db, tenantId, this.parameters, (postings) => {
      if (performance.now() - lastReport < 5000) return;
      lastReport = performance.now();
      this.options.logger?.info({ tenantId, postings }, 'building the lexical index');
    });
    entry.index = built;
    const stats = built.stats();
    this.options.logger?.info(
      { tenantId, ...stats, ms: Math.round(performance.now() - started) },
      'lexical index built',
    );
  }

  private evict(): void {
    let total = 0;
    const held = [...this.tenants].filter(([, entry]) => entry.index !== undefined);
    for (const [, entry] of held) total += entry.index!.stats().memoryBytes;
    held.sort(([, left], [, right]) => left.lastUsed - right.lastUsed);
    for (const [tenantId, entry] of held) {
      if (total <= this.maxBytes) break;
      total -= entry.index!.stats().memoryBytes;
      entry.index = undefined;
      // Not rebuilt on its next query: a tenant too large for the budget would otherwise be rebuilt
      // (and dropped again) on every one.
      entry.failedAt = Date.now();
      this.options.logger?.info({ tenantId }, 'lexical index dropped to stay within its memory budget');
    }
  }
}

function hasFilters(filters: RetrievalFilters | undefined): boolean {
  if (filters === undefined) return false;
  return (
    filters.documentIds !== undefined ||
    filters.uriPrefix !== undefined ||
    (filters.metadata !== undefined && Object.keys(filters.metadata).length > 0) ||
    (filters.mediaTypes !== undefined && filters.mediaTypes.length > 0)
  );
}

/** Chunk ids the filters allow (access is checked by the index itself). */
async function allowedChunks(
  tx: SqlExecutor,
  tenantId: string,
  filters: RetrievalFilters,
): Promise<number[]> {
  const params = new SqlParams();
  const tenant = params.add(tenantId);
  const filter = buildFilterSql(params, tenant, 'c.acl_set_id', undefined, filters);
  const join = filter.needsDocuments ? ' JOIN documents d ON d.id = c.document_id' : '';
  const { rows } = await tx.query<{ id: number }>(
    `SELECT c.id FROM chunks c${join} WHERE c.tenant_id = ${tenant} AND ${filter.conditions.join(' AND ')}`,
    params.values,
  );
  return rows.map((row) => Number(row.id));
}
