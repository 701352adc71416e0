/**
 * Lexical engines side by side (ADR 0037): the SQL query (`searchBm25`) and the in-process index
 * (`MemoryLexicalEngine`) over the same chunks, on PGlite or a Postgres server, and optionally tantivy
 * (PyPI, in a venv) over the same analysed terms.
 *
 *   npx tsx bench/lexical-engines.ts --backend pglite --chunks 10000
 *   npx tsx bench/lexical-engines.ts --backend postgres --url postgres://… --chunks 100000 \
 *     --tantivy /var/cache/groundwork/tantivy-venv/bin/python
 *
 * The corpus is retrieval-scale.ts's: SciFact sentences resampled with a fixed seed, 4–8 per chunk,
 * 10 chunks per document, a fifth of the documents readable by `group:finance` only. It is bulk-loaded
 * with set-based SQL (documents, chunks, postings, per-set statistics, one generation bump): this bench
 * is about query cost and index builds, not the ingest path. Queries are the 300 SciFact test claims,
 * run as a restricted caller (per-set statistics, ADR 0064) and as an unrestricted one, plus bad input.
 * Every query's top 10 is compared between the engines (identical up to ties). Reported: p50/p95 per
 * engine (medians over passes, interleaved per query), ratios, the index build (chunks/s, postings/s),
 * bytes per posting in the index and in the postings table.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';
import { searchBm25 } from '../src/retrieval/lexical/bm25-sql.ts';
import { MemoryLexicalEngine } from '../src/retrieval/lexical/memory/memory-engine.ts';
import type { LexicalSearchRequest } from '../src/spec/lexical.ts';
import { topKDifference } from '../src/testing/same-top-k.ts';
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
  },
});

const PARAMETERS = { k1: 0.9, b: 0.4 };
const CHUNKS_PER_DOCUMENT = 10;
const TENANT = 'bench';
const analyzer = createAnalyzer();

const sentences = scifactSentences();
const claims = scifactTestQueries(SCIFACT_DIR, values.queries ? Number(values.queries) : undefined);
const BAD_INPUT: Record<string, string> = {
  'one stop word': 'the',
  'unknown terms': 'zzqxv qqvvk wwxyz',
  'another script': 'Аспирин снижает риск 阿司匹林',
  '500 terms': Array.from(
    { length: 500 },
    (_, index) => claims[index % claims.length]!.split(' ')[index % 4],
  ).join(' '),
};

async function main() {
  const totalChunks = Number(values.chunks);
  const passes = Number(values.passes);
  const { db, drop } = await openScratchDatabase(values.backend ?? 'pglite', { url: values.url });
  try {
    const load = await bulkLoadSynthetic(db, {
      tenant: TENANT,
      totalChunks,
      chunksPerDocument: CHUNKS_PER_DOCUMENT,
      sentences,
      analyzer,
    });
    const postingsTableBytes = await relationBytes(db, 'postings');

    // Index build, measured three times from scratch (each a new engine) and once more kept.
    const buildMs: number[] = [];
    let engine = new MemoryLexicalEngine(db.read, PARAMETERS);
    for (let round = 0; round < 3; round++) {
      engine = new MemoryLexicalEngine(db.read, PARAMETERS);
      const started = performance.now();
      await engine.warm(TENANT);
      buildMs.push(performance.now() - started);
    }
    const index = engine.stats().get(TENANT);
    if (index === undefined) throw new Error('the index does not fit the memory budget');
    process.stderr.write(
      `  index: ${JSON.stringify(index)}; build ${buildMs.map((ms) => ms.toFixed(0))} ms\n`,
    );

    const callers: { name: string; principals?: string[] }[] = [
      { name: 'restricted', principals: ['user:bench'] },
      { name: 'operator' },
    ];
    const latency: Record<string, { p50: number[]; p95: number[] }> = {};
    const record = (key: string, times: number[]) => {
      latency[key] ??= { p50: [], p95: [] };
      latency[key].p50.push(percentile(times, 50));
      latency[key].p95.push(percentile(times, 95));
    };
    let compared = 0;
    let differing = 0;
    const requests = claims.map((claim) => analyzer.terms(claim));
    for (const caller of callers) {
      for (const terms of requests.slice(0, 20)) {
        await searchBm25(
          db.read,
          { tenantId: TENANT, terms, principals: caller.principals, limit: 10 },
          PARAMETERS,
        );
        await engine.search({ tenantId: TENANT, terms, principals: caller.principals, limit: 10 });
      }
      for (let pass = 0; pass < passes; pass++) {
        const sqlTimes: number[] = [];
        const memoryTimes: number[] = [];
        const indexTimes: number[] = [];
        const held = engine.heldIndex(TENANT)!;
        for (const terms of requests) {
          const request: LexicalSearchRequest = {
            tenantId: TENANT,
            terms,
            principals: caller.principals,
            limit: 10,
          };
          let started = performance.now();
          const expected = await searchBm25(db.read, request, PARAMETERS);
          sqlTimes.push(performance.now() - started);
          started = performance.now();
          const actual = await engine.search(request);
          memoryTimes.push(performance.now() - started);
          if (engine.lastSource !== 'memory') throw new Error('the index was not current');
          // The index alone: what the process computes, without the generation read's round trip.
          started = performance.now();
          held.search({ terms, principals: caller.principals, limit: 10 });
          indexTimes.push(performance.now() - started);
          if (pass === 0) {
            compared++;
            const deep = await searchBm25(db.read, { ...request, limit: 200 }, PARAMETERS);
            const difference = topKDifference(
              actual,
              expected,
              new Map(deep.map((hit) => [hit.chunkId, hit.score])),
            );
            if (difference !== undefined) {
              differing++;
              process.stderr.write(`  DIFFERENT: ${terms.join(' ').slice(0, 60)}: ${difference}\n`);
            }
          }
        }
        record(`sql ${caller.name}`, sqlTimes);
        record(`memory ${caller.name}`, memoryTimes);
        record(`index only ${caller.name}`, indexTimes);
        process.stderr.write(
          `  ${caller.name} pass ${pass + 1}: sql p50 ${percentile(sqlTimes, 50).toFixed(2)} ms, memory p50 ${percentile(memoryTimes, 50).toFixed(2)} ms\n`,
        );
      }
    }
    const badInput: Record<string, { sqlMs: number; memoryMs: number; hits: number; same: boolean }> = {};
    for (const [name, text] of Object.entries(BAD_INPUT)) {
      const request = {
        tenantId: TENANT,
        terms: analyzer.terms(text),
        principals: ['user:bench'],
        limit: 10,
      };
      const sql: number[] = [];
      const memory: number[] = [];
      let same = true;
      let hits = 0;
      for (let round = 0; round < 5; round++) {
        let started = performance.now();
        const expected = await searchBm25(db.read, request, PARAMETERS);
        sql.push(performance.now() - started);
        started = performance.now();
        const actual = await engine.search(request);
        memory.push(performance.now() - started);
        hits = actual.length;
        const deep = await searchBm25(db.read, { ...request, limit: 200 }, PARAMETERS);
        same &&=
          topKDifference(actual, expected, new Map(deep.map((hit) => [hit.chunkId, hit.score]))) ===
          undefined;
      }
      badInput[name] = { sqlMs: round(median(sql)), memoryMs: round(median(memory)), hits, same };
    }
    const tantivy = values.tantivy ? await runTantivy(db, values.tantivy, requests, passes) : undefined;
    const medians = Object.fromEntries(
      Object.entries(latency).map(([key, sample]) => [
        key,
        { p50: round(median(sample.p50)), p95: round(median(sample.p95)) },
      ]),
    );
    const buildSeconds = median(buildMs) / 1000;
    const report = {
      machine: describeMachine(),
      backend: `${values.backend} (Postgres ${db.capabilities.serverVersion})`,
      chunks: load.chunks,
      postings: index.postings,
      terms: index.terms,
      bulkLoadSeconds: round(load.seconds),
      queries: requests.length,
      passes,
      latencyMs: medians,
      ratios: {
        restricted: round(medians['sql restricted']!.p50 / medians['memory restricted']!.p50),
        operator: round(medians['sql operator']!.p50 / medians['memory operator']!.p50),
        restrictedIndexOnly: round(medians['sql restricted']!.p50 / medians['index only restricted']!.p50),
        ...(tantivy
          ? {
              memoryOverTantivy: round(medians['memory operator']!.p50 / tantivy.p50),
              indexOnlyOverTantivy: round(medians['index only operator']!.p50 / tantivy.p50),
            }
          : {}),
      },
      top10: { compared, differing },
      build: {
        seconds: round(buildSeconds),
        chunksPerSecond: Math.round(load.chunks / buildSeconds),
        postingsPerSecond: Math.round(index.postings / buildSeconds),
      },
      bytesPerPosting: {
        memoryIndex: round(index.memoryBytes / index.postings),
        ...(tantivy ? { tantivy: round(tantivy.indexBytes / index.postings) } : {}),
        postingsTable: round(postingsTableBytes / index.postings),
      },
      indexMemoryBytes: index.memoryBytes,
      badInput,
      ...(tantivy ? { tantivy } : {}),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await drop();
  }
}

async function relationBytes(db: Awaited<ReturnType<typeof openScratchDatabase>>['db'], name: string) {
  const { rows } = await db.query<{ bytes: number }>('SELECT pg_total_relation_size($1)::float8 AS bytes', [
    name,
  ]);
  return rows[0]!.bytes;
}

/** tantivy over the same analysed terms (whitespace tokenizer), as an unrestricted caller. */
async function runTantivy(
  db: Awaited<ReturnType<typeof openScratchDatabase>>['db'],
  python: string,
  requests: readonly string[][],
  passes: number,
) {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'gw-tantivy-'));
  try {
    const { rows } = await db.query<{ id: number; text: string }>(
      'SELECT id, text FROM chunks WHERE tenant_id = $1 ORDER BY id',
      [TENANT],
    );
    writeFileSync(
      path.join(directory, 'corpus.jsonl'),
      rows
        .map((row) => JSON.stringify({ id: Number(row.id), terms: analyzer.terms(row.text).join(' ') }))
        .join('\n'),
    );
    writeFileSync(
      path.join(directory, 'queries.jsonl'),
      requests.map((terms) => JSON.stringify(terms)).join('\n'),
    );
    const output = execFileSync(
      python,
      [path.join(import.meta.dirname, 'lib/tantivy-peer.py'), directory, String(passes)],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    return JSON.parse(output) as { p50: number; p95: number; buildSeconds: number; indexBytes: number };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
