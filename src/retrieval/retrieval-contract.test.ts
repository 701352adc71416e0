/**
 * The retrieval contract, run against every backend (src/testing/retrieval-backends.ts): SQL on PGlite
 * and on the Postgres server, and the search-engine adapter (ADR 0044) when
 * `GROUNDWORK_TEST_SEARCH_URL` is set. Each backend must
 * - rank lexically by BM25 over the caller's own statistics (ADR 0028): the reference here is a brute
 *   force over the store's postings, with Lucene's one-byte lengths for the search engine;
 * - apply access and every filter inside the search (metadata containment with Postgres' semantics,
 *   nested objects, arrays, numbers against strings);
 * - rank vectors by exact cosine similarity (small corpora) with the same filters;
 * - follow deletions, re-ingests, in-place access and metadata changes at once;
 * - answer bad queries (one stop word, unknown terms, another script, 500 terms) correctly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetrievalFilters } from '../spec/retrieval.ts';
import type { Database } from '../store/database.ts';
import { updateDocumentAttributes } from '../store/document-attributes.ts';
import {
  deleteDocuments,
  dropVectorIndex,
  ensureEmbeddingModel,
  ensureTenant,
  replaceDocument,
} from '../store/documents.ts';
import { createHashEmbedder, hashVector } from '../testing/hash-embedder.ts';
import { type RetrievalBackendUnderTest, retrievalBackends } from '../testing/retrieval-backends.ts';
import { createAnalyzer } from './lexical/analyzer.ts';
import { luceneDocumentLength } from './lexical/lucene-length.ts';
import { Retriever, type RetrieverSettings } from './retriever.ts';

const DIMENSIONS = 32;
const SETTINGS: RetrieverSettings = {
  k1: 0.9,
  b: 0.4,
  rrfK: 60,
  lexicalWeight: 1,
  vectorWeight: 1,
  candidates: 100,
  hnswEfSearch: 100,
};
const scifact = path.resolve(import.meta.dirname, '../../../shared/data/scifact');
const corpus = readFileSync(path.join(scifact, 'corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 120)
  .map((line) => JSON.parse(line) as { _id: string; title: string; text: string });
const claims = readFileSync(path.join(scifact, 'queries.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 24)
  .map((line) => (JSON.parse(line) as { text: string }).text);
const ODD_QUERIES = [
  'the',
  'zzqx qqvv',
  'Аспирин снижает риск инфаркта',
  Array.from({ length: 500 }, (_, index) => claims[index % claims.length]!.split(' ')[index % 7]).join(' '),
];
const ACLS = [['*'], ['*'], ['group:finance'], ['group:a', 'user:x']];
const CALLERS: (readonly string[] | undefined)[] = [
  undefined,
  ['group:support'],
  ['group:a'],
  ['user:x', 'group:finance'],
];
/** Metadata shapes whose containment differs between naive matching and jsonb. */
const METADATA = [
  { topic: 'even', level: 1, tags: ['x', 'y'], owner: { team: 'blue', site: { city: 'Oslo' } } },
  { topic: 'odd', level: '1', tags: 'x', owner: { team: 'red' } },
  { topic: 'even', level: 2, tags: [], owner: [{ team: 'blue' }, { site: 'Oslo' }], flag: true },
  { topic: 'odd', level: 1.0, tags: ['y'], flag: null },
];
const METADATA_FILTERS: Record<string, unknown>[] = [
  { topic: 'even' },
  { level: 1 },
  { level: '1' },
  { tags: ['x'] },
  { tags: 'x' },
  { tags: [] },
  { owner: { team: 'blue' } },
  { owner: { site: { city: 'Oslo' } } },
  { owner: {} },
  { owner: [{ team: 'blue' }] },
  { owner: [{ team: 'blue', site: 'Oslo' }] },
  { flag: null },
  { flag: true },
  { missing: 'x' },
];

