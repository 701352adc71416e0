/**
 * Fair ingestion across tenants (issue 15, ADR 0069). `bin/groundwork serve` of a checkout runs on a
 * fresh embedded (PGlite) data directory. Tenant A uploads `--files` small Markdown files over
 * `POST /v1/documents` (`--batch` files per request: all in one by default, one job of 2,000 items
 * as in the report; 50 makes 40 jobs); while they are ingested, tenant B searches every 250 ms, a
 * probe reads `/healthz` every 250 ms, and B uploads one file and waits for its job. Reported per
 * checkout: B's search p50/p95/max, /healthz p50/p95/max, B's job wait (queued → started) and time to
 * done, and how long A's ingest took. Several checkouts run one after the other in one invocation
 * (side by side), each `--runs` times, alternating; the table shows medians over runs.
 *
 *   npx tsx bench/tenant-fairness.ts --roots /tmp/base-jobs,. [--files 2000] [--batch 2000] [--runs 1]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../src/os/free-port.ts';
import { describeMachine, median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    roots: { type: 'string', default: path.resolve(import.meta.dirname, '..') },
    files: { type: 'string', default: '2000' },
    /** Files per upload request: 2000 = one job of 2,000 items (the report's case), 50 = 40 jobs. */
    batch: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '1' },
    'timeout-s': { type: 'string', default: '900' },
  },
});
const FILES = Number(values.files);
const BATCH = Number(values.batch);
const RUNS = Number(values.runs);
const TIMEOUT_MS = Number(values['timeout-s']) * 1000;
const WORDS =
  'router mesh firmware reset warranty return refund shipping parcel courier thermostat battery display pairing bluetooth channel signal antenna cable adapter invoice order account password schedule heating cooling sensor humidity filter'.split(
    ' ',
  );

function cli(root: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/groundwork'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString();
    });
    child.stderr.on('data', (data: Buffer) => {
      out += data.toString();
    });
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`cli ${args.join(' ')}: ${out}`)),
    );
  });
}

function fileText(index: number): string {
  let text = `# Note ${index}\n\n`;
  for (let paragraph = 0; paragraph < 4; paragraph++) {
    const words = Array.from(
      { length: 40 },
      (_, at) => WORDS[(index * 7 + paragraph * 13 + at * 3) % WORDS.length],
    );
    text += `${words.join(' ')}.\n\n`;
  }
  return text;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);

interface RunResult {
  readonly root: string;
  readonly search: { p50: number; p95: number; max: number; n: number; errors: number };
  readonly healthz: { p50: number; p95: number; max: number; n: number };
  readonly bWaitMs: number;
  readonly bDoneMs: number;
  readonly aIngestS: number;
  readonly aDone: number;
  readonly refused429: number;
}

