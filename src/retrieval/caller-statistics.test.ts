/**
 * What a caller may not read must not move that caller's results (ADR 0064). Property: for a caller,
 * searching a tenant that also holds documents the caller may not read gives exactly the results
 * (order, scores, snippets) of a tenant holding only what the caller may read; and adding, changing,
 * re-permissioning (in place, as a re-ingest does) or removing unreadable documents, or making a
 * readable one unreadable, changes nothing but that. Lexical, vector and hybrid.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetrievalMode, RetrievedChunk } from '../spec/retrieval.ts';
import type { Database } from '../store/database.ts';
import { updateDocumentAttributes } from '../store/document-attributes.ts';
import {
  deleteDocuments,
  dropVectorIndex,
  ensureEmbeddingModel,
  ensureTenant,
  replaceDocument,
} from '../store/documents.ts';
import { testBackends } from '../testing/databases.ts';
import { createHashEmbedder, hashVector } from '../testing/hash-embedder.ts';
import { createAnalyzer } from './lexical/analyzer.ts';
import { Retriever } from './retriever.ts';

const DIMENSIONS = 32;
const WORDS = [
  'router',
  'reset',
  'light',
  'blinking',
  'firmware',
  'warranty',
  'refund',
  'card',
  'thermostat',
  'schedule',
  'payroll',
  'budget',
  'shipping',
  'battery',
  'the',
  'and',
];
const RESTRICTED_ACLS = [['group:a'], ['group:b'], ['user:x', 'group:b'], ['group:finance']];
const ACLS = [['*'], ...RESTRICTED_ACLS];
/** Callers and what they may read: the public caller reads `*` only. */
const CALLERS: { principals: string[]; reads: (acl: readonly string[]) => boolean }[] = [
  { principals: ['group:support'], reads: (acl) => acl.includes('*') },
  { principals: ['group:a'], reads: (acl) => acl.includes('*') || acl.includes('group:a') },
];
const MODES: RetrievalMode[] = ['lexical', 'vector', 'hybrid'];

interface Doc {
  readonly name: string;
  readonly chunks: readonly string[];
  readonly acl: readonly string[];
}

const chunkText = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 24 })
  .map((words) => words.join(' '));
const docArbitrary = fc.record({
  chunks: fc.array(chunkText, { minLength: 1, maxLength: 3 }),
  acl: fc.constantFrom(...ACLS),
});
const mutationArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('rewrite' as const),
    pick: fc.nat(),
    chunks: fc.array(chunkText, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('reacl' as const),
    pick: fc.nat(),
    acl: fc.constantFrom(...RESTRICTED_ACLS),
    // In place (a re-ingest of unchanged content) or by rewriting the document (a forced re-ingest).
    inPlace: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('add' as const),
    pick: fc.nat(),
    chunks: fc.array(chunkText, { minLength: 1, maxLength: 3 }),
    acl: fc.constantFrom(...RESTRICTED_ACLS),
  }),
  fc.record({
    kind: fc.constant('tighten' as const),
    pick: fc.nat(),
    acl: fc.constantFrom(...RESTRICTED_ACLS),
  }),
);
const queryArbitrary = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 })
  .map((words) => words.join(' '));

