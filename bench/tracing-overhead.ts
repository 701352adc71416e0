/**
 * What tracing and metrics cost `POST /v1/ask`: two apps over one database holding the demo knowledge
 * base, identical but for `observability.enabled`, with an instant scripted model.
 *
 *   npx tsx bench/tracing-overhead.ts [--pairs 600] [--runs 5] [--cpu-requests 150] [--sample 1]
 *     [--capture truncated|off|full] [--embedder auto|test:hash-384] [--backend pglite|postgres --url …]
 *     [--control]
 *
 * Latency is measured in pairs: each question goes to both apps back to back, which one first
 * alternating, so whatever the machine is doing at that moment falls on both sides of the pair. Per
 * run: p50 and p95 of each side and the median of the per-pair differences; the overhead reported is
 * the median over runs of (p50 on − p50 off), with a 95% bootstrap interval over all pairs. The trace
 * store's writes are batched on a timer, off the request path; when one lands during a request it
 * slows whichever side is running, so it shows in p95 rather than p50.
 *
 * The query embedding is the configured embedder (`auto`: the local bge-small ONNX model, which runs
 * on several threads and makes round trips vary by milliseconds); `--embedder test:hash-384` swaps in
 * the deterministic test double, as the model already is, so what remains is the platform's own work.
 *
 * `--control` builds both apps with observability off (an A/A run): whatever "overhead" it reports is
 * the method's noise floor, including any difference between the first app built and the second.
 *
 * CPU time is measured in blocks (a block of requests to one app, then the other), since process CPU
 * cannot be split between interleaved requests; each "on" block ends by flushing the store, so the
 * cost of writing its traces is inside the "on" figure.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { ContentCapture } from '../src/observability/scope.ts';
import { createHttpApp } from '../src/server/app.ts';
import {
  askOnce,
  createInstantModel,
  ingestDemoKnowledge,
  NO_ANSWER_CACHE,
  runAskLoad,
  UNLIMITED_RATES,
} from './lib/ask-load.ts';
import { openScratchDatabase } from './lib/scratch-database.ts';
import { describeMachine, median, percentile, seededRandom } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '600' },
    runs: { type: 'string', default: '5' },
    'cpu-requests': { type: 'string', default: '150' },
    /** Sampling ratio of the "on" app: 0 keeps the spans and metrics but stores no trace. */
    sample: { type: 'string', default: '1' },
    capture: { type: 'string', default: 'truncated' },
    embedder: { type: 'string', default: 'auto' },
    backend: { type: 'string', default: 'pglite' },
    url: { type: 'string', default: process.env.GROUNDWORK_BENCH_DATABASE_URL },
    /** An A/A run: the "on" app has observability off too, so the figures show the method's own noise. */
    control: { type: 'boolean', default: false },
  },
});
const pairs = Number(values.pairs);
const cpuRequests = Number(values['cpu-requests']);
const sampleRatio = Number(values.sample);
const contentCapture = values.capture as ContentCapture;

const scratch = await openScratchDatabase(values.backend ?? 'pglite', { url: values.url });
const open = (enabled: boolean) =>
  createGroundwork(
    loadConfig(
      {
        dataDir: 'memory://',
        embedder: values.embedder,
        observability: { enabled, sampleRatio, contentCapture, logLevel: 'warn' },
        rateLimits: UNLIMITED_RATES,
        cache: NO_ANSWER_CACHE,
      },
      {},
    ),
    {
      db: scratch.db,
      languageModel: { model: createInstantModel(), name: 'test:instant' },
    },
  );
const on = await open(!values.control);
const off = await open(false);
await ingestDemoKnowledge(off);
const apps = { on: createHttpApp(on), off: createHttpApp(off) };

// Warm-up: JIT, prepared statements, caches.
await runAskLoad(apps.on, { requests: 60, concurrency: 1 });
await runAskLoad(apps.off, { requests: 60, concurrency: 1 });

const loadBefore = os.loadavg();
type Side = { p50: number; p95: number };
type Run = { on: Side; off: Side; pairMedian: number; cpuOn: number; cpuOff: number };
const runs: Run[] = [];
const allPairs: { on: number; off: number }[] = [];