async function runOnce(root: string): Promise<RunResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gw-fair-'));
  const env = {
    GROUNDWORK_DATA_DIR: dataDir,
    GROUNDWORK_EMBEDDER: 'none',
    GROUNDWORK_LLM: 'none',
    GROUNDWORK_AUTH: 'required',
    LOG_LEVEL: 'warn',
    CI: '',
  };
  const key = async (tenant: string) => {
    const out = await cli(
      root,
      ['keys', 'create', '--tenant', tenant, '--role', 'admin', '--name', tenant, '--json'],
      env,
    );
    return (JSON.parse(out.slice(out.indexOf('{'))) as { secret: string }).secret;
  };
  const keyA = await key('tenant-a');
  const keyB = await key('tenant-b');
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [path.join(root, 'bin/groundwork'), 'serve', '--port', String(port)],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let serverOutput = '';
  server.stdout?.on('data', (data: Buffer) => {
    serverOutput += data.toString();
  });
  server.stderr?.on('data', (data: Buffer) => {
    serverOutput += data.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const call = (secret: string, route: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${secret}`, ...(init.headers ?? {}) },
    });
  try {
    for (let tries = 0; ; tries++) {
      const up = await fetch(`${base}/healthz`)
        .then((response) => response.ok)
        .catch(() => false);
      if (up) break;
      if (tries > 600) throw new Error(`server did not start:\n${serverOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const upload = async (secret: string, names: string[], texts: string[]) => {
      const form = new FormData();
      for (const [at, name] of names.entries())
        form.append('file', new Blob([texts[at] as string], { type: 'text/markdown' }), name);
      return call(secret, '/v1/documents', { method: 'POST', body: form });
    };
    const waitJob = async (secret: string, id: string) => {
      for (;;) {
        const body = (await (await call(secret, `/v1/jobs/${id}`)).json()) as {
          job: { status: string; createdAt: string; startedAt: string | null; finishedAt: string | null };
        };
        if (['done', 'failed', 'cancelled'].includes(body.job.status)) return body.job;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    // B has one document to search before A starts.
    const seed = (await (await upload(keyB, ['seed.md'], [fileText(999_999)])).json()) as {
      job: { id: string };
    };
    await waitJob(keyB, seed.job.id);

    let measuring = true;
    const searchTimes: number[] = [];
    let searchErrors = 0;
    const healthTimes: number[] = [];
    const searchLoop = (async () => {
      while (measuring) {
        const started = performance.now();
        const response = await call(keyB, '/v1/search', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'courier parcel shipping' }),
        }).catch(() => undefined);
        if (!response?.ok) searchErrors++;
        await response?.arrayBuffer();
        searchTimes.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const healthLoop = (async () => {
      while (measuring) {
        const started = performance.now();
        await fetch(`${base}/healthz`)
          .then((response) => response.arrayBuffer())
          .catch(() => undefined);
        healthTimes.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    const aStarted = performance.now();
    const aJobs: string[] = [];
    let refused429 = 0;
    for (let start = 0; start < FILES; start += BATCH) {
      const names: string[] = [];
      const texts: string[] = [];
      for (let index = start; index < Math.min(FILES, start + BATCH); index++) {
        names.push(`a-${index}.md`);
        texts.push(fileText(index));
      }
      for (;;) {
        const response = await upload(keyA, names, texts);
        if (response.status === 429) {
          refused429++;
          await response.arrayBuffer();
          await new Promise((resolve) =>
            setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000),
          );
          continue;
        }
        if (response.status !== 202)
          throw new Error(`A's upload: ${response.status} ${await response.text()}`);
        aJobs.push(((await response.json()) as { job: { id: string } }).job.id);
        break;
      }
    }
    const bSubmitted = performance.now();
    const bResponse = (await (await upload(keyB, ['b-one.md'], [fileText(123_456)])).json()) as {
      job: { id: string };
    };
    const bJob = await waitJob(keyB, bResponse.job.id);
    const bDoneMs = performance.now() - bSubmitted;
    const bWaitMs = bJob.startedAt ? Date.parse(bJob.startedAt) - Date.parse(bJob.createdAt) : Number.NaN;

    let aDone = 0;
    const deadline = performance.now() + TIMEOUT_MS;
    while (performance.now() < deadline) {
      const body = (await (await call(keyA, '/v1/jobs?limit=200')).json()) as { jobs: { status: string }[] };
      aDone = body.jobs.filter((job) => ['done', 'failed', 'cancelled'].includes(job.status)).length;
      if (aDone >= aJobs.length) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const aIngestS = (performance.now() - aStarted) / 1000;
    measuring = false;
    await Promise.all([searchLoop, healthLoop]);
    const search = [...searchTimes].sort((a, b) => a - b);
    const health = [...healthTimes].sort((a, b) => a - b);
    return {
      root,
      search: {
        p50: percentile(search, 0.5),
        p95: percentile(search, 0.95),
        max: search.at(-1) ?? Number.NaN,
        n: search.length,
        errors: searchErrors,
      },
      healthz: {
        p50: percentile(health, 0.5),
        p95: percentile(health, 0.95),
        max: health.at(-1) ?? Number.NaN,
        n: health.length,
      },
      bWaitMs,
      bDoneMs,
      aIngestS,
      aDone,
      refused429,
    };
  } finally {
    try {
      process.kill(-(server.pid as number), 'SIGKILL');
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
    await rm(dataDir, { recursive: true, force: true });
  }
}

const roots = (values.roots as string).split(',').map((root) => path.resolve(root));
const results: RunResult[] = [];
const loads: number[] = [];
for (let run = 0; run < RUNS; run++) {
  for (const root of roots) {
    loads.push(loadavg()[0] as number);
    const result = await runOnce(root);
    results.push(result);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}
const ms = (value: number) => (Number.isFinite(value) ? `${(value / 1000).toFixed(2)} s` : 'n/a');
process.stdout.write(
  `\n${describeMachine()}; load average at run starts: ${loads.map((load) => load.toFixed(1)).join(', ')}\n`,
);
process.stdout.write(
  `tenant A: ${FILES} files in ${Math.ceil(FILES / BATCH)} upload(s) of up to ${BATCH}; medians over ${RUNS} run(s)\n\n`,
);
process.stdout.write(
  '| checkout | B search p50 | B search p95 | B search max | /healthz p50 | /healthz p95 | /healthz max | B job wait | B job done | A ingest |\n',
);
process.stdout.write('|---|---|---|---|---|---|---|---|---|---|\n');
for (const root of roots) {
  const mine = results.filter((result) => result.root === root);
  const med = (pick: (result: RunResult) => number) => median(mine.map(pick));
  process.stdout.write(
    `| ${root} | ${ms(med((r) => r.search.p50))} | ${ms(med((r) => r.search.p95))} | ${ms(med((r) => r.search.max))} | ` +
      `${ms(med((r) => r.healthz.p50))} | ${ms(med((r) => r.healthz.p95))} | ${ms(med((r) => r.healthz.max))} | ` +
      `${ms(med((r) => r.bWaitMs))} | ${ms(med((r) => r.bDoneMs))} | ${med((r) => r.aIngestS).toFixed(1)} s |\n`,
  );
}
