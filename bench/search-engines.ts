/**
 * Lexical, vector and hybrid search side by side (issue 18, ADR 0043): the product's retriever (the
 * `memory` lexical engine, pgvector HNSW, fusion in the process, details hydrated) against pgvector's
 * own query on the same table, optionally the retriever of another checkout (`--base`, for before /
 * after in one run), and peers over the same chunks: tantivy (lexical), SQLite FTS5 (lexical) and
 * LanceDB (lexical, vector, hybrid) from Python.
 *
 *   npx tsx bench/search-engines.ts --backend pglite --chunks 10000
 *   npx tsx bench/search-engines.ts --backend postgres --url postgres://… --chunks 100000 \
 *     --tantivy /var/cache/groundwork/tantivy-venv/bin/python --peers /path/to/venv/bin/python \
 *     --base /tmp/base-hybrid
 *
 * The corpus is lexical-engines.ts's (SciFact sentences resampled with a fixed seed, 4–8 per chunk,
 * 10 chunks per document, a fifth of the documents readable by `group:finance` only), bulk-loaded with
 * set-based SQL, plus a 384-d vector per chunk from the deterministic test embedder (so this measures
 * the engines, not a model) under an HNSW index. Queries: the 300 SciFact test claims as a restricted
 * caller (`user:bench`: ACLs inside every query); the peers have no ACLs and run unrestricted. Every
 * engine runs each query in turn (interleaved), p50/p95 are medians over passes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';
import type { MemoryLexicalEngine } from '../src/retrieval/lexical/memory/memory-engine.ts';
import { Retriever } from '../src/retrieval/retriever.ts';
import type { RetrievalQuery } from '../src/spec/retrieval.ts';
import { toVectorLiteral } from '../src/store/database.ts';
import { createVectorIndex, ensureEmbeddingModel } from '../src/store/documents.ts';
import { createHashEmbedder, hashVector } from '../src/testing/hash-embedder.ts';
import { openScratchDatabase } from './lib/scratch-database.ts';
import { describeMachine, median, percentile } from './lib/stats.ts';
import {
  bulkLoadSynthetic,
  SCIFACT_DIR,
  scifactSentences,
  scifactTestQueries,
} from './lib/synthetic-corpus.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'pglite' },
    url: { type: 'string', default: process.env.GROUNDWORK_BENCH_DATABASE_URL },
    chunks: { type: 'string', default: '10000' },
    passes: { type: 'string', default: '3' },
    queries: { type: 'string' },
    tantivy: { type: 'string' },
    peers: { type: 'string' },
    base: { type: 'string' },
  },
});

const DIMENSIONS = 384;
const CHUNKS_PER_DOCUMENT = 10;
const TENANT = 'bench';
const EF_SEARCH = 100;
const SETTINGS = {
  k1: 0.9,
  b: 0.4,
  rrfK: 60,
  lexicalWeight: 1,
  vectorWeight: 1,
  candidates: 100,
  hnswEfSearch: EF_SEARCH,
  lexicalEngine: 'memory' as const,
};
const analyzer = createAnalyzer();

const sentences = scifactSentences();
const claims = scifactTestQueries(SCIFACT_DIR, values.queries ? Number(values.queries) : undefined);

type Db = Awaited<ReturnType<typeof openScratchDatabase>>['db'];
type Search = (query: RetrievalQuery) => Promise<unknown>;

async function main() {
  const passes = Number(values.passes);
  const { db, drop, url } = await openScratchDatabase(values.backend ?? 'pglite', { url: values.url });
  const closers: (() => Promise<void>)[] = [];
  try {
    const modelId = await ensureEmbeddingModel(db, `test:hash-${DIMENSIONS}`, DIMENSIONS);
    const load = await bulkLoadSynthetic(db, {
      tenant: TENANT,
      totalChunks: Number(values.chunks),
      chunksPerDocument: CHUNKS_PER_DOCUMENT,
      sentences,
      analyzer,
      vectors: { modelId, dimensions: DIMENSIONS },
    });
    process.stderr.write(`  loaded ${load.chunks} chunks in ${load.seconds.toFixed(0)} s; building HNSW\n`);
    let started = performance.now();
    await createVectorIndex(db, modelId, DIMENSIONS);
    await db.exec('ANALYZE');
    const hnswSeconds = (performance.now() - started) / 1000;
    process.stderr.write(`  HNSW built in ${hnswSeconds.toFixed(0)} s\n`);

    const embedder = {
      model: createHashEmbedder({ dimensions: DIMENSIONS }),
      dimensions: DIMENSIONS,
      modelId,
    };
    const retriever = new Retriever({ db, analyzer, embedder, settings: SETTINGS });
    started = performance.now();
    await (retriever.lexical as MemoryLexicalEngine).warm(TENANT);
    const lexicalBuildSeconds = (performance.now() - started) / 1000;
    const engines: Record<string, Search> = {};
    // Where a search's time goes, per mode (the retriever's own timings, medians over all runs).
    const phases: Record<
      string,
      { lexicalMs: number[]; embedMs: number[]; vectorMs: number[]; totalMs: number[] }
    > = {};
    for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
      phases[mode] = { lexicalMs: [], embedMs: [], vectorMs: [], totalMs: [] };
      engines[mode] = async (query) => {
        const result = await retriever.search({ ...query, mode });
        for (const key of ['lexicalMs', 'embedMs', 'vectorMs', 'totalMs'] as const) {
          phases[mode]![key].push(result.timings[key]);
        }
        return result;
      };
    }
    if (values.base) {
      const module = (await import(path.join(path.resolve(values.base), 'src/retrieval/retriever.ts'))) as {
        Retriever: typeof Retriever;
      };
      const base = new module.Retriever({ db, analyzer, embedder, settings: SETTINGS });
      await (base.lexical as MemoryLexicalEngine).warm(TENANT);
      for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
        engines[`base ${mode}`] = (query) => base.search({ ...query, mode });
      }
    }
    engines['pgvector query'] = await directVectorQuery(db, modelId, url, closers);

    const latency: Record<string, { p50: number[]; p95: number[] }> = {};
    const queries = claims.map((text) => ({ tenantId: TENANT, text, principals: ['user:bench'], limit: 10 }));
    for (const query of queries.slice(0, 20))
      for (const search of Object.values(engines)) await search(query);
    for (let pass = 0; pass < passes; pass++) {
      const times: Record<string, number[]> = {};
      for (const query of queries) {
        for (const [name, search] of Object.entries(engines)) {
          const at = performance.now();
          await search(query);
          times[name] ??= [];
          times[name].push(performance.now() - at);
        }
      }
      for (const [name, sample] of Object.entries(times)) {
        latency[name] ??= { p50: [], p95: [] };
        latency[name].p50.push(percentile(sample, 50));
        latency[name].p95.push(percentile(sample, 95));
      }
      process.stderr.write(
        `  pass ${pass + 1}: ${Object.entries(times)
          .map(([name, sample]) => `${name} ${percentile(sample, 50).toFixed(2)}`)
          .join(', ')} ms p50\n`,
      );
    }
    const medians = Object.fromEntries(
      Object.entries(latency).map(([name, sample]) => [
        name,
        { p50: round(median(sample.p50)), p95: round(median(sample.p95)) },
      ]),
    );
    const peers = await runPeers(
      db,
      queries.map((query) => query.text),
      passes,
    );
    const p50 = (name: string) => medians[name]?.p50 ?? Number.NaN;
    const report = {
      machine: describeMachine(),
      backend: `${values.backend} (Postgres ${db.capabilities.serverVersion}, pgvector ${db.capabilities.pgvectorVersion})`,
      chunks: load.chunks,
      queries: queries.length,
      passes,
      hnswBuildSeconds: round(hnswSeconds),
      lexicalIndexBuildSeconds: round(lexicalBuildSeconds),
      latencyMs: medians,
      phasesMsP50: Object.fromEntries(
        Object.entries(phases).map(([mode, sample]) => [
          mode,
          Object.fromEntries(
            Object.entries(sample).map(([key, times]) => [key, round(percentile(times, 50))]),
          ),
        ]),
      ),
      derived: {
        vectorOverheadOverPgvectorMs: round(p50('vector') - p50('pgvector query')),
        hybridMinusSlowerHalfMs: round(p50('hybrid') - Math.max(p50('lexical'), p50('vector'))),
        ...(values.base
          ? {
              baseVectorOverheadOverPgvectorMs: round(p50('base vector') - p50('pgvector query')),
              hybridSpeedup: round(p50('base hybrid') / p50('hybrid')),
              vectorSpeedup: round(p50('base vector') / p50('vector')),
            }
          : {}),
      },
      peers,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const close of closers) await close();
    await drop();
  }
}

/**
 * pgvector's own query on the same table and index (the caller's access sets resolved once, outside
 * the timing), with ef_search set for the session: what the product's vector search is compared with.
 */
