/**
 * What tracing and metrics cost `POST /v1/ask`: two apps over one database holding the demo knowledge
 * base, identical but for `observability.enabled`, with an instant scripted model. Runs alternate
 * between them (on, off, on, off…) so drift in machine load falls on both; each run sends the same
 * questions one at a time, so a request's latency is its own work and not queueing behind others.
 *
 *   npx tsx bench/tracing-overhead.ts [--requests 300] [--runs 5] [--sample 1] [--backend pglite|postgres --url …]
 *
 * Reported: p50/p95 round trip with observability on and off (median over runs), the p50 overhead
 * (median over runs of p50 on − p50 off), and process CPU time per request on and off. The trace
 * store's batched writes run on the same event loop (and, on PGlite, the same database thread); each
 * "on" block ends with a flush, so their cost is inside the "on" CPU figure. On a busy machine the
 * wall-clock figures swing by milliseconds between runs; CPU time per request is the steadier one.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createHttpApp } from '../src/server/app.ts';
import { createInstantModel, ingestDemoKnowledge, runAskLoad, UNLIMITED_RATES } from './lib/ask-load.ts';
import { openScratchDatabase } from './lib/scratch-database.ts';
import { describeMachine, median, percentile } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    runs: { type: 'string', default: '5' },
    /** Sampling ratio of the "on" app: 0 keeps the spans and metrics but stores no trace. */
    sample: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'pglite' },
    url: { type: 'string', default: process.env.GROUNDWORK_BENCH_DATABASE_URL },
  },
});
const requests = Number(values.requests);

const scratch = await openScratchDatabase(values.backend ?? 'pglite', { url: values.url });
const sampleRatio = Number(values.sample);
const open = (enabled: boolean) =>
  createGroundwork(
    loadConfig(
      {
        dataDir: 'memory://',
        observability: { enabled, sampleRatio, logLevel: 'warn' },
        rateLimits: UNLIMITED_RATES,
      },
      {},
    ),
    {
      db: scratch.db,
      languageModel: { model: createInstantModel(), name: 'test:instant' },
    },
  );
const on = await open(true);
const off = await open(false);
await ingestDemoKnowledge(off);
const apps = { on: createHttpApp(on), off: createHttpApp(off) };

// One warm-up run each: JIT, prepared statements, caches.
await runAskLoad(apps.on, { requests: 50, concurrency: 1 });
await runAskLoad(apps.off, { requests: 50, concurrency: 1 });

const loadBefore = os.loadavg();
type Figures = { p50: number; p95: number; cpuMs: number };
const runs: { on: Figures; off: Figures }[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const sample = async (which: 'on' | 'off'): Promise<Figures> => {
    const cpu = process.cpuUsage();
    const load = await runAskLoad(apps[which], { requests, concurrency: 1 });
    // The store's batched writes belong to the "on" block that caused them.
    if (which === 'on') await on.observability.flush();
    const used = process.cpuUsage(cpu);
    return {
      p50: percentile(load.totals, 50),
      p95: percentile(load.totals, 95),
      cpuMs: (used.user + used.system) / 1000 / requests,
    };
  };
  // Alternate which goes first, so a trend in machine load does not favour one side.
  const first = run % 2 === 0 ? 'on' : 'off';
  const a = await sample(first);
  const b = await sample(first === 'on' ? 'off' : 'on');
  const figures = first === 'on' ? { on: a, off: b } : { on: b, off: a };
  runs.push(figures);
  process.stderr.write(
    `run ${run + 1}: p50 on ${figures.on.p50.toFixed(3)} ms, off ${figures.off.p50.toFixed(3)} ms; CPU/request on ${figures.on.cpuMs.toFixed(3)} ms, off ${figures.off.cpuMs.toFixed(3)} ms\n`,
  );
}
const loadAfter = os.loadavg();
// Everything queued for the store is written before the numbers are final (and counted in none).
await on.observability.flush();
const stored = await scratch.db.query<{ count: number }>('SELECT count(*)::int AS count FROM traces');
await off.close();
await on.close();
await scratch.drop();

const round = (value: number) => Math.round(value * 1000) / 1000;
const pick = (fn: (run: (typeof runs)[number]) => number) => round(median(runs.map(fn)));
process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      loadAverage1m: { before: round(loadBefore[0] ?? 0), after: round(loadAfter[0] ?? 0) },
      backend: values.backend,
      sampleRatio,
      requestsPerRun: requests,
      runs: runs.length,
      roundTripMs: {
        on: { p50: pick((run) => run.on.p50), p95: pick((run) => run.on.p95) },
        off: { p50: pick((run) => run.off.p50), p95: pick((run) => run.off.p95) },
      },
      overheadMsP50: pick((run) => run.on.p50 - run.off.p50),
      cpuMsPerRequest: {
        on: pick((run) => run.on.cpuMs),
        off: pick((run) => run.off.cpuMs),
        overhead: pick((run) => run.on.cpuMs - run.off.cpuMs),
      },
      tracesStored: stored.rows[0]?.count ?? 0,
    },
    null,
    2,
  )}\n`,
);
