/**
 * The API's responsiveness while the same process ingests (issue 16, ADR 0057). Each run starts
 * `bin/groundwork serve --role all` of a checkout on a fresh database (embedded, or a scratch database
 * on a Postgres server with `--database-url`), queues one job with a large text file (the PostgreSQL 15
 * manual from /work/shared/data as plain text, repeated to `--text-mb`) and an HTML set (`--html`
 * pages of the same manual), and until the job ends samples `/healthz` latency every 100 ms (one
 * request at a time) and scrapes `groundwork_event_loop_delay_seconds` (max and p99 since the previous
 * scrape) every second. Beside those probes a second client sends a lexical `/v1/search` at a time,
 * each one second after the previous answered, to see whether searches answer while the document is
 * written. Runs of the checkouts alternate; figures are medians over runs.
 *
 *   npx tsx bench/event-loop-under-ingest.ts --root /tmp/base-process --root . [--runs 3] [--text-mb 8]
 *     [--html 300] [--database-url postgres://…]
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from '../src/os/free-port.ts';
import { describeMachine, median, percentile } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    root: { type: 'string', multiple: true },
    runs: { type: 'string', default: '3' },
    'text-mb': { type: 'string', default: '8' },
    html: { type: 'string', default: '300' },
    manual: { type: 'string', default: '/work/shared/data/postgresql-15-docs/html' },
    'database-url': { type: 'string' },
  },
});
const roots = (values.root ?? [path.resolve(import.meta.dirname, '..')]).map((root) => path.resolve(root));

interface RunResult {
  readonly root: string;
  readonly jobSeconds: number;
  readonly status: string;
  readonly healthz: { p50: number; p95: number; p99: number; max: number; count: number };
  /** Largest event-loop delay any scrape reported, and the median of the scrapes' p99, in ms. */
  readonly loopMaxMs: number;
  /** Searches sent during the ingest: latency p50 and max (ms), how many, how many failed. */
  readonly search: { p50: number; max: number; count: number; failed: number };
  readonly loopP99Ms: number;
  readonly scrapeMaxMs: number;
  /** Probes, scrapes or polls that failed (connection reset). */
  readonly errors: number;
}

/** The manual's pages as text: tags, scripts and styles dropped, entities for the common few decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n\s*\n+/g, '\n\n');
}

/** Writes the corpus once: `manual.txt` of `textMb` MB and `html/` with `htmlCount` pages. */
async function buildCorpus(folder: string): Promise<void> {
  const pages = (await readdir(values.manual)).filter((name) => name.endsWith('.html')).sort();
  const texts: string[] = [];
  for (const page of pages) texts.push(htmlToText(await readFile(path.join(values.manual, page), 'utf8')));
  const once = texts.join('\n\n');
  const target = Number(values['text-mb']) * 1_000_000;
  let text = '';
  for (let copy = 1; text.length < target; copy++) text += `\n\nCopy ${copy}\n\n${once}`;
  await writeFile(path.join(folder, 'manual.txt'), text.slice(0, target));
  await mkdir(path.join(folder, 'html'));
  for (const page of pages.slice(0, Number(values.html))) {
    await cp(path.join(values.manual, page), path.join(folder, 'html', page));
  }
}

async function scratchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gw_bench_loop_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

