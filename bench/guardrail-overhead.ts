/**
 * What the guardrails cost on `POST /v1/ask`: the same questions, the same database and an instant
 * scripted model (it quotes its passages, so answers stay generative), through two products that
 * differ only in `guardrails.enabled`. Runs alternate off/on so machine load hits both alike; p50/p95
 * of the end-to-end latency and of the orchestrator overhead (round trip − retrieveMs − generateMs;
 * the output checks run inside generateMs, the input and passage checks outside it) are medians over
 * runs.
 *
 *   npx tsx bench/guardrail-overhead.ts --url postgres://… [--requests 1000] [--concurrency 50] [--runs 3]
 *   npx tsx bench/guardrail-overhead.ts --backend pglite
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
const model = { model: createInstantModel(), name: 'test:instant' };
const build = (enabled: boolean) =>
  createGroundwork(
    loadConfig({
      dataDir: 'memory://',
      embedder: 'none',
      guardrails: { enabled },
      rateLimits: UNLIMITED_RATES,
      cache: NO_ANSWER_CACHE,
    }),
    {
      db: scratch.db,
      languageModel: model,
    },
  );
const apps = { off: await build(false), on: await build(true) };
await ingestDemoKnowledge(apps.on);
const http = { off: createHttpApp(apps.off), on: createHttpApp(apps.on) };

type Row = { p50: number; p95: number; overheadP50: number; overheadP95: number; throughput: number };
const runs: Record<'off' | 'on', Row[]> = { off: [], on: [] };
for (let run = 0; run < Number(values.runs); run++) {
  for (const side of ['off', 'on'] as const) {
    const load = await runAskLoad(http[side], {
      requests: Number(values.requests),
      concurrency: Number(values.concurrency),
    });
    const row = {
      p50: percentile(load.totals, 50),
      p95: percentile(load.totals, 95),
      overheadP50: percentile(load.overheads, 50),
      overheadP95: percentile(load.overheads, 95),
      throughput: load.totals.length / load.seconds,
    };
    runs[side].push(row);
    process.stderr.write(
      `run ${run + 1} guardrails ${side}: p50 ${row.p50.toFixed(2)} ms, p95 ${row.p95.toFixed(2)} ms\n`,
    );
  }
}
await apps.on.close();
await apps.off.close();
await scratch.drop();
const summary = (rows: Row[]) => {
  const pick = (key: keyof Row) => Math.round(median(rows.map((row) => row[key])) * 100) / 100;
  return {
    endToEndMs: { p50: pick('p50'), p95: pick('p95') },
    overheadMs: { p50: pick('overheadP50'), p95: pick('overheadP95') },
    requestsPerSecond: pick('throughput'),
  };
};
const off = summary(runs.off);
const on = summary(runs.on);
process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      backend: values.backend,
      requests: Number(values.requests),
      concurrency: Number(values.concurrency),
      runs: Number(values.runs),
      off,
      on,
      addedMs: {
        p50: Math.round((on.endToEndMs.p50 - off.endToEndMs.p50) * 100) / 100,
        p95: Math.round((on.endToEndMs.p95 - off.endToEndMs.p95) * 100) / 100,
      },
    },
    null,
    2,
  )}\n`,
);
