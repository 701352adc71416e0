/**
 * @module retrieval/vector/vector-sql
 * Cosine nearest neighbours over one embedding model's vectors through its partial HNSW index.
 *
 * Filters (tenant, ACL, metadata) run inside the query. An HNSW scan yields only `ef_search`
 * candidates before filtering, so a selective filter can starve it: with pgvector ≥ 0.8 the scan is
 * iterative and keeps going; on older servers, a short result falls back to an exact scan, which is
 * cheap precisely when the filter is selective.
 *
 * One statement, one round trip (ADR 0043): the scan's settings are made with `set_config(…, true)`
 * (transaction-local, so the implicit transaction of the statement ends them) in a one-row subquery
 * the nearest-neighbour subquery depends on laterally, so they are in effect before the index scan
 * starts; and, when asked, the hits come back with their chunk and document details, so a vector-only
 * search needs no second statement to hydrate them.
 */
import type { RetrievalFilters } from '../../spec/retrieval.ts';
import type { Database, SqlExecutor } from '../../store/database.ts';
import { toVectorLiteral } from '../../store/database.ts';
import { SqlParams } from '../../store/sql.ts';
import { type ChunkDetail, chunkDetailColumns } from '../chunk-details.ts';
import { buildFilterSql, filterJoins } from '../filters.ts';

/** A vector hit; `similarity` is cosine similarity in [-1, 1]. */
export interface VectorHit {
  readonly chunkId: number;
  readonly similarity: number;
}

/** A vector hit with its chunk's details (`hydrate: true`). */
export type HydratedVectorHit = VectorHit & { readonly detail: ChunkDetail };

/** Which model's vectors to search. */
export interface VectorSpace {
  readonly modelId: number;
  readonly dimensions: number;
}

/** A nearest-neighbour request. */
export interface VectorQuery {
  readonly tenantId: string;
  readonly vector: ArrayLike<number>;
  readonly principals?: readonly string[];
  readonly filters?: RetrievalFilters;
  readonly limit: number;
}

type Executor = Pick<Database, 'capabilities'> & SqlExecutor;

/** Runs a nearest-neighbour query; hits best first. */
export async function searchVectors(
  db: Executor,
  space: VectorSpace,
  query: VectorQuery,
  efSearch: number,
): Promise<VectorHit[]> {
  return (await runVectorSearch(db, space, query, efSearch, false)) as VectorHit[];
}

/** {@link searchVectors}, each hit with its chunk's details, in the same single statement. */
export async function searchVectorsHydrated(
  db: Executor,
  space: VectorSpace,
  query: VectorQuery,
  efSearch: number,
): Promise<HydratedVectorHit[]> {
  return (await runVectorSearch(db, space, query, efSearch, true)) as HydratedVectorHit[];
}

type Row = { chunkId: number; similarity: number } & Partial<ChunkDetail>;

async function runVectorSearch(
  db: Executor,
  space: VectorSpace,
  query: VectorQuery,
  efSearch: number,
  hydrate: boolean,
): Promise<VectorHit[] | HydratedVectorHit[]> {
  const iterative = db.capabilities.hnswIterativeScan;
  const built = build(query);
  const run = async (exact: boolean) =>
    (
      await db.query<Row>(
        statement(space, query, built, efSearch, hydrate, iterative, exact),
        built.params.values,
      )
    ).rows;
  const rows = await run(false);
  // Before pgvector 0.8 a selective filter can starve the index scan: an exact scan fills the rest.
  const complete = rows.length >= query.limit || iterative ? rows : await run(true);
  return complete.map((row) => toHit(row, hydrate));
}

function toHit(row: Row, hydrate: boolean): VectorHit | HydratedVectorHit {
  const chunkId = Number(row.chunkId);
  if (!hydrate) return { chunkId, similarity: row.similarity };
  const { similarity, ...detail } = row;
  return { chunkId, similarity, detail: { ...(detail as ChunkDetail), chunkId } };
}

function build(query: VectorQuery) {
  const params = new SqlParams();
  const tenant = params.add(query.tenantId);
  const vector = params.add(toVectorLiteral(query.vector));
  const filter = buildFilterSql(params, tenant, 'v.acl_set_id', query.principals, query.filters);
  const limit = params.add(query.limit);
  return { params, tenant, vector, filter, limit };
}

function statement(
  space: VectorSpace,
  query: VectorQuery,
  built: ReturnType<typeof build>,
  efSearch: number,
  hydrate: boolean,
  iterative: boolean,
  exact: boolean,
): string {
  const { tenant, vector, filter, limit } = built;
  const dims = Math.trunc(space.dimensions);
  const distance = `v.embedding::vector(${dims}) <=> ${vector}::vector(${dims})`;
  const where = [
    `v.model_id = ${Math.trunc(space.modelId)}`,
    `v.tenant_id = ${tenant}`,
    ...filter.conditions,
  ];
  const ef = Math.max(Math.trunc(efSearch), query.limit);
  const settings = [`set_config('hnsw.ef_search', '${ef}', true)`];
  if (iterative) settings.push(`set_config('hnsw.iterative_scan', 'strict_order', true)`);
  // The index path orders by the distance alone: any second sort key stops the planner from using
  // the HNSW index (it then scans and sorts every vector). The exact path adds "+ 0", which hides the
  // expression from index matching, and breaks ties by id. `g.ready IS NOT NULL` makes the scan depend
  // on the settings row, so the planner cannot run the scan before the settings are made.
  const nearest = `SELECT v.chunk_id, (1 - (${distance}))::float8 AS similarity
       FROM chunk_vectors v${filterJoins(filter, 'v.chunk_id')}
       WHERE ${where.join(' AND ')} AND g.ready IS NOT NULL
       ORDER BY ${exact ? `(${distance}) + 0, v.chunk_id` : distance}
       LIMIT ${limit}`;
  const detail = hydrate ? `, ${chunkDetailColumns('hc', 'hd')}` : '';
  const join = hydrate
    ? ' JOIN chunks hc ON hc.id = n.chunk_id JOIN documents hd ON hd.id = hc.document_id'
    : '';
  return `SELECT n.chunk_id AS "chunkId", n.similarity${detail}
     FROM (SELECT concat(${settings.join(', ')}) AS ready) g
     CROSS JOIN LATERAL (${nearest}) n${join}
     ORDER BY n.similarity DESC, n.chunk_id`;
}
