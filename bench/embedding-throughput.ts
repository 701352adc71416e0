/**
 * Throughput and latency of the local embedder (`models/local/onnx-embedder`) on CPU: passages per
 * second at several inference batch sizes on SciFact abstracts of roughly 300 tokens, single-query
 * latency, and how much the main thread's event loop is delayed while batches run (the model runs in
 * a worker thread; in-process it would block the loop for the whole batch).
 *
 *   npx tsx bench/embedding-throughput.ts [--model bge-small-en-v1.5] [--runs 3] [--passages 32]
 *     [--batch-sizes 1,8,32] [--queries 40] [--model-files /work/model-files]
 *
 * The model is read from GROUNDWORK_MODELS_DIR (installed layout); `--model-files` instead links loose
 * files named as the Maven jars name them into a temporary models directory. Passages are the first
 * SciFact abstracts of 190–250 words (≈300 WordPiece tokens; the main thread cannot tokenize: it
 * must not load onnxruntime, see ADR 0009). Per batch size: the passages are embedded in calls of
 * `batch` texts, one after the other (as ingestion does); chunks/s and event-loop delay p99 are
 * medians over runs. The load average is printed because the figures depend on what else runs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { findLocalModel } from '../src/models/local/catalog.ts';
import { installedModelDir, resolveModelsDir } from '../src/models/local/models-dir.ts';
import { createLocalEmbedder } from '../src/models/local/onnx-embedder.ts';
import { linkModelFiles } from './lib/model-files.ts';
import { describeMachine, median, percentile } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'bge-small-en-v1.5' },
    runs: { type: 'string', default: '3' },
    passages: { type: 'string', default: '32' },
    'batch-sizes': { type: 'string', default: '1,8,32' },
    queries: { type: 'string', default: '40' },
    'model-files': { type: 'string' },
  },
});
const spec = findLocalModel(values.model ?? '');
if (!spec?.embedding) throw new Error(`not a local embedding model: ${values.model}`);
let scratch: string | undefined;
let modelDir: string | undefined;
if (values['model-files']) {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'gw-embed-bench-'));
  modelDir = await linkModelFiles(values['model-files'], scratch, spec);
} else modelDir = installedModelDir(resolveModelsDir(), spec);
if (!modelDir)
  throw new Error(`${spec.name} is not installed; set GROUNDWORK_MODELS_DIR or pass --model-files`);

const data = path.resolve(import.meta.dirname, '../../shared/data/scifact');
const lines = (await readFile(path.join(data, 'corpus.jsonl'), 'utf8')).split('\n').filter(Boolean);
const passages = lines
  .map((line) => (JSON.parse(line) as { text: string }).text)
  .filter((text) => {
    const words = text.split(/\s+/).length;
    return words >= 190 && words <= 250;
  })
  .slice(0, Number(values.passages));
const queries = (await readFile(path.join(data, 'queries.jsonl'), 'utf8'))
  .split('\n')
  .filter(Boolean)
  .slice(0, Number(values.queries))
  .map((line) => `${spec.embedding?.queryPrefix ?? ''}${(JSON.parse(line) as { text: string }).text}`);
const meanWords = passages.reduce((sum, text) => sum + text.split(/\s+/).length, 0) / passages.length;
const loadBefore = os.loadavg();

const batchResults: Record<string, { chunksPerSecond: number; eventLoopDelayP99Ms: number }> = {};
for (const batch of values['batch-sizes']!.split(',').map(Number)) {
  const embedder = createLocalEmbedder({ modelDir, spec, batchSize: batch, maxQueuedTexts: 4096 });
  await embedder.model.doEmbed({ values: passages.slice(0, batch) }); // load and warm up
  const rates: number[] = [];
  const delays: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const started = performance.now();
    for (let start = 0; start < passages.length; start += batch)
      await embedder.model.doEmbed({ values: passages.slice(start, start + batch) });
    const seconds = (performance.now() - started) / 1000;
    histogram.disable();
    rates.push(passages.length / seconds);
    delays.push(histogram.percentile(99) / 1e6);
    process.stderr.write(
      `batch ${batch}, run ${run + 1}: ${rates.at(-1)?.toFixed(2)} chunks/s, event-loop delay p99 ${delays.at(-1)?.toFixed(1)} ms\n`,
    );
  }
  batchResults[String(batch)] = {
    chunksPerSecond: Math.round(median(rates) * 100) / 100,
    eventLoopDelayP99Ms: Math.round(median(delays) * 10) / 10,
  };
  await embedder.close();
}

const embedder = createLocalEmbedder({ modelDir, spec });
await embedder.model.doEmbed({ values: [queries[0] ?? 'warm up'] });
const latencies: number[] = [];
for (let run = 0; run < Number(values.runs); run++)
  for (const query of queries) {
    const started = performance.now();
    await embedder.model.doEmbed({ values: [query] });
    latencies.push(performance.now() - started);
  }
await embedder.close();
if (scratch) await rm(scratch, { recursive: true, force: true });

const round = (value: number) => Math.round(value * 10) / 10;
process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      loadAverage1m: { before: round(loadBefore[0] ?? 0), after: round(os.loadavg()[0] ?? 0) },
      model: spec.name,
      threads: os.availableParallelism(),
      passages: passages.length,
      passageWordsMean: Math.round(meanWords),
      runs: Number(values.runs),
      batches: batchResults,
      queryLatencyMs: {
        queries: latencies.length,
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
      },
    },
    null,
    2,
  )}\n`,
);
