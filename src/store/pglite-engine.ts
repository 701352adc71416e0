/**
 * @module store/pglite-engine
 * Creates the PGlite engine itself, the same way on whichever thread runs it: pgvector loaded, and
 * `bigint` (int8) parsed to `number` (ids are bigserial; below 2^53 they are exact as numbers, which
 * keeps every layer simpler).
 */
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

/** Opens PGlite in `pgDir` (`memory://` keeps everything in memory) with the vector extension. */
export async function createPgliteEngine(pgDir: string): Promise<PGlite> {
  const db = await PGlite.create(pgDir, {
    extensions: { vector },
    parsers: { [types.INT8]: (value: string) => Number(value) },
  });
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
