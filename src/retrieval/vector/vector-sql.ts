/**
 * @module retrieval/vector/vector-sql
 * Cosine nearest neighbours over one embedding model's vectors through its partial HNSW index.
 *
 * Filters (tenant, ACL, metadata) run inside the query. An HNSW scan yields only `ef_search`
 * candidates before filtering, so a selective filter can starve it: with pgvector ≥ 0.8 the scan is
 * iterative and keeps going; on older servers, a short result falls back to an exact scan, which is
 * cheap precisely when the filter is selective.
 */
import type { RetrievalFilters } from '../../spec/retrieval.ts';
import type { Database, ReadExecutor, SqlExecutor } from '../../store/database.ts';
import { toVectorLiteral } from '../../store/database.ts';
import { SqlParams } from '../../store/sql.ts';
import { buildFilterSql, filterJoins } from '../filters.ts';

/** A vector hit; `similarity` is cosine similarity in [-1, 1]. */
export interface VectorHit {
  readonly chunkId: number;
  readonly similarity: number;
}

/** Which model's vectors to search. */
export interface VectorSpace {
  readonly modelId: number;
  readonly dimensions: number;
}

/** Runs a nearest-neighbour query. */
export async function searchVectors(
  db: Pick<Database, 'capabilities'> & ReadExecutor,
  space: VectorSpace,
  query: {
    tenantId: string;
    vector: ArrayLike<number>;
    principals?: readonly string[];
    filters?: RetrievalFilters;
    limit: number;
  },
  efSearch: number,
): Promise<VectorHit[]> {
  const run = (tx: SqlExecutor, exact: boolean) => {
    const params = new SqlParams();
    const tenant = params.add(query.tenantId);
    const vector = params.add(toVectorLiteral(query.vector));
    const filter = buildFilterSql(params, tenant, 'v.acl_set_id', query.principals, query.filters);
    const limit = params.add(query.limit);
    const dims = Math.trunc(space.dimensions);
    const distance = `v.embedding::vector(${dims}) <=> ${vector}::vector(${dims})`;
    const where = [
      `v.model_id = ${Math.trunc(space.modelId)}`,
      `v.tenant_id = ${tenant}`,
      ...filter.conditions,
    ];
    // The index path orders by the distance alone: any second sort key stops the planner from using
    // the HNSW index (it then scans and sorts every vector). The exact path adds "+ 0", which hides the
    // expression from index matching, and breaks ties by id.
    return tx.query<VectorHit>(
      `SELECT v.chunk_id AS "chunkId", (1 - (${distance}))::float8 AS similarity
       FROM chunk_vectors v${filterJoins(filter, 'v.chunk_id')}
       WHERE ${where.join(' AND ')}
       ORDER BY ${exact ? `(${distance}) + 0, v.chunk_id` : distance}
       LIMIT ${limit}`,
      params.values,
    );
  };
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL hnsw.ef_search = ${Math.max(Math.trunc(efSearch), query.limit)}`);
    if (db.capabilities.hnswIterativeScan) await tx.query(`SET LOCAL hnsw.iterative_scan = strict_order`);
    const { rows } = await run(tx, false);
    if (rows.length >= query.limit || db.capabilities.hnswIterativeScan) return rows;
    return (await run(tx, true)).rows;
  });
}
