/**
 * Store benchmark: ingest throughput and query latency (lexical, vector, hybrid) at a given number of
 * chunks, on embedded PGlite or a Postgres server.
 *
 *   npx tsx bench/retrieval-scale.ts --backend pglite --chunks 10000
 *   npx tsx bench/retrieval-scale.ts --backend postgres --url postgres://… --chunks 100000
 *
 * Chunks are made of real sentences (SciFact abstracts, sampled with a fixed seed) so term statistics
 * look like a real corpus; vectors come from the deterministic 384-d test embedder, so this measures
 * the store, not a model. Documents hold 10 chunks each and are written through the product's own
 * `replaceDocument` (one transaction per document). The HNSW index is built after the bulk load, as
 * `groundwork ingest --bulk` does. Queries are the 300 SciFact test claims; each pass runs them all,
 * and the reported p50/p95 are the medians over passes.
 */
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';
import { Retriever } from '../src/retrieval/retriever.ts';
import type { RetrievalMode } from '../src/spec/retrieval.ts';
import {
  createVectorIndex,
  dropVectorIndex,
  ensureEmbeddingModel,
  ensureTenant,
  replaceDocument,
} from '../src/store/documents.ts';
import { createHashEmbedder, hashVector } from '../src/testing/hash-embedder.ts';
import { openScratchDatabase } from './lib/scratch-database.ts';
import { describeMachine, median, percentile, seededRandom } from './lib/stats.ts';
import { chunkTexts, SCIFACT_DIR, scifactSentences, scifactTestQueries } from './lib/synthetic-corpus.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'pglite' },
    url: { type: 'string', default: process.env.GROUNDWORK_BENCH_DATABASE_URL },
    chunks: { type: 'string', default: '10000' },
    passes: { type: 'string', default: '3' },
    /** Evaluate only the first n test claims (large embedded stores on a busy machine). */
    queries: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const DIMENSIONS = 384;
const CHUNKS_PER_DOCUMENT = 10;
const TENANT = 'bench';

const sentences = scifactSentences();
const queries = scifactTestQueries(SCIFACT_DIR, values.queries ? Number(values.queries) : undefined);

async function main() {
  const totalChunks = Number(values.chunks);
  const passes = Number(values.passes);
  const { db, drop } = await openScratchDatabase(values.backend ?? 'pglite', { url: values.url });
  const analyzer = createAnalyzer();
  await ensureTenant(db, TENANT);
  const modelId = await ensureEmbeddingModel(db, `test:hash-${DIMENSIONS}`, DIMENSIONS);
  await dropVectorIndex(db, modelId);

  const random = seededRandom(42);
  const nextText = chunkTexts(sentences, random);
  const documents = Math.ceil(totalChunks / CHUNKS_PER_DOCUMENT);
  const loadStarted = performance.now();
  let lastReport = loadStarted;
  for (let documentIndex = 0; documentIndex < documents; documentIndex++) {
    const chunks = Array.from({ length: CHUNKS_PER_DOCUMENT }, (_, ordinal) => {
      const text = nextText();
      const { frequencies, length } = analyzer.termFrequencies(text);
      return {
        ordinal,
        text,
        headingPath: [`Section ${ordinal}`],
        tokenCount: Math.round(text.length / 4),
        termFrequencies: frequencies,
        lexicalLength: length,
        embedding: hashVector(text, DIMENSIONS),
      };
    });
    await replaceDocument(db, {
      tenantId: TENANT,
      uri: `bench://doc/${documentIndex}`,
      originUri: `bench://doc/${documentIndex}`,
      title: `Document ${documentIndex}`,
      mediaType: 'text/plain',
      contentHash: String(documentIndex),
      pipelineHash: 'bench',
      metadata: {},
      acl: ['*'],
      chunks,
      embeddingModelId: modelId,
    });
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      const done = (documentIndex + 1) * CHUNKS_PER_DOCUMENT;
      process.stderr.write(
        `  loaded ${done}/${totalChunks} chunks, ${(done / ((lastReport - loadStarted) / 1000)).toFixed(0)} chunks/s\n`,
      );
    }
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  process.stderr.write(`  loaded in ${loadSeconds.toFixed(0)} s; building the HNSW index\n`);
  const indexStarted = performance.now();
  await createVectorIndex(db, modelId, DIMENSIONS);
  await db.exec('ANALYZE');
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  process.stderr.write(`  HNSW index built in ${indexSeconds.toFixed(0)} s\n`);

  const embedder = { model: createHashEmbedder({ dimensions: DIMENSIONS }), dimensions: DIMENSIONS, modelId };
  const retriever = new Retriever({
    db,
    analyzer,
    embedder,
    settings: {
      k1: 0.9,
      b: 0.4,
      rrfK: 60,
      lexicalWeight: 1,
      vectorWeight: 1,
      candidates: 100,
      hnswEfSearch: 100,
    },
  });
  const latency: Record<RetrievalMode, { p50: number[]; p95: number[] }> = {
    lexical: { p50: [], p95: [] },
    vector: { p50: [], p95: [] },
    hybrid: { p50: [], p95: [] },
  };
  for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
    for (const query of queries.slice(0, 20))
      await retriever.search({ tenantId: TENANT, text: query, mode, limit: 10 });
    for (let pass = 0; pass < passes; pass++) {
      const times: number[] = [];
      for (const query of queries) {
        const started = performance.now();
        await retriever.search({
          tenantId: TENANT,
          text: query,
          mode,
          limit: 10,
          principals: ['user:bench'],
        });
        times.push(performance.now() - started);
      }
      latency[mode].p50.push(percentile(times, 50));
      latency[mode].p95.push(percentile(times, 95));
      process.stderr.write(
        `  ${mode} pass ${pass + 1}/${passes}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms\n`,
      );
    }
  }
  const report = {
    machine: describeMachine(),
    backend: `${values.backend} (Postgres ${db.capabilities.serverVersion}, pgvector ${db.capabilities.pgvectorVersion})`,
    chunks: documents * CHUNKS_PER_DOCUMENT,
    documents,
    load: {
      seconds: round(loadSeconds),
      chunksPerSecond: round((documents * CHUNKS_PER_DOCUMENT) / loadSeconds),
      documentsPerSecond: round(documents / loadSeconds),
    },
    hnswBuildSeconds: round(indexSeconds),
    databaseBytes: await db.sizeBytes(),
    queries: queries.length,
    passes,
    latencyMs: Object.fromEntries(
      Object.entries(latency).map(([mode, sample]) => [
        mode,
        { p50: round(median(sample.p50)), p95: round(median(sample.p95)) },
      ]),
    ),
  };
  await drop();
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
