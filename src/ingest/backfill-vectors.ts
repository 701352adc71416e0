/**
 * @module ingest/backfill-vectors
 * Embeds stored chunks that have no vector for the current embedding model. This is what makes
 * switching embedders (or pulling the first one after a lexical-only start) cheap: the chunks, their
 * text and their postings stay; only vectors are added, from the stored text, without re-parsing or
 * re-fetching any source (uploads have no source to re-read). Vectors are written with the chunk's own
 * tenant and access set, so permissions carry over unchanged.
 *
 * Safe to run beside ingestion: a chunk deleted meanwhile is skipped (the insert joins `chunks`), a
 * vector the ingestion wrote first wins (`ON CONFLICT DO NOTHING`), and a concurrent ACL change is
 * never lost (the chunks are share-locked before their access set is copied).
 */
import type { EmbedderInfo } from '../spec/embedding.ts';
import type { Database } from '../store/database.ts';
import { toVectorLiteral } from '../store/database.ts';
import { bumpKnowledgeGeneration } from '../store/knowledge-generation.ts';
import { indexText } from './index-text.ts';
import { embedAll } from './ingest-file.ts';

export interface BackfillProgress {
  /** Chunks embedded so far. */
  readonly done: number;
  /** Chunks that lacked a vector when the backfill started. */
  readonly total: number;
}

export interface BackfillOptions {
  readonly db: Database;
  readonly embedder: EmbedderInfo & { readonly modelId: number };
  /** Chunks read and written per round trip. */
  readonly pageSize?: number;
  /** Only this tenant's chunks; all tenants when absent. */
  readonly tenantId?: string;
  readonly onProgress?: (progress: BackfillProgress) => void;
  readonly signal?: AbortSignal;
}

/** Counts chunks without a vector for the model. */
export async function countChunksWithoutVectors(
  db: Database,
  modelId: number,
  tenantId?: string,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM chunks c
      WHERE ($2::text IS NULL OR c.tenant_id = $2)
        AND NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.model_id = $1)`,
    [modelId, tenantId ?? null],
  );
  return rows[0]?.n ?? 0;
}

/** Embeds every chunk without a vector for the model; returns how many were embedded. */
export async function backfillVectors(options: BackfillOptions): Promise<number> {
  const { db, embedder } = options;
  const pageSize = options.pageSize ?? 256;
  const total = await countChunksWithoutVectors(db, embedder.modelId, options.tenantId);
  let done = 0;
  let after = 0;
  options.onProgress?.({ done, total });
  while (!options.signal?.aborted) {
    const { rows } = await db.query<{
      id: string;
      text: string;
      title: string | null;
      headingPath: string[];
    }>(
      `SELECT c.id::text AS id, c.text, d.title, c.heading_path AS "headingPath"
         FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.id > $2 AND ($3::text IS NULL OR c.tenant_id = $3)
          AND NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.model_id = $1)
        ORDER BY c.id LIMIT $4`,
      [embedder.modelId, after, options.tenantId ?? null, pageSize],
    );
    if (rows.length === 0) break;
    const vectors = await embedAll(
      embedder,
      rows.map((row) => indexText(row.title ?? undefined, row.headingPath, row.text)),
    );
    // New vectors change what vector search finds, so the tenants whose chunks gained one get a new
    // knowledge generation in the same transaction: answers cached before the page stop being served.
    await db.transaction(async (tx) => {
      // The vectors copy their chunk's access set. Share-locking the chunks first makes a concurrent
      // ACL change (store/document-attributes.ts, which locks the chunks before moving their postings
      // and vectors) either finish before the copy, which then reads its new set, or wait for this
      // transaction and then move the vectors written here too; never a vector left in the old set.
      await tx.query('SELECT 1 FROM chunks WHERE id = ANY($1::bigint[]) FOR SHARE', [
        rows.map((row) => row.id),
      ]);
      const inserted = await tx.query<{ tenantId: string }>(
        `INSERT INTO chunk_vectors (chunk_id, model_id, tenant_id, acl_set_id, embedding)
         SELECT c.id, $1, c.tenant_id, c.acl_set_id, u.e::vector
           FROM unnest($2::bigint[], $3::text[]) AS u(id, e) JOIN chunks c ON c.id = u.id
         ON CONFLICT DO NOTHING
         RETURNING tenant_id AS "tenantId"`,
        [embedder.modelId, rows.map((row) => row.id), vectors.map(toVectorLiteral)],
      );
      for (const tenantId of new Set(inserted.rows.map((row) => row.tenantId)))
        await bumpKnowledgeGeneration(tx, tenantId);
    });
    done += rows.length;
    after = Number(rows.at(-1)?.id);
    options.onProgress?.({ done, total: Math.max(total, done) });
  }
  return done;
}
