import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchBm25 } from '../retrieval/lexical/bm25-sql.ts';
import { searchVectors } from '../retrieval/vector/vector-sql.ts';
import { testBackends } from '../testing/databases.ts';
import { hashVector } from '../testing/hash-embedder.ts';
import type { Database } from './database.ts';
import {
  type ChunkWrite,
  type DocumentWrite,
  deleteDocuments,
  ensureEmbeddingModel,
  ensureTenant,
  fingerprintsByOrigin,
  replaceDocument,
} from './documents.ts';

const DIMENSIONS = 32;

function chunk(ordinal: number, text: string): ChunkWrite {
  const terms = text.toLowerCase().split(/\W+/).filter(Boolean);
  const termFrequencies = new Map<string, number>();
  for (const term of terms) termFrequencies.set(term, (termFrequencies.get(term) ?? 0) + 1);
  return {
    ordinal,
    text,
    headingPath: ['Guide', `Part ${ordinal}`],
    page: ordinal + 1,
    tokenCount: terms.length,
    termFrequencies,
    lexicalLength: terms.length,
    embedding: hashVector(text, DIMENSIONS),
  };
}

function document(
  tenantId: string,
  uri: string,
  texts: string[],
  extra: Partial<DocumentWrite> = {},
): DocumentWrite {
  return {
    tenantId,
    uri,
    originUri: uri,
    title: uri,
    mediaType: 'text/plain',
    contentHash: texts.join('|'),
    pipelineHash: 'p1',
    metadata: {},
    acl: ['*'],
    // Vectors only when the write names their model.
    chunks: texts.map((text, index) => {
      const written = chunk(index, text);
      return extra.embeddingModelId === undefined ? { ...written, embedding: undefined } : written;
    }),
    ...extra,
  };
}

async function stats(db: Database, tenantId: string) {
  const { rows } = await db.query<{ chunk_count: number; total_length: number }>(
    `SELECT coalesce(sum(chunk_count), 0)::int AS chunk_count, coalesce(sum(total_length), 0)::int AS total_length
     FROM lexical_set_stats WHERE tenant_id = $1`,
    [tenantId],
  );
  const actual = await db.query<{ count: number; total: number }>(
    'SELECT count(*)::int AS count, coalesce(sum(lexical_length), 0)::int AS total FROM chunks WHERE tenant_id = $1',
    [tenantId],
  );
  return { stored: rows[0] ?? { chunk_count: 0, total_length: 0 }, actual: actual.rows[0]! };
}

