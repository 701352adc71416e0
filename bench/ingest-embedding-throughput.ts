/**
 * Ingest throughput of the PostgreSQL 15 manual (issue 21) with three embedders: none (the pipeline
 * without vectors), a local OpenAI-compatible stand-in server that returns deterministic vectors at a
 * fixed rate (`--latency-ms` per request plus `--per-text-ms` per text; the pipeline's own overhead
 * around a fast embedding server, through the real openai-compatible client with batching,
 * concurrency and retries), and the in-process ONNX embedder (bge-small-en-v1.5) when installed.
 *
 *   GROUNDWORK_MODELS_DIR=/var/cache/groundwork/models npx tsx bench/ingest-embedding-throughput.ts \
 *     [--files 12] [--runs 3] [--latency-ms 20] [--per-text-ms 1] [--concurrency 4] [--skip-local]
 *
 * A subset of the manual keeps a run short: the first `--files` HTML pages in name order of those
 * between 8 and 40 kB (ordinary sections, not the index or the huge release notes). Each run ingests
 * them into a fresh tenant of one warmed-up app per mode (in-memory PGlite, one file at a time as
 * `ingestConcurrency: 1`), from submit to drained; chunks/s is chunks stored over that time. Medians over runs; the load average
 * is printed because the figures depend on what else runs.
 */
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { findLocalModel } from '../src/models/local/catalog.ts';
import { installedModelDir, resolveModelsDir } from '../src/models/local/models-dir.ts';
import { startEmbeddingsServer } from '../src/testing/embeddings-server.ts';
import { describeMachine, median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '12' },
    runs: { type: 'string', default: '3' },
    'latency-ms': { type: 'string', default: '20' },
    'per-text-ms': { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '4' },
    'skip-local': { type: 'boolean', default: false },
  },
});

const manual = path.resolve(import.meta.dirname, '../../shared/data/postgresql-15-docs/html');
const names = (await readdir(manual)).filter((name) => name.endsWith('.html')).sort();
const files: string[] = [];
for (const name of names) {
  const { size } = await stat(path.join(manual, name));
  if (size >= 8_000 && size <= 40_000) files.push(path.join(manual, name));
  if (files.length >= Number(values.files)) break;
}
const bytes = (await Promise.all(files.map((file) => stat(file)))).reduce((sum, s) => sum + s.size, 0);

/** One ingest of `sources` into `tenant`; returns chunks and seconds. */
async function ingestOnce(
  app: Awaited<ReturnType<typeof createGroundwork>>,
  tenant: string,
  sources: readonly string[],
): Promise<{ chunks: number; seconds: number }> {
  const started = performance.now();
  await app.ingestion.submit(
    tenant,
    { sources: sources.map((file) => ({ kind: 'path' as const, path: file })) },
    { trusted: true },
  );
  const [job] = await app.ingestion.drain();
  const seconds = (performance.now() - started) / 1000;
  if (!job || job.failed > 0) throw new Error(`ingest failed: ${JSON.stringify(job)}`);
  return { chunks: job.chunks, seconds };
}

const server = await startEmbeddingsServer({
  dimensions: 384,
  latencyMs: Number(values['latency-ms']),
  perTextMs: Number(values['per-text-ms']),
});
const base = { dataDir: 'memory://' };
const modes: Record<string, ReturnType<typeof loadConfig>> = {
  none: loadConfig({ ...base, embedder: 'none' }),
  'openai-compatible stand-in': loadConfig({
    ...base,
    embedder: 'openai-compatible:stand-in',
    embedding: { baseUrl: `${server.url}/v1`, dimensions: 384, concurrency: Number(values.concurrency) },
  }),
};
const local = findLocalModel('bge-small-en-v1.5');
const localInstalled = local && installedModelDir(resolveModelsDir(), local);
if (localInstalled && !values['skip-local'])
  modes['local:bge-small-en-v1.5'] = loadConfig({ ...base, embedder: 'local:bge-small-en-v1.5' });

const loadBefore = os.loadavg()[0] ?? 0;
const results: Record<
  string,
  { chunks: number; chunksPerSecond: number; secondsPerRun: number[]; requests?: number }
> = {};
for (const [mode, config] of Object.entries(modes)) {
  const rates: number[] = [];
  const seconds: number[] = [];
  let chunks = 0;
  server.script([]);
  // One process per mode, warmed up (parser workers started, the local model loaded) by one file in a
  // tenant of its own; each run then ingests the subset into a fresh tenant (no hash shortcuts).
  const app = await createGroundwork({ ...config, ingestConcurrency: 1 });
  try {
    await ingestOnce(app, 'warm-up', files.slice(0, 1));
    server.script([]);
    for (let run = 0; run < Number(values.runs); run++) {
      const result = await ingestOnce(app, `run-${run + 1}`, files);
      chunks = result.chunks;
      rates.push(result.chunks / result.seconds);
      seconds.push(Math.round(result.seconds * 10) / 10);
      process.stderr.write(
        `${mode}, run ${run + 1}: ${result.chunks} chunks in ${result.seconds.toFixed(1)} s\n`,
      );
    }
  } finally {
    await app.close();
  }
  results[mode] = {
    chunks,
    chunksPerSecond: Math.round(median(rates) * 10) / 10,
    secondsPerRun: seconds,
    ...(mode.includes('stand-in') ? { requests: server.requests.length } : {}),
  };
}
await server.close();

process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      loadAverage1m: {
        before: Math.round(loadBefore * 10) / 10,
        after: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
      },
      files: files.length,
      kilobytes: Math.round(bytes / 1024),
      runs: Number(values.runs),
      standIn: {
        latencyMs: Number(values['latency-ms']),
        perTextMs: Number(values['per-text-ms']),
        concurrency: Number(values.concurrency),
      },
      localModel: localInstalled ? 'bge-small-en-v1.5 (installed)' : 'not installed: stand-in and none only',
      results,
    },
    null,
    2,
  )}\n`,
);