const analyzer = createAnalyzer();

interface Hit {
  readonly chunkId: number;
  readonly score: number;
}

/** BM25 by brute force over the store's rows: the caller's own statistics, filters applied. */
async function referenceBm25(
  db: Database,
  tenantId: string,
  text: string,
  principals: readonly string[] | undefined,
  filters: RetrievalFilters | undefined,
  lucene: boolean,
): Promise<Hit[]> {
  const terms = analyzer.terms(text);
  const readable = await db.query<{ id: string; length: number; set: string }>(
    `SELECT c.id::text, c.lexical_length AS length, c.acl_set_id::text AS set FROM chunks c
     WHERE c.tenant_id = $1 AND c.lexical_length > 0 AND ($2::text[] IS NULL OR c.acl_set_id IN
       (SELECT id FROM acl_sets WHERE tenant_id = $1 AND principals && $2::text[]))`,
    [tenantId, principals === undefined ? null : ['*', ...principals]],
  );
  const allowed = new Set((await filteredChunks(db, tenantId, filters)).map(String));
  const lengths = new Map(readable.rows.map((row) => [row.id, row.length]));
  const n = readable.rows.length;
  if (n === 0 || terms.length === 0) return [];
  const avgdl = readable.rows.reduce((sum, row) => sum + row.length, 0) / n;
  const { rows: postings } = await db.query<{ term: string; chunk: string; tf: number }>(
    'SELECT term, chunk_id::text AS chunk, tf FROM postings WHERE tenant_id = $1 AND term = ANY($2::text[])',
    [tenantId, [...new Set(terms)]],
  );
  const byTerm = new Map<string, { chunk: string; tf: number }[]>();
  for (const posting of postings) {
    if (!lengths.has(posting.chunk)) continue;
    byTerm.set(posting.term, [...(byTerm.get(posting.term) ?? []), posting]);
  }
  const scores = new Map<string, number>();
  for (const term of terms) {
    const list = byTerm.get(term) ?? [];
    const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
    for (const { chunk, tf } of list) {
      if (!allowed.has(chunk)) continue;
      const raw = lengths.get(chunk)!;
      const length = lucene ? luceneDocumentLength(raw) : raw;
      const weight =
        (idf * tf * (SETTINGS.k1 + 1)) /
        (tf + SETTINGS.k1 * (1 - SETTINGS.b + (SETTINGS.b * length) / avgdl));
      scores.set(chunk, (scores.get(chunk) ?? 0) + weight);
    }
  }
  return [...scores]
    .map(([chunk, score]) => ({ chunkId: Number(chunk), score }))
    .sort((left, right) => right.score - left.score || left.chunkId - right.chunkId);
}

/** Chunk ids the filters allow, by Postgres' own semantics (jsonb containment and all). */
async function filteredChunks(db: Database, tenantId: string, filters: RetrievalFilters | undefined) {
  const { rows } = await db.query<{ id: string }>(
    `SELECT c.id::text FROM chunks c JOIN documents d ON d.id = c.document_id
     WHERE c.tenant_id = $1
       AND ($2::bigint[] IS NULL OR c.document_id = ANY($2::bigint[]))
       AND ($3::text IS NULL OR left(d.origin_uri, length($3::text)) = $3::text)
       AND ($4::jsonb IS NULL OR d.metadata @> $4::jsonb)
       AND ($5::text[] IS NULL OR d.media_type = ANY($5::text[]))`,
    [
      tenantId,
      filters?.documentIds ?? null,
      filters?.uriPrefix ?? null,
      filters?.metadata ? JSON.stringify(filters.metadata) : null,
      filters?.mediaTypes ?? null,
    ],
  );
  return rows.map((row) => Number(row.id));
}

