/**
 * @module retrieval/chunk-details
 * What a retrieved chunk is shown with (its document's URI, title and metadata, its heading path,
 * page and text), read by id after ranking, or in the ranking statement itself (vector search).
 */
import type { RetrievedChunk } from '../spec/retrieval.ts';
import type { SqlExecutor } from '../store/database.ts';

/** A chunk's details, without the per-query snippet and scores. */
export type ChunkDetail = Omit<RetrievedChunk, 'snippet' | 'scores'>;

/** The select list of a {@link ChunkDetail}, from chunks aliased `c` and documents aliased `d`. */
export function chunkDetailColumns(c: string, d: string): string {
  return `${c}.document_id AS "documentId", ${d}.uri AS "documentUri", ${d}.origin_uri AS "originUri",
            ${d}.title, ${c}.ordinal, ${c}.heading_path AS "headingPath", ${c}.page, ${c}.text, ${d}.metadata`;
}

/** Reads the details of the tenant's chunks with these ids (those that still exist). */
export async function readChunkDetails(
  db: SqlExecutor,
  tenantId: string,
  ids: readonly number[],
): Promise<Map<number, ChunkDetail>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<ChunkDetail>(
    `SELECT c.id AS "chunkId", ${chunkDetailColumns('c', 'd')}
     FROM chunks c JOIN documents d ON d.id = c.document_id
     WHERE c.tenant_id = $1 AND c.id = ANY($2::bigint[])`,
    [tenantId, ids],
  );
  return new Map(rows.map((row) => [Number(row.chunkId), { ...row, chunkId: Number(row.chunkId) }]));
}
