/**
 * @module retrieval/lexical/bm25-sql
 * Okapi BM25 (Lucene's formulation) computed in SQL over our postings and collection statistics, so it
 * ranks identically on PGlite and on a Postgres server. Postgres' own `ts_rank` is not BM25.
 *
 *   idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   score(d, q) = Σ_t qtf · idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·len/avgdl))
 *
 * Document frequencies are counted from the postings at query time: always exact, and no hot counter
 * rows for concurrent writers to contend on.
 */
import type { RetrievalFilters } from '../../spec/retrieval.ts';
import type { SqlExecutor } from '../../store/database.ts';
import { SqlParams } from '../../store/sql.ts';
import { buildFilterSql, filterJoins } from '../filters.ts';

/** BM25 parameters. */
export interface Bm25Parameters {
  readonly k1: number;
  readonly b: number;
}

/** A lexical hit. */
export interface LexicalHit {
  readonly chunkId: number;
  readonly score: number;
}

/** Runs a BM25 query over analysed query terms. */
export async function searchBm25(
  db: SqlExecutor,
  query: {
    tenantId: string;
    terms: readonly string[];
    principals?: readonly string[];
    filters?: RetrievalFilters;
    limit: number;
  },
  parameters: Bm25Parameters,
): Promise<LexicalHit[]> {
  if (query.terms.length === 0) return [];
  const params = new SqlParams();
  const tenant = params.add(query.tenantId);
  const terms = params.add(query.terms);
  const k1 = params.add(parameters.k1);
  const b = params.add(parameters.b);
  const filter = buildFilterSql(params, query.principals, query.filters);
  const limit = params.add(query.limit);
  const where = [`p.tenant_id = ${tenant}`, ...filter.conditions].join(' AND ');
  const sql = `
    WITH q AS (SELECT term, count(*)::float8 AS qtf FROM unnest(${terms}::text[]) AS term GROUP BY term),
    st AS (SELECT chunk_count::float8 AS n, total_length::float8 / greatest(chunk_count, 1) AS avgdl
           FROM lexical_stats WHERE tenant_id = ${tenant}),
    w AS (SELECT p.term, q.qtf * ln(1 + (st.n - count(*) + 0.5) / (count(*) + 0.5)) AS weight
          FROM postings p JOIN q ON q.term = p.term CROSS JOIN st
          WHERE p.tenant_id = ${tenant} GROUP BY p.term, q.qtf, st.n)
    SELECT p.chunk_id AS "chunkId",
           sum(w.weight * p.tf * (${k1}::float8 + 1)
               / (p.tf + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * p.length / st.avgdl)))::float8 AS score
    FROM postings p JOIN w ON w.term = p.term CROSS JOIN st${filterJoins(filter, 'p.chunk_id')}
    WHERE ${where}
    GROUP BY p.chunk_id
    ORDER BY score DESC, p.chunk_id
    LIMIT ${limit}`;
  const { rows } = await db.query<LexicalHit>(sql, params.values);
  return rows;
}