/** Process CPU milliseconds per request of one block of `cpuRequests` to one app. */
async function cpuBlock(which: 'on' | 'off'): Promise<number> {
  const cpu = process.cpuUsage();
  await runAskLoad(apps[which], { requests: cpuRequests, concurrency: 1 });
  if (which === 'on') await on.observability.flush();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / cpuRequests;
}

for (let run = 0; run < Number(values.runs); run++) {
  const onTimes: number[] = [];
  const offTimes: number[] = [];
  const differences: number[] = [];
  for (let index = 0; index < pairs; index++) {
    const onFirst = (index + run) % 2 === 0;
    const first = await askOnce(onFirst ? apps.on : apps.off, index);
    const second = await askOnce(onFirst ? apps.off : apps.on, index);
    const pair = onFirst ? { on: first.total, off: second.total } : { on: second.total, off: first.total };
    onTimes.push(pair.on);
    offTimes.push(pair.off);
    differences.push(pair.on - pair.off);
    allPairs.push(pair);
  }
  await on.observability.flush();
  const cpuFirst = run % 2 === 0 ? 'on' : 'off';
  const a = await cpuBlock(cpuFirst);
  const b = await cpuBlock(cpuFirst === 'on' ? 'off' : 'on');
  const figures: Run = {
    on: { p50: percentile(onTimes, 50), p95: percentile(onTimes, 95) },
    off: { p50: percentile(offTimes, 50), p95: percentile(offTimes, 95) },
    pairMedian: median(differences),
    cpuOn: cpuFirst === 'on' ? a : b,
    cpuOff: cpuFirst === 'on' ? b : a,
  };
  runs.push(figures);
  process.stderr.write(
    `run ${run + 1}: p50 on ${figures.on.p50.toFixed(3)} off ${figures.off.p50.toFixed(3)} ms ` +
      `(pair median ${figures.pairMedian.toFixed(3)}); CPU/request on ${figures.cpuOn.toFixed(3)} off ${figures.cpuOff.toFixed(3)} ms\n`,
  );
}
const loadAfter = os.loadavg();
await on.observability.flush();
const stored = await scratch.db.query<{ count: number }>('SELECT count(*)::int AS count FROM traces');
await off.close();
await on.close();
await scratch.drop();

/** 95% interval of p50(on) − p50(off) by resampling pairs (seeded, so a rerun gives the same interval). */
function bootstrapP50Difference(samples: readonly { on: number; off: number }[], rounds = 1000) {
  const random = seededRandom(7);
  const estimates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const onSide: number[] = [];
    const offSide: number[] = [];
    for (let draw = 0; draw < samples.length; draw++) {
      const pair = samples[Math.floor(random() * samples.length)] as { on: number; off: number };
      onSide.push(pair.on);
      offSide.push(pair.off);
    }
    estimates.push(percentile(onSide, 50) - percentile(offSide, 50));
  }
  return [percentile(estimates, 2.5), percentile(estimates, 97.5)];
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const pick = (fn: (run: Run) => number) => round(median(runs.map(fn)));
const [low, high] = bootstrapP50Difference(allPairs);
process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      loadAverage1m: { before: round(loadBefore[0] ?? 0), after: round(loadAfter[0] ?? 0) },
      backend: values.backend,
      control: values.control,
      sampleRatio,
      contentCapture,
      embedder: values.embedder,
      pairsPerRun: pairs,
      runs: runs.length,
      roundTripMs: {
        on: { p50: pick((run) => run.on.p50), p95: pick((run) => run.on.p95) },
        off: { p50: pick((run) => run.off.p50), p95: pick((run) => run.off.p95) },
      },
      overheadMsP50: pick((run) => run.on.p50 - run.off.p50),
      overheadMsP50Interval95: [round(low ?? Number.NaN), round(high ?? Number.NaN)],
      overheadMsPairMedian: pick((run) => run.pairMedian),
      overheadMsP95: pick((run) => run.on.p95 - run.off.p95),
      cpuMsPerRequest: {
        on: pick((run) => run.cpuOn),
        off: pick((run) => run.cpuOff),
        overhead: pick((run) => run.cpuOn - run.cpuOff),
      },
      tracesStored: stored.rows[0]?.count ?? 0,
    },
    null,
    2,
  )}\n`,
);
