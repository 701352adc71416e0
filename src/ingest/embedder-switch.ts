/**
 * @module ingest/embedder-switch
 * Switching embedding models without a gap in vector search. The new model's vectors are computed in
 * the background (backfill-vectors.ts); until every chunk has one, queries keep being embedded with
 * the previous model and searched against its complete set of vectors, so answers do not degrade to
 * whatever part of the corpus is already re-embedded. Once the backfill has finished, search moves
 * to the new model. Documents ingested meanwhile get only new-model vectors (lexical search finds
 * them at once; vector search once the switch happens).
 */
import type { EmbedderInfo } from '../spec/embedding.ts';
import type { Database } from '../store/database.ts';
import { countChunksWithoutVectors } from './backfill-vectors.ts';

/** An embedder registered in the store. */
export type RegisteredEmbedder = EmbedderInfo & { readonly modelId: number };

/**
 * The previous model to search with while `target`'s vectors are incomplete, or undefined when the
 * target is complete or no earlier model covers more chunks. `resolve` builds an embedder from its
 * stored `provider:model` name (undefined or a throw when it cannot be built here any more, e.g. a
 * local model that was removed); such a model is passed over.
 */
export async function previousEmbedderToServe(
  db: Database,
  target: RegisteredEmbedder,
  resolve: (name: string) => EmbedderInfo | undefined,
): Promise<RegisteredEmbedder | undefined> {
  const missing = await countChunksWithoutVectors(db, target.modelId);
  if (missing === 0) return undefined;
  const { rows } = await db.query<{ id: number; name: string; dimensions: number; vectors: number }>(
    `SELECT m.id, m.name, m.dimensions,
            (SELECT count(*)::int FROM chunk_vectors v WHERE v.model_id = m.id) AS vectors
       FROM embedding_models m
      WHERE m.id <> $1
      ORDER BY vectors DESC, m.id DESC`,
    [target.modelId],
  );
  const { rows: own } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM chunk_vectors WHERE model_id = $1',
    [target.modelId],
  );
  const targetVectors = own[0]?.n ?? 0;
  for (const row of rows) {
    if (row.vectors <= targetVectors) break;
    let info: EmbedderInfo | undefined;
    try {
      info = resolve(row.name);
    } catch {
      continue;
    }
    if (info && info.dimensions === row.dimensions) return { ...info, modelId: row.id };
  }
  return undefined;
}

/** Whether every chunk has a vector of `target` (then search may switch to it). */
export async function isComplete(db: Database, target: RegisteredEmbedder): Promise<boolean> {
  return (await countChunksWithoutVectors(db, target.modelId)) === 0;
}