/** Same top k up to ties: equal scores rank by rank (float32 in Lucene), every hit scored as the reference. */
function expectSameTopK(actual: readonly Hit[], reference: readonly Hit[], limit: number, label: string) {
  const expected = reference.slice(0, limit);
  const tolerance = (value: number) => 1e-5 * Math.max(1, Math.abs(value));
  expect(actual.length, label).toBe(expected.length);
  const byId = new Map(reference.map((hit) => [hit.chunkId, hit.score]));
  for (let rank = 0; rank < actual.length; rank++) {
    const hit = actual[rank]!;
    expect(Math.abs(hit.score - expected[rank]!.score), `${label} rank ${rank + 1}`).toBeLessThanOrEqual(
      tolerance(hit.score),
    );
    expect(byId.has(hit.chunkId), `${label}: chunk ${hit.chunkId} is not a hit`).toBe(true);
    expect(Math.abs(byId.get(hit.chunkId)! - hit.score), `${label} chunk ${hit.chunkId}`).toBeLessThanOrEqual(
      tolerance(hit.score),
    );
  }
  expect(new Set(actual.map((hit) => hit.chunkId)).size, label).toBe(actual.length);
}

for (const backend of retrievalBackends()) {
  describe(`retrieval contract: ${backend.name}`, () => {
    let opened: Awaited<ReturnType<RetrievalBackendUnderTest['open']>>;
    let db: Database;
    let retriever: Retriever;
    let modelId: number;
    const embedder = createHashEmbedder({ dimensions: DIMENSIONS });

    beforeAll(async () => {
      opened = await backend.open(SETTINGS);
      db = opened.db;
      modelId = await ensureEmbeddingModel(db, `test:hash-${DIMENSIONS}`, DIMENSIONS);
      // Exact search in pgvector (its HNSW is approximate; the engine's is exact on corpora this small).
      await dropVectorIndex(db, modelId);
      retriever = new Retriever({
        db,
        analyzer,
        embedder: { model: embedder, dimensions: DIMENSIONS, modelId },
        settings: SETTINGS,
        ...opened.backends,
      });
    }, 300_000);
    afterAll(async () => {
      await opened?.close();
    });

    const store = async (
      tenantId: string,
      uri: string,
      texts: readonly string[],
      acl: readonly string[],
      metadata: Record<string, unknown>,
      mediaType = 'text/plain',
    ) =>
      replaceDocument(db, {
        tenantId,
        uri,
        originUri: uri,
        mediaType,
        contentHash: JSON.stringify([texts, acl]),
        pipelineHash: analyzer.name,
        metadata,
        acl,
        embeddingModelId: modelId,
        chunks: texts.map((text, ordinal) => {
          // A word of its own keeps every chunk's vector distinct (no ties in cosine order).
          const unique = `${text} q${uri.replaceAll(/\W/g, '')}x${ordinal}`;
          const { frequencies, length } = analyzer.termFrequencies(unique);
          return {
            ordinal,
            text: unique,
            headingPath: [],
            tokenCount: length,
            termFrequencies: frequencies,
            lexicalLength: length,
            embedding: hashVector(unique, DIMENSIONS),
          };
        }),
      });

    const lexical = async (
      tenantId: string,
      text: string,
      principals: readonly string[] | undefined,
      filters: RetrievalFilters | undefined,
      limit: number,
    ) => {
      const result = await retriever.search({ tenantId, text, principals, filters, mode: 'lexical', limit });
      return result.chunks.map((chunk) => ({ chunkId: chunk.chunkId, score: chunk.scores.lexical! }));
    };

    const expectLexical = async (
      tenantId: string,
      text: string,
      principals: readonly string[] | undefined,
      filters: RetrievalFilters | undefined,
      limit = 10,
    ) => {
      const label = `${text.slice(0, 30)} ${JSON.stringify(principals)} ${JSON.stringify(filters)}`;
      const reference = await referenceBm25(db, tenantId, text, principals, filters, backend.luceneLengths);
      expectSameTopK(await lexical(tenantId, text, principals, filters, limit), reference, limit, label);
    };

    const expectVector = async (
      tenantId: string,
      text: string,
      principals: readonly string[] | undefined,
      filters: RetrievalFilters | undefined,
      limit = 5,
    ) => {
      const label = `vector ${text.slice(0, 30)} ${JSON.stringify(principals)} ${JSON.stringify(filters)}`;
      const allowed = new Set(await filteredChunks(db, tenantId, filters));
      const { rows } = await db.query<{ id: string; text: string }>(
        `SELECT c.id::text, c.text FROM chunks c WHERE c.tenant_id = $1 AND ($2::text[] IS NULL OR c.acl_set_id IN
           (SELECT id FROM acl_sets WHERE tenant_id = $1 AND principals && $2::text[]))`,
        [tenantId, principals === undefined ? null : ['*', ...principals]],
      );
      const query = hashVector(text, DIMENSIONS);
      const expected = rows
        .filter((row) => allowed.has(Number(row.id)))
        .map((row) => {
          const vector = hashVector(row.text, DIMENSIONS);
          return {
            chunkId: Number(row.id),
            score: vector.reduce((sum, value, index) => sum + value * query[index]!, 0),
          };
        })
        .sort((left, right) => right.score - left.score || left.chunkId - right.chunkId);
      const result = await retriever.search({ tenantId, text, principals, filters, mode: 'vector', limit });
      const actual = result.chunks.map((chunk) => ({ chunkId: chunk.chunkId, score: chunk.scores.vector! }));
      expectSameTopK(actual, expected, limit, label);
    };

    it('ranks by BM25 over the caller’s own statistics, access and filters inside the search', async () => {
      const tenantId = 'contract';
      await ensureTenant(db, tenantId);
      const documentIds: number[] = [];
      for (const [position, document] of corpus.entries()) {
        const sentences = `${document.title}. ${document.text}`.split(/(?<=\.)\s+/);
        const half = Math.ceil(sentences.length / 2);
        const texts = [sentences.slice(0, half).join(' '), sentences.slice(half).join(' ')].filter(Boolean);
        documentIds.push(
          await store(
            tenantId,
            `${position % 2 === 0 ? 'docs' : 'wiki'}/${document._id}`,
            texts,
            ACLS[position % ACLS.length]!,
            METADATA[position % METADATA.length]!,
            position % 3 === 0 ? 'text/markdown' : 'text/plain',
          ),
        );
      }
      await opened.warm(tenantId);
      for (const [position, claim] of [...claims, ...ODD_QUERIES].entries()) {
        for (const principals of CALLERS) {
          await expectLexical(tenantId, claim, principals, undefined, position % 4 === 0 ? 50 : 10);
        }
      }
      const filters: RetrievalFilters[] = [
        { documentIds: documentIds.slice(0, 40) },
        { documentIds: [] },
        { uriPrefix: 'wiki/' },
        { uriPrefix: 'wiki/1' },
        { mediaTypes: ['text/markdown'] },
        ...METADATA_FILTERS.map((metadata) => ({ metadata })),
        { uriPrefix: 'docs/', metadata: { topic: 'even' }, mediaTypes: ['text/plain', 'text/markdown'] },
      ];
      for (const filter of filters) {
        for (const claim of claims.slice(0, 4)) {
          await expectLexical(tenantId, claim, ['group:a'], filter, 20);
          await expectLexical(tenantId, claim, undefined, filter, 20);
        }
        await expectVector(tenantId, claims[0]!, ['group:a'], filter);
      }
      for (const claim of claims.slice(0, 6)) {
        for (const principals of CALLERS) await expectVector(tenantId, claim, principals, undefined);
      }
    }, 600_000);

    it('follows deletions, re-ingests and in-place access and metadata changes at once', async () => {
      const tenantId = 'changes';
      await ensureTenant(db, tenantId);
      const ids = new Map<string, number>();
      const texts = [
        'router reset light blinking',
        'firmware update for the router',
        'refund of a card payment',
        'battery replacement and warranty',
        'router warranty refund',
      ];
      for (const [index, text] of texts.entries()) {
        ids.set(
          `d${index}`,
          await store(tenantId, `d${index}`, [text, `${text} again`], ['*'], { n: index }),
        );
      }
      await opened.warm(tenantId);
      let deleted = false;
      const check = async () => {
        for (const query of ['router', 'refund warranty', 'battery']) {
          for (const principals of [undefined, ['group:support'], ['group:finance']]) {
            for (const filters of [undefined, { metadata: { n: 1 } }]) {
              if (backend.luceneLengths && deleted) {
                // In the engine, a deleted chunk's terms stay in the statistics until a merge drops
                // it (ADR 0044): the scores may drift for a while, never the set of chunks returned.
                const reference = await referenceBm25(db, tenantId, query, principals, filters, true);
                const actual = await lexical(tenantId, query, principals, filters, 10);
                const matching = new Set(reference.map((hit) => hit.chunkId));
                expect(actual.length).toBe(Math.min(10, reference.length));
                for (const hit of actual)
                  expect(matching.has(hit.chunkId), `${query} ${hit.chunkId}`).toBe(true);
              } else {
                await expectLexical(tenantId, query, principals, filters);
              }
            }
            await expectVector(tenantId, query, principals, undefined);
          }
        }
      };
      await check();
      deleted = true;
      // Deleted: never returned again, by any caller; no query needs a warm-up to see it.
      await deleteDocuments(db, tenantId, [ids.get('d0')!]);
      await check();
      // Re-ingested with other text: new chunks, the old ones gone.
      await store(tenantId, 'd1', ['router firmware rollback'], ['*'], { n: 1 });
      await check();
      // Tightened in place: the public caller loses it, finance keeps it, statistics follow.
      const tightened = await updateDocumentAttributes(db, tenantId, ids.get('d4')!, {
        acl: ['group:finance'],
        metadata: { n: 4 },
        derivedMetadata: {},
      });
      expect(tightened?.access).toBe(true);
      await check();
      const publicHits = await lexical(tenantId, 'router warranty refund', ['group:support'], undefined, 50);
      const d4 = await db.query<{ id: string }>('SELECT id::text FROM chunks WHERE document_id = $1', [
        ids.get('d4'),
      ]);
      expect(publicHits.map((hit) => String(hit.chunkId))).not.toContain(d4.rows[0]!.id);
      // Metadata changed in place: the filter sees the new value at once.
      await updateDocumentAttributes(db, tenantId, ids.get('d3')!, {
        acl: ['*'],
        metadata: { n: 1 },
        derivedMetadata: {},
      });
      await check();
    }, 300_000);

    it('gives a caller the same results whatever it may not read (ADR 0028)', async () => {
      const readable = ['router reset light', 'router firmware', 'card refund router', 'battery warranty'];
      const hidden = ['router router router secret', 'refund refund payroll', 'warranty router'];
      await ensureTenant(db, 'full');
      await ensureTenant(db, 'only');
      for (const [index, text] of readable.entries()) {
        await store('full', `r${index}`, [text], ['*'], {});
        await store('only', `r${index}`, [text], ['*'], {});
      }
      for (const [index, text] of hidden.entries())
        await store('full', `h${index}`, [text], ['group:finance'], {});
      await opened.warm('full');
      await opened.warm('only');
      for (const query of ['router', 'refund', 'warranty router', 'battery']) {
        const full = await lexical('full', query, ['group:support'], undefined, 10);
        const only = await lexical('only', query, ['group:support'], undefined, 10);
        expect(full.map((hit) => hit.score)).toEqual(only.map((hit) => expect.closeTo(hit.score, 9)));
        expect(full.length).toBe(only.length);
      }
    }, 300_000);
  });
}
