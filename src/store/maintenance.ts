/**
 * @module store/maintenance
 * Housekeeping after bulk writes. A Postgres server runs autovacuum; embedded PGlite does not, and
 * without a vacuum the postings' covering key cannot serve index-only scans (the visibility map stays
 * empty) and the planner works from stale row counts. Both made BM25 several times slower.
 */
import type { Database } from './database.ts';

/**
 * Below this many changed chunks a job only dirties a few pages; vacuuming the whole postings table
 * after every small edit (watch mode) would cost more than it saves.
 */
const VACUUM_THRESHOLD_CHUNKS = 500;

/** Vacuums and analyses the retrieval tables on PGlite after a job changed `changedChunks` chunks. */
export async function maintainAfterWrites(db: Database, changedChunks: number): Promise<void> {
  if (db.dialect !== 'pglite' || changedChunks < VACUUM_THRESHOLD_CHUNKS) return;
  await db.exec('VACUUM (ANALYZE) postings, chunks, chunk_vectors, documents');
}