for (const backend of testBackends()) {
  describe(`store on ${backend.name}`, () => {
    let db: Database;
    let modelId: number;
    beforeAll(async () => {
      db = await backend.open();
      for (const tenant of ['t1', 't2', 't3', 't4']) await ensureTenant(db, tenant);
      modelId = await ensureEmbeddingModel(db, 'test:hash-32', DIMENSIONS);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('migrates idempotently and reports its capabilities', async () => {
      expect(db.capabilities.pgvectorVersion).toMatch(/^\d+\.\d+/);
      expect(await ensureEmbeddingModel(db, 'test:hash-32', DIMENSIONS)).toBe(modelId);
      await expect(ensureEmbeddingModel(db, 'test:hash-32', 64)).rejects.toThrow(/32 dimensions/);
    });

    it('replaces a document atomically and keeps BM25 statistics exact', async () => {
      const first = await replaceDocument(
        db,
        document('t1', 'a.txt', ['alpha beta', 'gamma delta epsilon'], { embeddingModelId: modelId }),
      );
      await replaceDocument(db, document('t1', 'b.txt', ['beta beta zeta'], { embeddingModelId: modelId }));
      let current = await stats(db, 't1');
      expect(current.stored).toEqual({ chunk_count: 3, total_length: 8 });
      const second = await replaceDocument(
        db,
        document('t1', 'a.txt', ['alpha only'], { embeddingModelId: modelId }),
      );
      expect(second).toBe(first);
      current = await stats(db, 't1');
      expect(current.stored).toEqual({
        chunk_count: current.actual.count,
        total_length: current.actual.total,
      });
      expect(current.actual).toEqual({ count: 2, total: 5 });
      const postings = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM postings WHERE tenant_id = 't1' AND term = 'gamma'`,
      );
      expect(postings.rows[0]!.n).toBe(0);
      const vectors = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM chunk_vectors WHERE tenant_id = 't1'`,
      );
      expect(vectors.rows[0]!.n).toBe(2);
    });

    it('leaves the previous version intact when a write fails midway', async () => {
      await replaceDocument(db, document('t2', 'keep.txt', ['original text stays']));
      const broken = document('t2', 'keep.txt', ['new text'], { embeddingModelId: 999_999 });
      await expect(replaceDocument(db, broken)).rejects.toThrow();
      const { rows } = await db.query<{ text: string }>(
        `SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.tenant_id = 't2' AND d.uri = 'keep.txt'`,
      );
      expect(rows.map((row) => row.text)).toEqual(['original text stays']);
      expect((await stats(db, 't2')).stored).toEqual({ chunk_count: 1, total_length: 3 });
    });

    it('writes a document of more chunks than one statement takes, whole, and rolls all of it back on failure', async () => {
      const texts = Array.from(
        { length: 1234 },
        (_, index) => `slice ${index} holds term${index % 97} words`,
      );
      await replaceDocument(db, document('t4', 'big.txt', texts, { embeddingModelId: modelId }));
      const counted = await db.query<{ chunks: number; ordinals: number; postings: number; vectors: number }>(
        `SELECT count(*)::int AS chunks, count(DISTINCT c.ordinal)::int AS ordinals,
                (SELECT count(*)::int FROM postings p WHERE p.tenant_id = 't4') AS postings,
                (SELECT count(*)::int FROM chunk_vectors v WHERE v.tenant_id = 't4') AS vectors
         FROM chunks c WHERE c.tenant_id = 't4'`,
      );
      const expectedPostings = texts.reduce(
        (sum, text) => sum + [...chunk(0, text).termFrequencies].length,
        0,
      );
      expect(counted.rows[0]).toEqual({
        chunks: 1234,
        ordinals: 1234,
        postings: expectedPostings,
        vectors: 1234,
      });
      const { stored, actual } = await stats(db, 't4');
      expect(stored).toEqual({ chunk_count: actual.count, total_length: actual.total });
      // Only the last chunk has a vector, of an unknown model: the third slice fails after two were
      // written, and nothing of the new version is kept.
      const next = document('t4', 'big.txt', [...texts, 'one more'], { embeddingModelId: 999_999 });
      const broken = {
        ...next,
        chunks: next.chunks.map((written, index) =>
          index < texts.length ? { ...written, embedding: undefined } : written,
        ),
      };
      await expect(replaceDocument(db, broken)).rejects.toThrow();
      const after = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM chunks WHERE tenant_id = 't4'`,
      );
      expect(after.rows[0]!.n).toBe(1234);
      await deleteDocuments(
        db,
        't4',
        (await fingerprintsByOrigin(db, 't4', 'big.txt')).map((fingerprint) => fingerprint.id),
      );
    });

    it('ranks with Okapi BM25 exactly as the formula says', async () => {
      const tenant = 't3';
      await replaceDocument(db, document(tenant, 'd1', ['router router firmware update']));
      await replaceDocument(db, document(tenant, 'd2', ['router reset button hold ten seconds']));
      await replaceDocument(db, document(tenant, 'd3', ['thermostat schedule heating']));
      const hits = await searchBm25(
        db,
        { tenantId: tenant, terms: ['router', 'firmware'], limit: 10 },
        { k1: 0.9, b: 0.4 },
      );
      // N = 3, lengths 4, 6, 3, avgdl = 13/3. df(router) = 2, df(firmware) = 1.
      const idf = (df: number) => Math.log(1 + (3 - df + 0.5) / (df + 0.5));
      const weight = (tf: number, length: number) =>
        (tf * 1.9) / (tf + 0.9 * (1 - 0.4 + (0.4 * length) / (13 / 3)));
      const expectedD1 = idf(2) * weight(2, 4) + idf(1) * weight(1, 4);
      const expectedD2 = idf(2) * weight(1, 6);
      expect(hits).toHaveLength(2);
      expect(hits[0]!.score).toBeCloseTo(expectedD1, 9);
      expect(hits[1]!.score).toBeCloseTo(expectedD2, 9);
      // A repeated query term counts twice, as in Lucene's boolean query.
      const doubled = await searchBm25(
        db,
        { tenantId: tenant, terms: ['firmware', 'firmware'], limit: 1 },
        { k1: 0.9, b: 0.4 },
      );
      expect(doubled[0]!.score).toBeCloseTo(2 * idf(1) * weight(1, 4), 9);
    });

    it('never returns another tenant’s chunks or a chunk the caller may not read', async () => {
      const tenant = 't4';
      await replaceDocument(
        db,
        document(tenant, 'public', ['shared secret handshake'], { embeddingModelId: modelId }),
      );
      await replaceDocument(db, {
        ...document(tenant, 'private', ['secret handshake for staff'], { embeddingModelId: modelId }),
        acl: ['group:staff'],
      });
      await replaceDocument(
        db,
        document('t1', 'other-tenant', ['secret handshake elsewhere'], { embeddingModelId: modelId }),
      );
      const uris = async (principals?: string[]) => {
        const lexical = await searchBm25(
          db,
          { tenantId: tenant, terms: ['secret', 'handshake'], principals, limit: 10 },
          { k1: 0.9, b: 0.4 },
        );
        const vector = await searchVectors(
          db,
          { modelId, dimensions: DIMENSIONS },
          { tenantId: tenant, vector: hashVector('secret handshake', DIMENSIONS), principals, limit: 10 },
          40,
        );
        const ids = [...lexical.map((hit) => hit.chunkId), ...vector.map((hit) => hit.chunkId)];
        const { rows } = await db.query<{ uri: string }>(
          'SELECT DISTINCT d.uri FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ANY($1::bigint[]) ORDER BY 1',
          [ids],
        );
        return rows.map((row) => row.uri);
      };
      expect(await uris(['user:bob'])).toEqual(['public']);
      expect(await uris(['user:alice', 'group:staff'])).toEqual(['private', 'public']);
      expect(await uris(undefined)).toEqual(['private', 'public']);
    });

    it('finds nearest vectors by cosine similarity, also when a filter is selective', async () => {
      const tenant = 'vec';
      await ensureTenant(db, tenant);
      const texts = Array.from({ length: 60 }, (_, index) => `device ${index} manual chapter ${index % 7}`);
      for (let index = 0; index < texts.length; index++) {
        await replaceDocument(db, {
          ...document(tenant, `doc-${index}`, [texts[index]!], { embeddingModelId: modelId }),
          acl: index === 59 ? ['user:only'] : ['*'],
        });
      }
      const query = hashVector(texts[17]!, DIMENSIONS);
      const hits = await searchVectors(
        db,
        { modelId, dimensions: DIMENSIONS },
        { tenantId: tenant, vector: query, limit: 5 },
        40,
      );
      expect(hits).toHaveLength(5);
      expect(hits[0]!.similarity).toBeCloseTo(1, 5);
      for (let index = 1; index < hits.length; index++)
        expect(hits[index - 1]!.similarity).toBeGreaterThanOrEqual(hits[index]!.similarity);
      // Only one document is visible to this principal beyond public ones: a selective ACL must still fill results.
      const restricted = await searchVectors(
        db,
        { modelId, dimensions: DIMENSIONS },
        {
          tenantId: tenant,
          vector: hashVector(texts[59]!, DIMENSIONS),
          principals: ['user:only'],
          limit: 3,
          filters: { uriPrefix: 'doc-59' },
        },
        40,
      );
      expect(restricted).toHaveLength(1);
    });

    it('deletes documents with everything derived from them', async () => {
      const tenant = 'del';
      await ensureTenant(db, tenant);
      const id = await replaceDocument(
        db,
        document(tenant, 'gone', ['to be removed'], { embeddingModelId: modelId }),
      );
      await replaceDocument(db, document(tenant, 'stays', ['this remains']));
      expect(await deleteDocuments(db, 'other', [id])).toBe(0);
      expect(await deleteDocuments(db, tenant, [id])).toBe(1);
      expect(await fingerprintsByOrigin(db, tenant, 'gone')).toEqual([]);
      const current = await stats(db, tenant);
      expect(current.stored).toEqual({ chunk_count: 1, total_length: 2 });
      const orphans = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM postings WHERE tenant_id = $1 AND term = 'removed')::int +
                (SELECT count(*) FROM chunk_vectors WHERE tenant_id = $1)::int AS n`,
        [tenant],
      );
      expect(orphans.rows[0]!.n).toBe(0);
    });
  });
}
