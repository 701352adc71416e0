/**
 * A vector backfill running while a document's ACL changes must not leave a vector in the old access
 * set (it would stay readable by the old readers through vector search). Needs a Postgres server: the
 * two writers must overlap, which one PGlite connection cannot do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, SqlExecutor } from '../store/database.ts';
import { updateDocumentAttributes } from '../store/document-attributes.ts';
import { ensureEmbeddingModel, ensureTenant, replaceDocument } from '../store/documents.ts';
import { testBackends } from '../testing/databases.ts';
import { createHashEmbedder } from '../testing/hash-embedder.ts';
import { backfillVectors } from './backfill-vectors.ts';

const DIMENSIONS = 16;

/**
 * The same database, whose transactions stop before the statement `pausesBefore` matches until
 * `release` is called: the ACL change is then written but not committed.
 */
function pausingDatabase(db: Database, pausesBefore: RegExp) {
  let release!: () => void;
  let reached!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const paused = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const wrapped: Database = {
    ...db,
    transaction: (work) =>
      db.transaction((tx) => {
        const pausing: SqlExecutor = {
          ...tx,
          query: async (text, params) => {
            if (pausesBefore.test(text)) {
              reached();
              await released;
            }
            return tx.query(text, params);
          },
        };
        return work(pausing as typeof tx);
      }),
  };
  return { db: wrapped, paused, release };
}

for (const backend of testBackends().filter((candidate) => candidate.name === 'postgres')) {
  describe(`vector backfill beside an ACL change on ${backend.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it('leaves every backfilled vector in the document’s new access set', async () => {
      await ensureTenant(db, 'race');
      const modelId = await ensureEmbeddingModel(db, `test:hash-${DIMENSIONS}`, DIMENSIONS);
      const documentId = await replaceDocument(db, {
        tenantId: 'race',
        uri: 'salaries.md',
        originUri: 'salaries.md',
        mediaType: 'text/markdown',
        contentHash: 'h',
        pipelineHash: 'p',
        metadata: {},
        acl: ['*'],
        chunks: [0, 1, 2].map((ordinal) => ({
          ordinal,
          text: `salaries are paid on day ${ordinal}`,
          headingPath: [],
          tokenCount: 5,
          termFrequencies: new Map([['salari', 1]]),
          lexicalLength: 1,
        })),
      });
      const pausing = pausingDatabase(db, /^UPDATE documents SET acl/);
      const change = updateDocumentAttributes(pausing.db, 'race', Number(documentId), {
        acl: ['group:hr'],
        metadata: {},
        derivedMetadata: {},
      });
      await pausing.paused;
      // The chunks, postings and vectors are moved but not committed; the backfill starts now.
      const backfill = backfillVectors({
        db,
        tenantId: 'race',
        embedder: { model: createHashEmbedder({ dimensions: DIMENSIONS }), dimensions: DIMENSIONS, modelId },
      });
      const settled = backfill.then(() => 'done' as const);
      // Let it run until it is done or waits on a lock held by the ACL change.
      for (;;) {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if ((rows[0]?.n ?? 0) > 0) break;
        if (
          (await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 20, 'running'))])) ===
          'done'
        )
          break;
      }
      pausing.release();
      expect(await change).toEqual({ access: true, metadata: false });
      expect(await backfill).toBe(3);
      const { rows } = await db.query<{ stale: number; vectors: number }>(
        `SELECT count(*) FILTER (WHERE v.acl_set_id <> d.acl_set_id)::int AS stale, count(*)::int AS vectors
         FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id JOIN documents d ON d.id = c.document_id
         WHERE d.id = $1`,
        [documentId],
      );
      expect(rows[0]).toEqual({ stale: 0, vectors: 3 });
    });
  });
}
