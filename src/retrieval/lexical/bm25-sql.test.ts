import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../store/database.ts';
import { ensureTenant, replaceDocument } from '../../store/documents.ts';
import { testBackends } from '../../testing/databases.ts';
import { createAnalyzer } from './analyzer.ts';
import { searchBm25 } from './bm25-sql.ts';
import { createMemoryBm25Index } from './memory-bm25-index.ts';

// Real text: the first 400 SciFact abstracts and 40 of its claims as queries.
const scifact = path.resolve(import.meta.dirname, '../../../../shared/data/scifact');
const corpus = readFileSync(path.join(scifact, 'corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 400)
  .map((line) => JSON.parse(line) as { _id: string; title: string; text: string });
const queries = readFileSync(path.join(scifact, 'queries.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 40)
  .map((line) => (JSON.parse(line) as { text: string }).text);

for (const backend of testBackends()) {
  describe(`BM25 in SQL on ${backend.name}`, () => {
    let db: Database;
    const analyzer = createAnalyzer();
    const oracle = createMemoryBm25Index({ analyzer });
    const uriById = new Map<number, string>();

    beforeAll(async () => {
      db = await backend.open();
      await ensureTenant(db, 'bm25');
      for (const document of corpus) {
        const text = `${document.title} ${document.text}`;
        oracle.add(document._id, text);
        const { frequencies, length } = analyzer.termFrequencies(text);
        const id = await replaceDocument(db, {
          tenantId: 'bm25',
          uri: document._id,
          originUri: document._id,
          mediaType: 'text/plain',
          contentHash: document._id,
          pipelineHash: analyzer.name,
          metadata: {},
          acl: ['*'],
          chunks: [
            {
              ordinal: 0,
              text,
              headingPath: [],
              tokenCount: length,
              termFrequencies: frequencies,
              lexicalLength: length,
            },
          ],
        });
        uriById.set(id, document._id);
      }
    });
    afterAll(async () => {
      await db?.close();
    });

    it('returns the same documents with the same scores as the in-memory reference index', async () => {
      let compared = 0;
      for (const query of queries) {
        const expected = oracle.search(query, 10);
        const hits = await searchBm25(
          db,
          { tenantId: 'bm25', terms: analyzer.terms(query), limit: 10 },
          oracle.parameters,
        );
        const { rows } = await db.query<{ id: number; uri: string }>(
          'SELECT c.id, d.uri FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ANY($1::bigint[])',
          [hits.map((hit) => hit.chunkId)],
        );
        const uriByChunk = new Map(rows.map((row) => [row.id, row.uri]));
        expect(hits).toHaveLength(expected.length);
        hits.forEach((hit, index) => {
          const want = expected[index]!;
          expect(Math.abs(hit.score - want.score) / want.score).toBeLessThan(1e-9);
          // Equal scores may order differently; then the documents must at least tie.
          if (uriByChunk.get(hit.chunkId) !== want.id) {
            expect(
              expected.find((candidate) => candidate.id === uriByChunk.get(hit.chunkId))?.score,
            ).toBeCloseTo(hit.score, 9);
          }
        });
        compared += hits.length;
      }
      expect(compared).toBeGreaterThan(300);
    });
  });
}
