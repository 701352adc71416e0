import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, SqlExecutor } from '../../store/database.ts';
import {
  createVectorIndex,
  ensureEmbeddingModel,
  ensureTenant,
  replaceDocument,
} from '../../store/documents.ts';
import { testBackends } from '../../testing/databases.ts';
import { hashVector } from '../../testing/hash-embedder.ts';
import { readChunkDetails } from '../chunk-details.ts';
import { searchVectors, searchVectorsHydrated } from './vector-sql.ts';

const DIMENSIONS = 32;
const TENANT = 'vectors';

/** The database with every statement it is sent counted (a transaction counts its BEGIN and COMMIT). */
function counted(db: Database) {
  const counter = { statements: 0 };
  const wrap = (executor: SqlExecutor): SqlExecutor => ({
    query: (text, params) => {
      counter.statements++;
      return executor.query(text, params);
    },
  });
  const executor = {
    capabilities: db.capabilities,
    ...wrap(db),
    transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) => {
      counter.statements += 2;
      return db.transaction((tx) => fn(wrap(tx)));
    },
  };
  return { executor, counter };
}

/** Cosine similarity, the reference the index must agree with. */
function cosine(left: readonly number[], right: readonly number[]): number {
  let dot = 0;
  let l = 0;
  let r = 0;
  for (let index = 0; index < left.length; index++) {
    dot += left[index]! * right[index]!;
    l += left[index]! ** 2;
    r += right[index]! ** 2;
  }
  return dot / Math.sqrt(l * r);
}

for (const backend of testBackends()) {
  describe(`vector search in one statement on ${backend.name} (ADR 0043)`, () => {
    let db: Database;
    let modelId: number;
    const texts = Array.from(
      { length: 240 },
      (_, index) => `appliance ${index} service manual section ${index % 13} part ${index % 7}`,
    );
    const vectors = texts.map((text) => hashVector(text, DIMENSIONS));

    beforeAll(async () => {
      db = await backend.open();
      await ensureTenant(db, TENANT);
      modelId = await ensureEmbeddingModel(db, `test:hash-${DIMENSIONS}`, DIMENSIONS);
      for (let index = 0; index < texts.length; index++) {
        await replaceDocument(db, {
          tenantId: TENANT,
          uri: `doc-${index}`,
          originUri: `file:///manuals/doc-${index}`,
          title: `Manual ${index}`,
          mediaType: 'text/plain',
          contentHash: String(index),
          pipelineHash: 'p',
          metadata: { series: index % 2 === 0 ? 'even' : 'odd' },
          acl: index % 5 === 0 ? ['group:staff'] : ['*'],
          embeddingModelId: modelId,
          chunks: [
            {
              ordinal: 0,
              text: texts[index]!,
              headingPath: ['Manual', `Section ${index % 13}`],
              page: 1 + (index % 3),
              tokenCount: 9,
              termFrequencies: new Map([['appliance', 1]]),
              lexicalLength: 1,
              embedding: vectors[index]!,
            },
          ],
        });
      }
      await createVectorIndex(db, modelId, DIMENSIONS);
    }, 180_000);

    afterAll(async () => {
      await db?.close();
    });

    it('sends one statement, its scan settings in effect: more neighbours than the server default ef_search', async () => {
      const { executor, counter } = counted(db);
      const query = { tenantId: TENANT, vector: vectors[3]!, limit: 120 };
      // pgvector's default ef_search is 40: without the statement's own setting, an HNSW scan stops at
      // 40 rows and an exact second scan would be needed.
      const hits = await searchVectors(executor, { modelId, dimensions: DIMENSIONS }, query, 100);
      expect(counter.statements).toBe(1);
      expect(hits).toHaveLength(120);
      expect(hits[0]!.chunkId).toBeGreaterThan(0);
      expect(hits[0]!.similarity).toBeCloseTo(1, 5);
      for (let index = 1; index < hits.length; index++) {
        expect(hits[index - 1]!.similarity).toBeGreaterThanOrEqual(hits[index]!.similarity);
      }
      // The settings were transaction-local: the session keeps its defaults.
      const { rows } = await db.query<{ ef: string | null }>(
        `SELECT current_setting('hnsw.ef_search', true) AS ef`,
      );
      expect(rows[0]!.ef ?? '40').toBe('40');
    });

    it('returns the hits with their details in the same statement, equal to reading them by id', async () => {
      const { executor, counter } = counted(db);
      const query = {
        tenantId: TENANT,
        vector: vectors[10]!,
        principals: ['user:someone'],
        filters: { metadata: { series: 'even' } },
        limit: 10,
      };
      const hydrated = await searchVectorsHydrated(executor, { modelId, dimensions: DIMENSIONS }, query, 40);
      expect(counter.statements).toBe(1);
      const plain = await searchVectors(db, { modelId, dimensions: DIMENSIONS }, query, 40);
      expect(hydrated.map((hit) => hit.chunkId)).toEqual(plain.map((hit) => hit.chunkId));
      const details = await readChunkDetails(
        db,
        TENANT,
        plain.map((hit) => hit.chunkId),
      );
      for (const hit of hydrated) {
        expect(hit.detail).toEqual(details.get(hit.chunkId));
        // Filters and access apply inside the statement: even series, never a staff-only manual.
        expect(hit.detail.metadata).toEqual({ series: 'even' });
        expect(Number(hit.detail.documentUri.slice(4)) % 5).not.toBe(0);
      }
      expect(hydrated).toHaveLength(10);
    });

    it('agrees with exact cosine similarity, and fills a selective filter', async () => {
      const query = vectors[42]!;
      const hits = await searchVectors(
        db,
        { modelId, dimensions: DIMENSIONS },
        { tenantId: TENANT, vector: query, principals: ['group:staff'], limit: 10 },
        40,
      );
      const { rows } = await db.query<{ id: number; uri: string }>(
        'SELECT c.id, d.uri FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.tenant_id = $1',
        [TENANT],
      );
      const uriById = new Map(rows.map((row) => [Number(row.id), row.uri]));
      for (const hit of hits) {
        const index = Number(uriById.get(hit.chunkId)!.slice(4));
        expect(hit.similarity).toBeCloseTo(cosine(vectors[index]!, query), 5);
      }
      // 11 of 240 manuals start so, 2 of them staff-only: an HNSW scan of 10 candidates over the
      // whole tenant finds few of them, yet the result must be full.
      const selective = await searchVectors(
        db,
        { modelId, dimensions: DIMENSIONS },
        {
          tenantId: TENANT,
          vector: query,
          principals: ['user:nobody'],
          filters: { uriPrefix: 'file:///manuals/doc-23' },
          limit: 5,
        },
        10,
      );
      expect(selective).toHaveLength(5);
      for (const hit of selective) {
        const uri = uriById.get(hit.chunkId)!;
        expect(uri.startsWith('doc-23')).toBe(true);
        expect(Number(uri.slice(4)) % 5).not.toBe(0);
      }
    });
  });
}
