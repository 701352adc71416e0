/**
 * The search-engine adapter (ADR 0044) beside Postgres, side by side in one run: the same chunks in a
 * Postgres server (SQL BM25 + pgvector HNSW) and synced into Elasticsearch (BM25 + HNSW kNN), the same
 * queries interleaved per query between the two retrievers, lexical / vector / hybrid p50 and p95
 * (medians over passes), the ratios, the sync throughput, and how often the two lexical top 10s agree.
 *
 *   scripts/search-engine.sh start   # prints the URL
 *   npx tsx bench/search-engine.ts --url postgres://… --search http://127.0.0.1:9200 --chunks 10000
 *
 * Chunks and vectors are made as in bench/retrieval-scale.ts (SciFact sentences with a fixed seed,
 * the deterministic 384-d test embedder); a fifth of the documents are restricted, and queries run as
 * a caller who may read the rest.
 */
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';
import { Retriever, type RetrieverSettings } from '../src/retrieval/retriever.ts';
import { createRetrievalBackends } from '../src/retrieval/search-engine/factory.ts';
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
    url: { type: 'string', default: process.env.GROUNDWORK_BENCH_DATABASE_URL },
    search: { type: 'string', default: process.env.GROUNDWORK_TEST_SEARCH_URL ?? 'http://127.0.0.1:9200' },
    chunks: { type: 'string', default: '10000' },
    passes: { type: 'string', default: '3' },
    /** Evaluate only the first n test claims (large embedded stores on a busy machine). */
    queries: { type: 'string' },
    json: { type: 'boolean', default: false },
    /** Comma-separated modes; without vector and hybrid, chunks are stored without vectors. */
    modes: { type: 'string', default: 'lexical,vector,hybrid' },
  },
});

const DIMENSIONS = 384;
const CHUNKS_PER_DOCUMENT = 10;
const TENANT = 'bench';

const sentences = scifactSentences();
const queries = scifactTestQueries(SCIFACT_DIR, values.queries ? Number(values.queries) : undefined);

const SETTINGS: RetrieverSettings = {
  k1: 0.9,
  b: 0.4,
  rrfK: 60,
  lexicalWeight: 1,
  vectorWeight: 1,
  candidates: 100,
  hnswEfSearch: 100,
};

const MODES = (values.modes ?? '').split(',') as ('lexical' | 'vector' | 'hybrid')[];
const VECTORS = MODES.some((mode) => mode !== 'lexical');

async function main() {
  const totalChunks = Number(values.chunks);
  const passes = Number(values.passes);
  const { db, drop } = await openScratchDatabase('postgres', { url: values.url });
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
        ...(VECTORS ? { embedding: hashVector(text, DIMENSIONS) } : {}),
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
      acl: documentIndex % 5 === 0 ? ['group:finance'] : ['*'],
      chunks,
      ...(VECTORS ? { embeddingModelId: modelId } : {}),
    });
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      process.stderr.write(`  loaded ${(documentIndex + 1) * CHUNKS_PER_DOCUMENT}/${totalChunks} chunks\n`);
    }
  }
  await createVectorIndex(db, modelId, DIMENSIONS);
  await db.exec('ANALYZE');
  const backends = createRetrievalBackends(db, {
    ...SETTINGS,
    searchUrl: values.search,
    searchIndexPrefix: `gwbench-${process.pid}`,
    searchTimeoutMs: 30_000,
  });
  const syncStarted = performance.now();
  const sync = await backends.searchEngine!.warm(TENANT);
  const syncSeconds = (performance.now() - syncStarted) / 1000;
  process.stderr.write(`  synced ${sync.indexed} chunks in ${syncSeconds.toFixed(0)} s\n`);

  const embedder = { model: createHashEmbedder({ dimensions: DIMENSIONS }), dimensions: DIMENSIONS, modelId };
  const engines = {
    postgres: new Retriever({ db, analyzer, embedder, settings: SETTINGS }),
    engine: new Retriever({ db, analyzer, embedder, settings: SETTINGS, ...backends }),
  };
  type Engine = keyof typeof engines;
  const latency: Record<string, { p50: number[]; p95: number[] }> = {};
  let agree = 0;
  let compared = 0;
  const principals = ['user:bench'];
  for (const mode of MODES) {
    for (const engine of Object.keys(engines) as Engine[]) {
      latency[`${engine} ${mode}`] = { p50: [], p95: [] };
      for (const query of queries.slice(0, 10))
        await engines[engine].search({ tenantId: TENANT, text: query, mode, limit: 10, principals });
    }
    for (let pass = 0; pass < passes; pass++) {
      const times: Record<Engine, number[]> = { postgres: [], engine: [] };
      for (const query of queries) {
        const ids: Partial<Record<Engine, string>> = {};
        // Interleaved per query, the order alternating, so load swings hit both alike.
        const order: Engine[] =
          times.postgres.length % 2 === 0 ? ['postgres', 'engine'] : ['engine', 'postgres'];
        for (const engine of order) {
          const started = performance.now();
          const result = await engines[engine].search({
            tenantId: TENANT,
            text: query,
            mode,
            limit: 10,
            principals,
          });
          times[engine].push(performance.now() - started);
          ids[engine] = result.chunks.map((chunk) => chunk.chunkId).join(',');
        }
        if (mode === 'lexical' && pass === 0) {
          compared++;
          if (ids.postgres === ids.engine) agree++;
        }
      }
      for (const engine of Object.keys(engines) as Engine[]) {
        latency[`${engine} ${mode}`]!.p50.push(percentile(times[engine], 50));
        latency[`${engine} ${mode}`]!.p95.push(percentile(times[engine], 95));
      }
      process.stderr.write(
        `  ${mode} pass ${pass + 1}/${passes}: postgres p50 ${percentile(times.postgres, 50).toFixed(1)} ms, engine p50 ${percentile(times.engine, 50).toFixed(1)} ms\n`,
      );
    }
  }
  const summary = Object.fromEntries(
    Object.entries(latency).map(([key, sample]) => [
      key,
      { p50: round(median(sample.p50)), p95: round(median(sample.p95)) },
    ]),
  );
  const ratios = Object.fromEntries(
    MODES.map((mode) => [mode, round(summary[`postgres ${mode}`]!.p50 / summary[`engine ${mode}`]!.p50)]),
  );
  const report = {
    machine: describeMachine(),
    backend: `Postgres ${db.capabilities.serverVersion}, pgvector ${db.capabilities.pgvectorVersion}; Elasticsearch at ${values.search}`,
    chunks: documents * CHUNKS_PER_DOCUMENT,
    sync: { seconds: round(syncSeconds), chunksPerSecond: round(sync.indexed / syncSeconds) },
    queries: queries.length,
    passes,
    latencyMs: summary,
    postgresOverEngineP50: ratios,
    lexicalTop10Identical: `${agree}/${compared}`,
  };
  const client = backends.searchEngine!.client;
  const names = await client.request<{ index: string }[]>(
    'GET',
    `/_cat/indices/gwbench-${process.pid}-*?format=json`,
  );
  for (const row of names ?? [])
    await client.request('DELETE', `/${row.index}`, { allow: [404], write: true });
  await drop();
  process.stdout.write(`${JSON.stringify(report, null, values.json ? undefined : 2)}\n`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