for (const backend of testBackends()) {
  describe(`per-caller retrieval statistics on ${backend.name}`, () => {
    let db: Database;
    let retriever: Retriever;
    let modelId: number;
    let tenants = 0;
    const analyzer = createAnalyzer();

    beforeAll(async () => {
      db = await backend.open();
      modelId = await ensureEmbeddingModel(db, `test:hash-${DIMENSIONS}`, DIMENSIONS);
      // Exact vector search: HNSW is approximate, and its misses are not what this property is about.
      await dropVectorIndex(db, modelId);
      retriever = new Retriever({
        db,
        analyzer,
        embedder: { model: createHashEmbedder({ dimensions: DIMENSIONS }), dimensions: DIMENSIONS, modelId },
        settings: {
          k1: 0.9,
          b: 0.4,
          rrfK: 60,
          lexicalWeight: 1,
          vectorWeight: 1,
          candidates: 10,
          hnswEfSearch: 100,
        },
      });
    }, 60_000);
    afterAll(async () => {
      await db?.close();
    });

    const store = async (tenantId: string, doc: Doc) => {
      // A unique word per chunk keeps two chunks from ever having the same vector (ties in cosine
      // similarity have no defined order in the HNSW-shaped query).
      const texts = doc.chunks.map((text, ordinal) => `${text} ${doc.name}x${ordinal}`);
      await replaceDocument(db, {
        tenantId,
        uri: doc.name,
        originUri: doc.name,
        mediaType: 'text/plain',
        contentHash: JSON.stringify(doc.chunks),
        pipelineHash: 'test',
        metadata: {},
        acl: doc.acl,
        embeddingModelId: modelId,
        chunks: texts.map((text, ordinal) => {
          const { frequencies, length } = analyzer.termFrequencies(text);
          return {
            ordinal,
            text,
            headingPath: [],
            tokenCount: length,
            termFrequencies: frequencies,
            lexicalLength: length,
            embedding: hashVector(text, DIMENSIONS),
          };
        }),
      });
    };
    /** An in-place ACL change, as a re-ingest of unchanged content makes it. */
    const reacl = async (tenantId: string, doc: Doc, before: Doc) => {
      const { rows } = await db.query<{ id: string }>(
        'SELECT id::text FROM documents WHERE tenant_id = $1 AND uri = $2',
        [tenantId, doc.name],
      );
      const change = await updateDocumentAttributes(db, tenantId, Number(rows[0]?.id), {
        acl: doc.acl,
        metadata: {},
        derivedMetadata: {},
      });
      const key = (acl: readonly string[]) => [...acl].sort().join(' ');
      expect(change).toEqual({ access: key(doc.acl) !== key(before.acl), metadata: false });
    };
    const remove = async (tenantId: string, name: string) => {
      const { rows } = await db.query<{ id: number }>(
        'SELECT id FROM documents WHERE tenant_id = $1 AND uri = $2',
        [tenantId, name],
      );
      await deleteDocuments(
        db,
        tenantId,
        rows.map((row) => Number(row.id)),
      );
    };
    const results = async (tenantId: string, principals: string[], text: string, mode: RetrievalMode) => {
      const { chunks } = await retriever.search({ tenantId, principals, text, mode, limit: 5 });
      return chunks.map((chunk: RetrievedChunk) => ({
        uri: chunk.documentUri,
        ordinal: chunk.ordinal,
        text: chunk.text,
        snippet: chunk.snippet,
        scores: chunk.scores,
      }));
    };
    const expectSame = async (full: string, only: string, principals: string[], queries: string[]) => {
      for (const query of queries) {
        for (const mode of MODES) {
          const expected = await results(only, principals, query, mode);
          expect({ query, mode, hits: await results(full, principals, query, mode) }).toEqual({
            query,
            mode,
            hits: expected,
          });
        }
      }
    };

    it('gives a caller the results of a tenant holding only what the caller may read', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(docArbitrary, { minLength: 1, maxLength: 14 }),
          fc.array(mutationArbitrary, { maxLength: 6 }),
          fc.array(queryArbitrary, { minLength: 1, maxLength: 4 }),
          fc.nat(CALLERS.length - 1),
          async (drafts, mutations, queries, callerIndex) => {
            const caller = CALLERS[callerIndex]!;
            const n = ++tenants;
            const full = `full-${n}`;
            const only = `only-${n}`;
            await ensureTenant(db, full);
            await ensureTenant(db, only);
            // The same relative order in both tenants, so chunk-id tie-breaks agree.
            let docs: Doc[] = drafts.map((draft, index) => ({ name: `d${index}`, ...draft }));
            for (const doc of docs) {
              await store(full, doc);
              if (caller.reads(doc.acl)) await store(only, doc);
            }
            await expectSame(full, only, caller.principals, queries);

            // Changes to what the caller cannot read change nothing for the caller.
            for (const [step, mutation] of mutations.entries()) {
              const unreadable = docs.filter((doc) => !caller.reads(doc.acl));
              const readable = docs.filter((doc) => caller.reads(doc.acl));
              const target = unreadable[mutation.pick % Math.max(1, unreadable.length)];
              if (mutation.kind === 'add') {
                const doc = { name: `m${step}`, chunks: mutation.chunks, acl: mutation.acl };
                if (caller.reads(doc.acl)) continue;
                await store(full, doc);
                docs = [...docs, doc];
              } else if (mutation.kind === 'tighten') {
                // A readable document becomes unreadable: it leaves the caller's world entirely.
                const doc = readable[mutation.pick % Math.max(1, readable.length)];
                if (!doc || caller.reads(mutation.acl)) continue;
                const tightened = { ...doc, acl: mutation.acl };
                await reacl(full, tightened, doc);
                await remove(only, doc.name);
                docs = docs.map((entry) => (entry === doc ? tightened : entry));
              } else if (!target) {
              } else if (mutation.kind === 'delete') {
                await remove(full, target.name);
                docs = docs.filter((doc) => doc !== target);
              } else if (mutation.kind === 'rewrite') {
                const rewritten = { ...target, chunks: mutation.chunks };
                await store(full, rewritten);
                docs = docs.map((doc) => (doc === target ? rewritten : doc));
              } else if (!caller.reads(mutation.acl)) {
                const moved = { ...target, acl: mutation.acl };
                if (mutation.inPlace) await reacl(full, moved, target);
                else await store(full, moved);
                docs = docs.map((doc) => (doc === target ? moved : doc));
              }
            }
            await expectSame(full, only, caller.principals, queries);
            // The per-set statistics the writes maintained are exactly what the chunks say.
            const { rows } = await db.query<{ wrong: number }>(
              `SELECT count(*)::int AS wrong FROM
                 (SELECT acl_set_id, count(*) FILTER (WHERE lexical_length > 0) AS n, sum(lexical_length) AS total
                  FROM chunks WHERE tenant_id = $1 GROUP BY acl_set_id
                  HAVING count(*) FILTER (WHERE lexical_length > 0) > 0) a
                 FULL JOIN (SELECT acl_set_id, chunk_count AS n, total_length AS total FROM lexical_set_stats
                            WHERE tenant_id = $1 AND chunk_count > 0) s USING (acl_set_id)
               WHERE a.n IS DISTINCT FROM s.n OR a.total IS DISTINCT FROM s.total`,
              [full],
            );
            expect(rows[0]?.wrong).toBe(0);
          },
        ),
        { numRuns: Number(process.env.PROPERTY_RUNS ?? 20) },
      );
    }, 600_000);
  });
}
