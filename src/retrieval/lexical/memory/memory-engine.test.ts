/**
 * The `memory` lexical engine against the SQL reference (`searchBm25`) on PGlite and the Postgres
 * server: SciFact with restricted documents, filters and callers; then random corpora, ACLs and
 * mutations (additions, rewrites, deletions, in-place access changes), where the engine must answer
 * from SQL while its index is stale and, once refreshed, give the SQL's top k up to ties.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../store/database.ts';
import { updateDocumentAttributes } from '../../../store/document-attributes.ts';
import { deleteDocuments, ensureTenant, replaceDocument } from '../../../store/documents.ts';
import { readKnowledgeGeneration } from '../../../store/knowledge-generation.ts';
import { testBackends } from '../../../testing/databases.ts';
import { topKDifference } from '../../../testing/same-top-k.ts';
import { Retriever } from '../../retriever.ts';
import { createAnalyzer } from '../analyzer.ts';
import { searchBm25 } from '../bm25-sql.ts';
import { MemoryLexicalEngine } from './memory-engine.ts';

const PARAMETERS = { k1: 0.9, b: 0.4 };
const scifact = path.resolve(import.meta.dirname, '../../../../../shared/data/scifact');
const corpus = readFileSync(path.join(scifact, 'corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 500)
  .map((line) => JSON.parse(line) as { _id: string; title: string; text: string });
const claims = readFileSync(path.join(scifact, 'queries.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 60)
  .map((line) => (JSON.parse(line) as { text: string }).text);
// Bad input: one stop word, only unknown terms, another script, 500 terms, a term in every chunk.
const ODD_QUERIES = [
  'the',
  'zzqx qqvv',
  'Аспирин снижает риск инфаркта',
  '阿司匹林 心脏病',
  Array.from({ length: 500 }, (_, index) => claims[index % claims.length]!.split(' ')[index % 5]).join(' '),
  'ARTFAKE',
];

const analyzer = createAnalyzer();

async function store(
  db: Database,
  tenantId: string,
  uri: string,
  texts: readonly string[],
  acl: readonly string[],
) {
  return replaceDocument(db, {
    tenantId,
    uri,
    originUri: uri,
    mediaType: 'text/plain',
    contentHash: JSON.stringify(texts),
    pipelineHash: analyzer.name,
    metadata: { topic: uri.length % 2 === 0 ? 'even' : 'odd' },
    acl,
    chunks: texts.map((text, ordinal) => {
      const { frequencies, length } = analyzer.termFrequencies(text);
      return {
        ordinal,
        text,
        headingPath: [],
        tokenCount: length,
        termFrequencies: frequencies,
        lexicalLength: length,
      };
    }),
  });
}

for (const backend of testBackends()) {
  describe(`memory lexical engine on ${backend.name}`, () => {
    let db: Database;

    beforeAll(async () => {
      db = await backend.open();
    }, 60_000);
    afterAll(async () => {
      await db?.close();
    });

    /** Compares the engine with the SQL for one query; reference scores come from a deep SQL query. */
    const expectSame = async (
      engine: MemoryLexicalEngine,
      request: Parameters<typeof searchBm25>[1],
      label: string,
    ) => {
      const actual = await engine.search(request);
      expect(engine.lastSource, label).toBe('memory');
      const expected = await searchBm25(db, request, PARAMETERS);
      const deep = await searchBm25(db, { ...request, limit: 100_000 }, PARAMETERS);
      const reference = new Map(deep.map((hit) => [hit.chunkId, hit.score]));
      expect(topKDifference(actual, expected, reference), label).toBeUndefined();
      // Both sum a chunk's score in query-term order with the same operations: equal to the bit.
      expect(actual, label).toEqual(expected);
    };

    it('ranks SciFact like the SQL for every caller, with filters and bad input', async () => {
      const tenantId = 'scifact';
      await ensureTenant(db, tenantId);
      const documentIds: number[] = [];
      for (const [position, document] of corpus.entries()) {
        // A fifth is finance-only; a document of two chunks gives the index several chunks per document.
        const acl = position % 5 === 0 ? ['group:finance'] : ['*'];
        const sentences = `${document.title}. ${document.text}`.split(/(?<=\.)\s+/);
        const half = Math.ceil(sentences.length / 2);
        const texts = [sentences.slice(0, half).join(' '), sentences.slice(half).join(' ')].filter(Boolean);
        documentIds.push(await store(db, tenantId, `scifact/${document._id}`, texts, acl));
      }
      const engine = new MemoryLexicalEngine(db.read, PARAMETERS);
      const first = await engine.search({ tenantId, terms: analyzer.terms(claims[0]!), limit: 10 });
      expect(engine.lastSource).toBe('sql');
      expect(first.length).toBe(10);
      const stats = await engine.warm(tenantId);
      expect(stats?.chunks).toBeGreaterThan(corpus.length);
      for (const [position, claim] of [...claims, ...ODD_QUERIES].entries()) {
        const terms = analyzer.terms(claim);
        for (const principals of [undefined, ['group:support'], ['group:finance', 'user:y']]) {
          const limit = position % 3 === 0 ? 100 : 10;
          await expectSame(
            engine,
            { tenantId, terms, principals, limit },
            `${claim.slice(0, 40)} ${principals}`,
          );
        }
      }
      const filters = [
        { documentIds: documentIds.slice(0, 200) },
        { uriPrefix: 'scifact/1' },
        { metadata: { topic: 'even' } },
        { mediaTypes: ['text/plain'] },
        { documentIds: [] },
      ];
      for (const filter of filters) {
        for (const claim of claims.slice(0, 10)) {
          await expectSame(
            engine,
            {
              tenantId,
              terms: analyzer.terms(claim),
              principals: ['group:support'],
              filters: filter,
              limit: 10,
            },
            `${claim.slice(0, 40)} ${JSON.stringify(filter).slice(0, 40)}`,
          );
        }
      }
      // Through the retrieval port: the setting picks the engine; results match the SQL engine's.
      const settings = {
        k1: 0.9,
        b: 0.4,
        rrfK: 60,
        lexicalWeight: 1,
        vectorWeight: 1,
        candidates: 100,
        hnswEfSearch: 100,
      };
      // The setting names `sql`; unset, it is `memory` (ADR 0043).
      const viaSql = new Retriever({ db, analyzer, settings: { ...settings, lexicalEngine: 'sql' } });
      const viaMemory = new Retriever({ db, analyzer, settings });
      expect([viaSql.lexical.name, viaMemory.lexical.name]).toEqual(['sql', 'memory']);
      await (viaMemory.lexical as MemoryLexicalEngine).warm(tenantId);
      for (const claim of claims.slice(0, 10)) {
        const query = { tenantId, text: claim, principals: ['group:support'], limit: 10 };
        const [left, right] = [await viaSql.search(query), await viaMemory.search(query)];
        expect(right.chunks.map((chunk) => chunk.scores.lexical)).toEqual(
          left.chunks.map((chunk) => expect.closeTo(chunk.scores.lexical!, 9)),
        );
      }
    }, 300_000);

    it('keeps within its memory budget: an index that does not fit is dropped and SQL answers', async () => {
      const tenantId = 'budget';
      await ensureTenant(db, tenantId);
      await store(db, tenantId, 'a', ['router reset light', 'firmware refund'], ['*']);
      const tight = new MemoryLexicalEngine(db.read, PARAMETERS, { maxBytes: 1 });
      expect(await tight.warm(tenantId)).toBeUndefined();
      const hits = await tight.search({ tenantId, terms: ['router'], limit: 5 });
      expect(tight.lastSource).toBe('sql');
      expect(hits).toEqual(await searchBm25(db, { tenantId, terms: ['router'], limit: 5 }, PARAMETERS));
      const roomy = new MemoryLexicalEngine(db.read, PARAMETERS, { maxBytes: 1 << 20 });
      expect((await roomy.warm(tenantId))?.memoryBytes).toBeLessThan(1 << 20);
      await roomy.search({ tenantId, terms: ['router'], limit: 5 });
      expect(roomy.lastSource).toBe('memory');
    });

    it('never answers from a stale index, and matches the SQL after random changes', async () => {
      const words = ['router', 'reset', 'light', 'firmware', 'refund', 'card', 'battery', 'the', 'shipping'];
      const acls = [['*'], ['group:a'], ['group:b', 'user:x'], ['group:finance']];
      const text = fc
        .array(fc.constantFrom(...words), { minLength: 1, maxLength: 16 })
        .map((list) => list.join(' '));
      const doc = fc.record({
        chunks: fc.array(text, { minLength: 1, maxLength: 3 }),
        acl: fc.constantFrom(...acls),
      });
      const mutation = fc.record({
        kind: fc.constantFrom('add', 'delete', 'rewrite', 'reacl'),
        pick: fc.nat(),
        doc,
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(doc, { minLength: 1, maxLength: 12 }),
          fc.array(fc.array(mutation, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
          fc.array(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), {
            minLength: 1,
            maxLength: 3,
          }),
          async (initial, rounds, queries) => {
            const tenantId = `random${run++}`;
            await ensureTenant(db, tenantId);
            const names: string[] = [];
            for (const [position, item] of initial.entries()) {
              names.push(`d${position}`);
              await store(db, tenantId, `d${position}`, item.chunks, item.acl);
            }
            // Small thresholds so rebuilds and incremental refreshes both happen.
            const engine = new MemoryLexicalEngine(db.read, PARAMETERS, {
              maxSegments: 3,
              rebuildDeletedRatio: 0.5,
            });
            await engine.warm(tenantId);
            const check = async () => {
              for (const terms of queries) {
                for (const principals of [undefined, ['group:a'], ['user:x'], ['nobody']]) {
                  await expectSame(
                    engine,
                    { tenantId, terms, principals, limit: 3 },
                    `${terms} ${principals}`,
                  );
                }
              }
            };
            await check();
            for (const round of rounds) {
              const before = await readKnowledgeGeneration(db, tenantId);
              for (const change of round) {
                const name = names[change.pick % names.length]!;
                if (change.kind === 'add') {
                  names.push(`d${names.length}`);
                  await store(db, tenantId, names.at(-1)!, change.doc.chunks, change.doc.acl);
                } else if (change.kind === 'rewrite') {
                  await store(db, tenantId, name, change.doc.chunks, change.doc.acl);
                } else {
                  const { rows } = await db.query<{ id: number }>(
                    'SELECT id FROM documents WHERE tenant_id = $1 AND uri = $2',
                    [tenantId, name],
                  );
                  if (rows[0] === undefined) continue;
                  if (change.kind === 'delete') await deleteDocuments(db, tenantId, [Number(rows[0].id)]);
                  else {
                    await updateDocumentAttributes(db, tenantId, Number(rows[0].id), {
                      acl: change.doc.acl,
                      metadata: {},
                      derivedMetadata: {},
                    });
                  }
                }
              }
              // Stale: the engine must answer from SQL, not from the index it holds (a round of no-ops,
              // such as deleting a deleted document, leaves the generation and the index current).
              const moved = (await readKnowledgeGeneration(db, tenantId)) !== before;
              await engine.search({ tenantId, terms: queries[0]!, limit: 3 });
              expect(engine.lastSource).toBe(moved ? 'sql' : 'memory');
              await engine.warm(tenantId);
              await check();
            }
          },
        ),
        { numRuns: backend.name === 'pglite' ? 12 : 8, seed: 37 },
      );
    }, 600_000);
  });
}