async function directVectorQuery(
  db: Db,
  modelId: number,
  url: string | undefined,
  closers: (() => Promise<void>)[],
): Promise<Search> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM acl_sets WHERE tenant_id = $1 AND principals && ARRAY['*', 'user:bench']`,
    [TENANT],
  );
  const sets = rows.map((row) => Number(row.id));
  const statement = `SELECT chunk_id FROM chunk_vectors
     WHERE model_id = ${Math.trunc(modelId)} AND tenant_id = $1 AND acl_set_id = ANY($2::bigint[])
     ORDER BY embedding::vector(${DIMENSIONS}) <=> $3::vector(${DIMENSIONS}) LIMIT 10`;
  if (values.backend === 'pglite') {
    await db.exec(`SET hnsw.ef_search = ${EF_SEARCH}`);
    return (query) =>
      db.query(statement, [TENANT, sets, toVectorLiteral(hashVector(query.text, DIMENSIONS))]);
  }
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  closers.push(() => client.end());
  await client.query(`SET hnsw.ef_search = ${EF_SEARCH}`);
  return (query) =>
    client.query(statement, [TENANT, sets, toVectorLiteral(hashVector(query.text, DIMENSIONS))]);
}

/** tantivy, SQLite FTS5 and LanceDB over the same analysed terms and vectors, unrestricted. */
async function runPeers(db: Db, texts: readonly string[], passes: number) {
  if (!values.tantivy && !values.peers) return undefined;
  const directory = mkdtempSync(path.join(os.tmpdir(), 'gw-peers-'));
  try {
    const { rows } = await db.query<{ id: number; text: string }>(
      'SELECT id, text FROM chunks WHERE tenant_id = $1 ORDER BY id',
      [TENANT],
    );
    const corpus = rows.map((row) => ({
      id: Number(row.id),
      terms: analyzer.terms(row.text).join(' '),
      vector: hashVector(row.text, DIMENSIONS),
    }));
    const queries = texts.map((text) => ({
      terms: analyzer.terms(text),
      vector: hashVector(text, DIMENSIONS),
    }));
    const result: Record<string, unknown> = {};
    if (values.tantivy) {
      const tantivyDir = path.join(directory, 'tantivy');
      mkdirSync(tantivyDir);
      writeFileSync(
        path.join(tantivyDir, 'corpus.jsonl'),
        corpus.map((row) => JSON.stringify({ id: row.id, terms: row.terms })).join('\n'),
      );
      writeFileSync(
        path.join(tantivyDir, 'queries.jsonl'),
        queries.map((query) => JSON.stringify(query.terms)).join('\n'),
      );
      result.tantivy = JSON.parse(
        execFileSync(
          values.tantivy,
          [path.join(import.meta.dirname, 'lib/tantivy-peer.py'), tantivyDir, String(passes)],
          {
            encoding: 'utf8',
            maxBuffer: 1 << 24,
          },
        ),
      );
    }
    if (values.peers) {
      writeFileSync(
        path.join(directory, 'corpus.jsonl'),
        corpus.map((row) => JSON.stringify({ ...row, vector: Array.from(row.vector) })).join('\n'),
      );
      writeFileSync(
        path.join(directory, 'queries.jsonl'),
        queries.map((query) => JSON.stringify({ ...query, vector: Array.from(query.vector) })).join('\n'),
      );
      Object.assign(
        result,
        JSON.parse(
          execFileSync(
            values.peers,
            [path.join(import.meta.dirname, 'lib/search-peers.py'), directory, String(passes)],
            {
              encoding: 'utf8',
              maxBuffer: 1 << 26,
            },
          ),
        ),
      );
    }
    return result;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
