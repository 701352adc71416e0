/**
 * @module store/lexical-stats
 * BM25 collection statistics (chunk count N and total analysed length) per tenant and access set,
 * moved in the same transaction as the postings they describe. A caller's statistics are the sum over
 * the sets the caller may read, so documents the caller cannot read never change the caller's scores
 * (ADR 0064).
 */
import type { SqlExecutor } from './database.ts';

/** Chunks (with at least one term) and their total analysed length. */
export interface LexicalTotals {
  readonly count: number;
  readonly length: number;
}

/** Adds `delta` to one access set's statistics; call it inside the writing transaction. */
export async function adjustLexicalStats(
  tx: SqlExecutor,
  tenantId: string,
  aclSetId: number,
  delta: LexicalTotals,
): Promise<void> {
  if (delta.count === 0 && delta.length === 0) return;
  await tx.query(
    `INSERT INTO lexical_set_stats (tenant_id, acl_set_id, chunk_count, total_length) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, acl_set_id) DO UPDATE
       SET chunk_count = lexical_set_stats.chunk_count + EXCLUDED.chunk_count,
           total_length = lexical_set_stats.total_length + EXCLUDED.total_length`,
    [tenantId, aclSetId, delta.count, delta.length],
  );
}

/**
 * Totals of a document's chunks, grouped by access set (a document's chunks share one set, but a
 * batch of documents may span several). Like Lucene, a chunk without terms is not counted in N.
 */
export async function chunkTotalsBySet(
  tx: SqlExecutor,
  documentIds: readonly number[],
): Promise<Map<number, LexicalTotals>> {
  const { rows } = await tx.query<{ aclSetId: string | number; count: number; length: number }>(
    `SELECT acl_set_id AS "aclSetId", (count(*) FILTER (WHERE lexical_length > 0))::int AS count,
            coalesce(sum(lexical_length), 0)::int AS length
     FROM chunks WHERE document_id = ANY($1::bigint[]) GROUP BY acl_set_id`,
    [documentIds],
  );
  return new Map(rows.map((row) => [Number(row.aclSetId), { count: row.count, length: row.length }]));
}
