/**
 * What tracing and metrics cost `POST /v1/ask`: two apps over one database holding the demo knowledge
 * base, identical but for `observability.enabled`, with an instant scripted model.
 *
 *   npx tsx bench/tracing-overhead.ts [--pairs 600] [--runs 5] [--cpu-requests 150] [--sample 1]
 *     [--capture truncated|off|full] [--embedder auto|test:hash-384] [--backend pglite|postgres --url …]
 *     [--control] [--isolate]
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
 * In one thread the two apps share an event loop, so the trace store's writes (batched on a timer)
 * slow whichever side is running when they land, "off" as much as "on". `--isolate` runs each app in
 * a worker thread of its own over its own PGlite database, so the store's work lands only on "on",
 * as in a deployment; round trips are then timed inside each worker.
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
import type { Groundwork } from '../src/app.ts';
import type { ContentCapture } from '../src/observability/scope.ts';
import { createHttpApp } from '../src/server/app.ts';
import { askOnce, ingestDemoKnowledge, runAskLoad } from './lib/ask-load.ts';
import { openSideApp, WorkerSide } from './lib/ask-side.ts';
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
    /** Each app in a worker thread of its own, over its own PGlite database (see bench/lib/ask-side.ts). */
    isolate: { type: 'boolean', default: false },
  },
});
const pairs = Number(values.pairs);
const cpuRequests = Number(values['cpu-requests']);
const sampleRatio = Number(values.sample);
const contentCapture = values.capture as ContentCapture;

/** One app of the pair, in this thread or in a worker of its own. */
interface BenchSide {
  /** Round trip of question `index`, in milliseconds. */
  ask(index: number): Promise<number>;
  /**
   * Milliseconds of work per request over a block of `requests`, traces written at its end: process
   * CPU in-process (all threads), the worker's busy event-loop time when isolated.
   */
  work(requests: number): Promise<number>;
  close(): Promise<void>;
}

let sides: { on: BenchSide; off: BenchSide };
let storedTraces: () => Promise<number>;
let closeAll: () => Promise<void>;
if (values.isolate) {
  if (values.backend !== 'pglite') throw new Error('--isolate gives each side its own PGlite database');
  const start = (observability: boolean) =>
    WorkerSide.start({ observability, embedder: values.embedder ?? 'auto', sampleRatio, contentCapture });
  // Built at the same time: an A/A run (--control) showed the side built first answering ~0.2 ms
  // slower at p50 when they were built one after the other.
  const [on, off] = await Promise.all([start(!values.control), start(false)]);
  const side = (worker: WorkerSide): BenchSide => ({
    ask: (index) => worker.ask(index),
    work: (requests) => worker.block(requests),
    close: () => worker.close(),
  });
  sides = { on: side(on), off: side(off) };
  storedTraces = () => on.storedTraces();
  closeAll = async () => {
    await off.close();
    await on.close();
  };
} else {
  const scratch = await openScratchDatabase(values.backend ?? 'pglite', { url: values.url });
  const open = (observability: boolean) =>
    openSideApp(
      { observability, embedder: values.embedder ?? 'auto', sampleRatio, contentCapture },
      scratch.db,
    );
  const on = await open(!values.control);
  const off = await open(false);
  await ingestDemoKnowledge(off);
  const side = (app: Groundwork): BenchSide => {
    const http = createHttpApp(app);
    return {
      ask: async (index) => (await askOnce(http, index)).total,
      work: async (requests) => {
        const cpu = process.cpuUsage();
        await runAskLoad(http, { requests, concurrency: 1 });
        await app.observability.flush();
        const used = process.cpuUsage(cpu);
        return (used.user + used.system) / 1000 / requests;
      },
      close: () => app.close(),
    };
  };
  sides = { on: side(on), off: side(off) };
  // Warm-up: JIT, prepared statements, caches.
  await sides.on.work(60);
  await sides.off.work(60);
  storedTraces = async () => {
    await on.observability.flush();
    const stored = await scratch.db.query<{ count: number }>('SELECT count(*)::int AS count FROM traces');
    return stored.rows[0]?.count ?? 0;
  };
  closeAll = async () => {
    await off.close();
    await on.close();
    await scratch.drop();
  };
}

const loadBefore = os.loadavg();
type Side = { p50: number; p95: number };
type Run = { on: Side; off: Side; pairMedian: number; cpuOn: number; cpuOff: number };
const runs: Run[] = [];
const allPairs: { on: number; off: number }[] = [];

for (let run = 0; run < Number(values.runs); run++) {
  const onTimes: number[] = [];
  const offTimes: number[] = [];
  const differences: number[] = [];
  for (let index = 0; index < pairs; index++) {
    const onFirst = (index + run) % 2 === 0;
    const first = await (onFirst ? sides.on : sides.off).ask(index);
    const second = await (onFirst ? sides.off : sides.on).ask(index);
    const pair = onFirst ? { on: first, off: second } : { on: second, off: first };
    onTimes.push(pair.on);
    offTimes.push(pair.off);
    differences.push(pair.on - pair.off);
    allPairs.push(pair);
  }
  const cpuFirst = run % 2 === 0 ? 'on' : 'off';
  const a = await sides[cpuFirst].work(cpuRequests);
  const b = await sides[cpuFirst === 'on' ? 'off' : 'on'].work(cpuRequests);
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
      `(pair median ${figures.pairMedian.toFixed(3)}); ${values.isolate ? 'busy' : 'CPU'}/request on ${figures.cpuOn.toFixed(3)} off ${figures.cpuOff.toFixed(3)} ms\n`,
  );
}
const loadAfter = os.loadavg();
const tracesStored = await storedTraces();
await closeAll();

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
      isolate: values.isolate,
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
      // In-process: process CPU per request (all threads). Isolated: the side's busy event-loop time.
      [values.isolate ? 'busyMsPerRequest' : 'cpuMsPerRequest']: {
        on: pick((run) => run.cpuOn),
        off: pick((run) => run.cpuOff),
        overhead: pick((run) => run.cpuOn - run.cpuOff),
      },
      tracesStored,
    },
    null,
    2,
  )}\n`,
);