async function oneRun(root: string, corpus: string): Promise<RunResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gw-bench-loop-'));
  const scratch = values['database-url'] ? await scratchDatabase(values['database-url']) : undefined;
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/groundwork'), 'serve', '--port', String(port)],
    {
      cwd: root,
      env: {
        ...process.env,
        GROUNDWORK_DATA_DIR: dataDir,
        GROUNDWORK_MODELS_DIR: path.join(dataDir, 'no-models'),
        GROUNDWORK_EMBEDDER: 'none',
        GROUNDWORK_LLM: 'none',
        GROUNDWORK_ALLOWED_ROOTS: corpus,
        DATABASE_URL: scratch?.url ?? '',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        if (data.toString().includes('groundwork is running')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const submitted = await fetch(`${base}/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sources: [
          { kind: 'path', path: path.join(corpus, 'manual.txt') },
          { kind: 'path', path: path.join(corpus, 'html') },
        ],
      }),
    });
    if (submitted.status !== 202)
      throw new Error(`ingest answered ${submitted.status}: ${await submitted.text()}`);
    const { job } = (await submitted.json()) as { job: { id: string } };
    const started = performance.now();
    const latencies: number[] = [];
    const loopMax: number[] = [];
    const loopP99: number[] = [];
    const scrapes: number[] = [];
    let status = 'queued';
    let errors = 0;
    const searchLatencies: number[] = [];
    let searchFailed = 0;
    const searching = (async () => {
      while (['queued', 'running'].includes(status)) {
        const before = performance.now();
        const ok = await fetch(`${base}/v1/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'autovacuum cost delay settings', mode: 'lexical', limit: 5 }),
        })
          .then(async (response) => {
            await response.arrayBuffer();
            return response.ok;
          })
          .catch(() => false);
        if (ok) searchLatencies.push(performance.now() - before);
        else searchFailed++;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    let lastScrape = 0;
    let lastPoll = 0;
    // Sequential probes: each one waits for the previous, as a load balancer's health check would.
    while (['queued', 'running'].includes(status)) {
      const before = performance.now();
      // A connection the server dropped (its keep-alive timer fires late after a stall) is an error
      // sample: counted, its time kept, and the probe goes on.
      await fetch(`${base}/healthz`)
        .then((response) => response.arrayBuffer())
        .catch(() => errors++);
      latencies.push(performance.now() - before);
      if (performance.now() - lastScrape >= 1000) {
        lastScrape = performance.now();
        const text = await fetch(`${base}/metrics`)
          .then((response) => response.text())
          .catch(() => {
            errors++;
            return '';
          });
        scrapes.push(performance.now() - lastScrape);
        const max = /groundwork_event_loop_delay_seconds\{quantile="max"\} ([\d.e+-]+)/.exec(text)?.[1];
        const p99 = /groundwork_event_loop_delay_seconds\{quantile="0\.99"\} ([\d.e+-]+)/.exec(text)?.[1];
        if (max) loopMax.push(Number(max) * 1000);
        if (p99) loopP99.push(Number(p99) * 1000);
      }
      if (performance.now() - lastPoll >= 1000) {
        lastPoll = performance.now();
        status = await fetch(`${base}/v1/jobs/${job.id}`)
          .then(async (response) => ((await response.json()) as { job: { status: string } }).job.status)
          .catch(() => {
            errors++;
            return status;
          });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await searching;
    return {
      root,
      status,
      jobSeconds: (performance.now() - started) / 1000,
      healthz: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: Math.max(...latencies),
        count: latencies.length,
      },
      loopMaxMs: Math.max(0, ...loopMax),
      search: {
        p50: percentile(searchLatencies, 50),
        max: Math.max(0, ...searchLatencies),
        count: searchLatencies.length,
        failed: searchFailed,
      },
      loopP99Ms: median(loopP99),
      scrapeMaxMs: Math.max(0, ...scrapes),
      errors,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  }
}

const corpus = await mkdtemp(path.join(tmpdir(), 'gw-bench-loop-corpus-'));
await buildCorpus(corpus);
const results = new Map<string, RunResult[]>(roots.map((root) => [root, []]));
try {
  for (let run = 0; run < Number(values.runs); run++) {
    for (const root of roots) {
      const result = await oneRun(root, corpus);
      results.get(root)!.push(result);
      process.stderr.write(
        `run ${run + 1} ${root}: ${result.status} in ${result.jobSeconds.toFixed(1)} s; /healthz p95 ` +
          `${result.healthz.p95.toFixed(0)} ms, max ${result.healthz.max.toFixed(0)} ms; loop delay max ` +
          `${result.loopMaxMs.toFixed(0)} ms; search p50 ${result.search.p50.toFixed(0)} ms, max ` +
          `${result.search.max.toFixed(0)} ms (${result.search.count} answered, ${result.search.failed} failed) (load ${os.loadavg()[0]?.toFixed(2)})\n`,
      );
    }
  }
} finally {
  await rm(corpus, { recursive: true, force: true });
}

const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : 'n/a');
console.log(
  `event loop under ingest: ${values['text-mb']} MB text + ${values.html} HTML pages; ` +
    `${values['database-url'] ? 'Postgres server' : 'embedded PGlite'}; medians of ${values.runs} runs; ${describeMachine()}; ` +
    `load average at the end ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
);
console.log(
  '| checkout | job (s) | /healthz p50 (ms) | p95 | p99 | max | loop delay max (ms) | loop p99 (median of scrapes) | /metrics scrape max (ms) | failed requests | search p50 (ms) | search max (ms) | searches answered | searches failed |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [root, runs] of results) {
  const m = (pick: (result: RunResult) => number) => fmt(median(runs.map(pick)));
  console.log(
    `| ${root} | ${median(runs.map((result) => result.jobSeconds)).toFixed(1)} | ${m((r) => r.healthz.p50)} | ` +
      `${m((r) => r.healthz.p95)} | ${m((r) => r.healthz.p99)} | ${m((r) => r.healthz.max)} | ` +
      `${m((r) => r.loopMaxMs)} | ${m((r) => r.loopP99Ms)} | ${m((r) => r.scrapeMaxMs)} | ${m((r) => r.errors)} | ` +
      `${m((r) => r.search.p50)} | ${m((r) => r.search.max)} | ${m((r) => r.search.count)} | ${m((r) => r.search.failed)} |`,
  );
}
