/**
 * Orchestrator overhead of `POST /v1/ask`: everything except retrieval and the model (validation,
 * condensation, context assembly with token counting, prompt building, citation handling, JSON), with
 * an instant scripted model, under 50 concurrent requests.
 *
 *   npx tsx bench/answer-overhead.ts --url postgres://… [--requests 1000] [--concurrency 50] [--runs 3]
 *   npx tsx bench/answer-overhead.ts --backend pglite
 *
 * Per request: overhead = HTTP round trip (in-process `app.request`) − retrieveMs − generateMs, where
 * those two come from the answer's own timings. Retrieval runs on an in-memory PGlite holding the demo
 * knowledge base, on a Postgres server by default: PGlite runs its queries on the main thread, so with
 * it every request's "overhead" would include waiting behind other requests' SQL. p50/p95 are medians
 * over runs.
 */
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createHttpApp } from '../src/server/app.ts';
import {
  createInstantModel,
  ingestDemoKnowledge,
  NO_ANSWER_CACHE,
  runAskLoad,
  UNLIMITED_RATES,
} from './lib/ask-load.ts';
import { openScratchDatabase } from './lib/scratch-database.ts';
import { describeMachine, median, percentile } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'postgres' },
    url: { type: 'string', default: process.env.GROUNDWORK_BENCH_DATABASE_URL },
  },
});

const scratch = await openScratchDatabase(values.backend ?? 'postgres', { url: values.url });
const app = await createGroundwork(
  loadConfig({ dataDir: 'memory://', rateLimits: UNLIMITED_RATES, cache: NO_ANSWER_CACHE }),
  {
    db: scratch.db,
    languageModel: { model: createInstantModel(), name: 'test:instant' },
  },
);
await ingestDemoKnowledge(app);
const http = createHttpApp(app);

const runs: { p50: number; p95: number; totalP50: number; throughput: number }[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const load = await runAskLoad(http, {
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
  });
  runs.push({
    p50: percentile(load.overheads, 50),
    p95: percentile(load.overheads, 95),
    totalP50: percentile(load.totals, 50),
    throughput: load.overheads.length / load.seconds,
  });
  process.stderr.write(
    `run ${run + 1}: overhead p50 ${runs.at(-1)?.p50.toFixed(2)} ms, p95 ${runs.at(-1)?.p95.toFixed(2)} ms\n`,
  );
}
await app.close();
await scratch.drop();
const pick = (key: keyof (typeof runs)[number]) =>
  Math.round(median(runs.map((run) => run[key])) * 100) / 100;
process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      backend: values.backend,
      requests: Number(values.requests),
      concurrency: Number(values.concurrency),
      runs: runs.length,
      overheadMs: { p50: pick('p50'), p95: pick('p95') },
      endToEndMsP50: pick('totalP50'),
      requestsPerSecond: pick('throughput'),
    },
    null,
    2,
  )}\n`,
);
