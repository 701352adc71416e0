/**
 * A small cluster on one Postgres server, under load: `--api` API processes and `--workers` worker
 * processes of `bin/groundwork serve --role …` sharing one database, one blob folder and one session
 * secret, with `--clients` clients behind a round-robin balancer (here in the bench: it sends each
 * request to the next API process and moves on to the next one when a connection is refused, as a
 * load balancer does). While they run, a large ingest (the PostgreSQL manual by default) is worked
 * by the worker processes, and one extra client floods the API with one key to show that its rate
 * limit is one bucket across the processes, not one per process.
 *
 * Then, still under load, each process gets SIGTERM in turn (worker first, mid-ingest; a fresh worker
 * takes over the job; then the API processes one by one): every request sent before is answered,
 * every answer stream ends with a `done` or `error` event, and each process exits 0 on its own.
 *
 *   npx tsx bench/cluster-load.ts --url postgres://postgres@127.0.0.1:55432/postgres \
 *     [--api 2] [--workers 1] [--clients 50] [--duration 180] [--ingest <folder>] [--root <checkout>]
 *
 * A fresh database is created on the server and dropped afterwards. Answers are extractive and search
 * is lexical (no models), so what is measured is the platform, not a model.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from '../src/os/free-port.ts';
import { describeMachine, percentile } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    url: {
      type: 'string',
      default: process.env.GROUNDWORK_BENCH_DATABASE_URL ?? process.env.GROUNDWORK_TEST_DATABASE_URL,
    },
    api: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    clients: { type: 'string', default: '50' },
    duration: { type: 'string', default: '180' },
    ingest: { type: 'string', default: '/work/shared/data/postgresql-15-docs/html' },
    root: { type: 'string', default: path.resolve(import.meta.dirname, '..') },
    grace: { type: 'string', default: '10000' },
    'flood-seconds': { type: 'string', default: '60' },
  },
});
if (!values.url) throw new Error('--url (or GROUNDWORK_TEST_DATABASE_URL) must name a Postgres server');
const API_COUNT = Number(values.api);
const WORKER_COUNT = Number(values.workers);
const CLIENTS = Number(values.clients);
const DURATION_MS = Number(values.duration) * 1000;
const GRACE_MS = Number(values.grace);
const FLOOD_MS = Number(values['flood-seconds']) * 1000;
const PER_KEY = { requestsPerMinute: 600, burst: 60 };
/** Concurrent requests of the flooding key: enough to exceed one bucket's rate even on a busy machine. */
const FLOOD_LANES = 48;

const QUESTIONS = [
  'How do I create an index concurrently?',
  'what does VACUUM FULL do',
  // 'How can I dump one database into a file and restore it later?' is refused by the input guard as
  // exfiltration today (issue 19); it goes back in when that is fixed.
  'How do I restore a backup made with pg_dump?',
  'difference between json and jsonb',
  'how to configure streaming replication',
  'What is a partial index?',
  'How do I grant select on all tables in a schema?',
  'what isolation levels are supported',
  'How does autovacuum decide when to run?',
  'window functions rank over partition',
  'how to create a foreign table',
  'What does EXPLAIN ANALYZE show?',
  'how do I change the data directory',
  'listen notify payload size',
  'What are the limits of a text column?',
  'how to use generated columns',
];

// ---------- processes ----------

interface Proc {
  readonly name: string;
  readonly role: 'api' | 'worker';
  readonly port: number;
  child: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  log: string;
}

function startProcess(name: string, role: 'api' | 'worker', port: number, env: NodeJS.ProcessEnv): Proc {
  const child = spawn(
    process.execPath,
    [
      path.join(values.root as string, 'bin/groundwork'),
      'serve',
      // A checkout from before roles existed runs every process as API and worker (CLUSTER_ROLES=off).
      ...(process.env.CLUSTER_ROLES === 'off' ? [] : ['--role', role]),
      '--port',
      String(port),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const proc: Proc = { name, role, port, child, log: '' };
  const keep = (chunk: Buffer) => {
    proc.log = (proc.log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', (code, signal) => {
    proc.exit = { code, signal, at: performance.now() };
  });
  return proc;
}

async function waitReady(proc: Proc, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (proc.exit) throw new Error(`${proc.name} exited during start (${proc.exit.code}):\n${proc.log}`);
    try {
      const response = await fetch(`http://127.0.0.1:${proc.port}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${proc.log}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [path.join(values.root as string, 'bin/groundwork'), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`groundwork ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

// ---------- requests through the balancer ----------

type Outcome =
  /** Answered (any status); `status` tells which. */
  | 'answered'
  /** No process accepted the connection: never sent, so nothing was cut. */
  | 'refused'
  /** Sent, then the connection broke or the stream ended without its final event. */
  | 'cut';

interface Sample {
  readonly op: string;
  readonly process: string;
  readonly status: number;
  readonly ms: number;
  readonly outcome: Outcome;
  readonly at: number;
  readonly detail?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let roundRobin = 0;

interface Target {
  readonly path: string;
  readonly body?: unknown;
  readonly method?: string;
  readonly stream?: boolean;
}

function oneRequest(
  proc: Proc,
  key: string,
  target: Target,
): Promise<{ status: number; outcome: Outcome; detail?: string; refusedBeforeSend?: boolean }> {
  return new Promise((resolve) => {
    const payload = target.body === undefined ? undefined : JSON.stringify(target.body);
    const request = http.request(
      {
        host: '127.0.0.1',
        port: proc.port,
        path: target.path,
        method: target.method ?? (payload ? 'POST' : 'GET'),
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(target.stream ? { accept: 'text/event-stream' } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (target.stream && status === 200 && !/event: (done|error)\n/.test(text))
            resolve({ status, outcome: 'cut', detail: 'stream ended without a done or error event' });
          else
            resolve({ status, outcome: 'answered', detail: status >= 400 ? text.slice(0, 200) : undefined });
        });
        response.on('error', (error) => resolve({ status: 0, outcome: 'cut', detail: error.message }));
        response.on('aborted', () => resolve({ status: 0, outcome: 'cut', detail: 'response aborted' }));
      },
    );
    let sent = false;
    request.on('socket', (socket) => {
      // A kept-alive socket is connected already; a new one says so once.
      if (!socket.connecting) sent = true;
      else
        socket.once('connect', () => {
          sent = true;
        });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A refused connection, or a kept-alive socket the server had already closed before this request
      // was written (ECONNRESET with nothing received), is a request the balancer retries elsewhere.
      const refused = error.code === 'ECONNREFUSED' || (!sent && error.code === 'ECONNRESET');
      resolve({
        status: 0,
        outcome: refused ? 'refused' : 'cut',
        detail: `${error.code ?? ''} ${error.message}`,
        refusedBeforeSend: refused,
      });
    });
    request.setTimeout(120_000, () => request.destroy(new Error('client timeout after 120 s')));
    request.end(payload);
  });
}

/** Sends to the next API process; on a refused connection or a draining 503, tries the others. */
async function balanced(apis: readonly Proc[], key: string, op: string, target: Target): Promise<Sample> {
  const started = performance.now();
  let last: Sample | undefined;
  for (let attempt = 0; attempt < apis.length; attempt++) {
    const proc = apis[roundRobin++ % apis.length] as Proc;
    const result = await oneRequest(proc, key, target);
    const sample: Sample = {
      op,
      process: proc.name,
      status: result.status,
      ms: performance.now() - started,
      outcome: result.outcome,
      at: started,
      detail: result.detail,
    };
    const draining = result.status === 503 && /server_shutting_down|draining/.test(result.detail ?? '');
    if (result.outcome !== 'refused' && !draining) return sample;
    last = sample;
  }
  return last as Sample;
}

function pickTarget(random: () => number): { op: string; target: Target } {
  const question = QUESTIONS[Math.floor(random() * QUESTIONS.length)] as string;
  const roll = random();
  if (roll < 0.55)
    return { op: 'search', target: { path: '/v1/search', body: { query: question, limit: 10 } } };
  if (roll < 0.8) return { op: 'ask', target: { path: '/v1/ask', body: { question } } };
  if (roll < 0.95)
    return { op: 'ask-stream', target: { path: '/v1/ask', body: { question, stream: true }, stream: true } };
  return { op: 'jobs', target: { path: '/v1/jobs' } };
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// ---------- metrics ----------

async function eventLoopDelay(proc: Proc, token: string): Promise<{ p99: number; max: number } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${proc.port}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) return undefined;
    const text = await response.text();
    const read = (quantile: string) =>
      Number(
        new RegExp(`groundwork_event_loop_delay_seconds\\{quantile="${quantile}"\\} ([0-9.e+-]+)`).exec(
          text,
        )?.[1] ?? 'NaN',
      );
    return { p99: read('0.99'), max: read('max') };
  } catch {
    return undefined;
  }
}

// ---------- main ----------

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'gw-cluster-'));
  const dbName = `gw_cluster_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: values.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(values.url as string);
  url.pathname = `/${dbName}`;
  const configFile = path.join(work, 'groundwork.config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      rateLimits: { perKey: PER_KEY, perTenant: { requestsPerMinute: 1_000_000, burst: 100_000 } },
    }),
  );
  const metricsToken = randomBytes(16).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url.toString(),
    GROUNDWORK_CONFIG: configFile,
    GROUNDWORK_BLOB_STORE: `file://${path.join(work, 'blobs')}`,
    GROUNDWORK_SESSION_SECRET: randomBytes(32).toString('base64url'),
    GROUNDWORK_AUTH: 'required',
    GROUNDWORK_EMBEDDER: 'none',
    GROUNDWORK_LLM: 'none',
    GROUNDWORK_ALLOWED_ROOTS: values.ingest,
    GROUNDWORK_METRICS_TOKEN: metricsToken,
    GROUNDWORK_SHUTDOWN_GRACE_MS: String(GRACE_MS),
    GROUNDWORK_MODELS_DIR: path.join(work, 'no-models'),
    GROUNDWORK_DATA_DIR: path.join(work, 'data'),
  };
  const procs: Proc[] = [];
  try {
    const adminKey = JSON.parse(
      await runCli(['keys', 'create', '--role', 'admin', '--name', 'bench', '--json'], env),
    ).secret as string;
    const apis: Proc[] = [];
    for (let index = 0; index < API_COUNT; index++)
      apis.push(startProcess(`api-${index + 1}`, 'api', await freePort(), env));
    const workers: Proc[] = [];
    for (let index = 0; index < WORKER_COUNT; index++)
      workers.push(startProcess(`worker-${index + 1}`, 'worker', await freePort(), env));
    procs.push(...apis, ...workers);
    await Promise.all(procs.map((proc) => waitReady(proc)));

    const createKey = async (name: string, role: string) => {
      const response = await fetch(`http://127.0.0.1:${(apis[0] as Proc).port}/v1/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, role }),
      });
      if (!response.ok) throw new Error(`creating key ${name}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { secret: string }).secret;
    };
    const clientKeys: string[] = [];
    for (let index = 0; index < CLIENTS; index++)
      clientKeys.push(await createKey(`client-${index}`, 'operator'));
    const floodKey = await createKey('flood', 'customer');

    // The large ingest, worked by the worker processes while the clients run.
    const submit = async () => {
      const response = await fetch(`http://127.0.0.1:${(apis[0] as Proc).port}/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sources: [{ kind: 'path', path: values.ingest }] }),
      });
      if (!response.ok) throw new Error(`ingest: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id?: string; jobId?: string; job?: { id: string } };
    };
    const submitted = await submit();
    const jobId = submitted.id ?? submitted.jobId ?? submitted.job?.id;
    process.stdout.write(
      `cluster: ${apis.length} API + ${workers.length} worker on ${dbName}; ingest job ${jobId}\n`,
    );

    const samples: Sample[] = [];
    const loops: { p99: number; max: number; process: string; at: number }[] = [];
    const jobTrace: { at: number; processed: number; total: number; chunks: number; status: string }[] = [];
    let stopClients = false;
    const t0 = performance.now();

    const client = async (index: number) => {
      const random = rng(index + 1);
      while (!stopClients) {
        const { op, target } = pickTarget(random);
        samples.push(await balanced(apis, clientKeys[index] as string, op, target));
      }
    };
    const flood = { allowed: 0, limited: 0, other: 0, started: 0, ended: 0 };
    const flooder = async () => {
      flood.started = performance.now();
      const lanes = Array.from({ length: FLOOD_LANES }, async () => {
        while (performance.now() - flood.started < FLOOD_MS && !stopClients) {
          const sample = await balanced(apis, floodKey, 'flood', { path: '/v1/me' });
          if (sample.status === 200) flood.allowed++;
          else if (sample.status === 429) flood.limited++;
          else flood.other++;
        }
      });
      await Promise.all(lanes);
      flood.ended = performance.now();
    };
    const monitor = async () => {
      while (!stopClients) {
        for (const proc of procs) {
          if (proc.exit) continue;
          const delay = await eventLoopDelay(proc, metricsToken);
          if (delay) loops.push({ ...delay, process: proc.name, at: performance.now() - t0 });
        }
        try {
          const response = await fetch(
            `http://127.0.0.1:${(apis.find((api) => !api.exit) as Proc).port}/v1/jobs/${jobId}?status=failed`,
            {
              headers: { authorization: `Bearer ${adminKey}` },
            },
          );
          if (response.ok) {
            const { job } = (await response.json()) as {
              job: { processed: number; total: number; chunks: number; status: string };
            };
            jobTrace.push({
              at: performance.now() - t0,
              processed: job.processed,
              total: job.total,
              chunks: job.chunks,
              status: job.status,
            });
          }
        } catch {
          // every API process may be gone at the very end
        }
        await sleep(5000);
      }
    };

    const clientRuns = Array.from({ length: CLIENTS }, (_, index) => client(index));
    const floodRun = flooder();
    const monitorRun = monitor();
    const progress = setInterval(() => {
      const done = samples.length;
      const job = jobTrace.at(-1);
      process.stdout.write(
        `  t=${((performance.now() - t0) / 1000).toFixed(0)}s requests=${done} ` +
          `ingest=${job ? `${job.processed}/${job.total} (${job.chunks} chunks, ${job.status})` : '?'} load=${os.loadavg()[0]?.toFixed(1)}\n`,
      );
    }, 15_000);
    await sleep(DURATION_MS);
    const steadyEnd = performance.now();

    // Drain phase: SIGTERM each process in turn while the clients go on.
    const drains: { name: string; exitCode: number | null; signal: string | null; msToExit: number }[] = [];
    const terminate = async (proc: Proc) => {
      const sent = performance.now();
      proc.child.kill('SIGTERM');
      while (!proc.exit && performance.now() - sent < GRACE_MS + 20_000) await sleep(50);
      drains.push({
        name: proc.name,
        exitCode: proc.exit?.code ?? null,
        signal: proc.exit?.signal ?? null,
        msToExit: proc.exit ? proc.exit.at - sent : Number.NaN,
      });
      if (!proc.exit) proc.child.kill('SIGKILL');
    };
    // A second ingest so the worker is mid-item when it is told to stop; a fresh worker takes it over.
    const second = await submit();
    const secondJob = second.id ?? second.jobId ?? second.job?.id;
    await sleep(3000);
    for (const worker of workers) await terminate(worker);
    const relief = startProcess('worker-relief', 'worker', await freePort(), env);
    procs.push(relief);
    await waitReady(relief);
    for (const api of apis.slice(0, -1)) {
      await terminate(api);
      await sleep(5000);
    }
    // The last API process goes while requests are still in flight; the clients stop right after.
    const last = apis.at(-1) as Proc;
    setTimeout(() => {
      stopClients = true;
    }, 500);
    await terminate(last);
    stopClients = true;
    clearInterval(progress);
    await Promise.all([...clientRuns, floodRun, monitorRun]);
    // Wait for the relief worker to finish the second job through a fresh API, then stop it too.
    const checker = startProcess('api-check', 'api', await freePort(), env);
    procs.push(checker);
    await waitReady(checker);
    let secondStatus = 'unknown';
    const waitUntil = performance.now() + 600_000;
    while (performance.now() < waitUntil) {
      const response = await fetch(`http://127.0.0.1:${checker.port}/v1/jobs/${secondJob}?status=failed`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      const { job } = (await response.json()) as { job: { status: string } };
      secondStatus = job.status;
      if (!['queued', 'running', 'pending'].includes(job.status)) break;
      await sleep(2000);
    }
    const { job: firstJob } = (await (
      await fetch(`http://127.0.0.1:${checker.port}/v1/jobs/${jobId}?status=failed`, {
        headers: { authorization: `Bearer ${adminKey}` },
      })
    ).json()) as {
      job: { status: string; processed: number; total: number; chunks: number; failed: number };
    };
    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    const { rows: dupes } = await check.query<{ uri: string; n: string }>(
      'SELECT uri, count(*)::text AS n FROM documents GROUP BY tenant_id, uri HAVING count(*) > 1',
    );
    await check.end();
    await terminate(checker);
    await terminate(relief);

    report({
      samples,
      loops,
      jobTrace,
      flood,
      drains,
      t0,
      steadyEnd,
      secondStatus,
      firstJob,
      duplicates: dupes.length,
    });
  } finally {
    for (const proc of procs) if (!proc.exit) proc.child.kill('SIGKILL');
    agent.destroy();
    await sleep(500);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await rm(work, { recursive: true, force: true });
  }
}

interface ReportInput {
  samples: Sample[];
  loops: { p99: number; max: number; process: string; at: number }[];
  jobTrace: { at: number; processed: number; total: number; chunks: number; status: string }[];
  flood: { allowed: number; limited: number; other: number; started: number; ended: number };
  drains: { name: string; exitCode: number | null; signal: string | null; msToExit: number }[];
  t0: number;
  steadyEnd: number;
  secondStatus: string;
  firstJob: { status: string; processed: number; total: number; chunks: number; failed: number };
  duplicates: number;
}

function report(input: ReportInput): void {
  const { samples, t0, steadyEnd } = input;
  const steady = samples.filter((sample) => sample.at < steadyEnd && sample.op !== 'flood');
  const seconds = (steadyEnd - t0) / 1000;
  const lines: string[] = [];
  lines.push(
    `machine: ${describeMachine()}; load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  lines.push(
    `steady phase: ${seconds.toFixed(0)} s, ${CLIENTS} clients, ${API_COUNT} API + ${WORKER_COUNT} worker processes`,
  );
  lines.push('| op | requests | per s | p50 ms | p95 ms | non-2xx | cut |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const op of ['search', 'ask', 'ask-stream', 'jobs', 'all']) {
    const of = op === 'all' ? steady : steady.filter((sample) => sample.op === op);
    const ms = of.map((sample) => sample.ms);
    const bad = of.filter(
      (sample) => sample.outcome === 'answered' && (sample.status < 200 || sample.status >= 300),
    );
    const cut = of.filter((sample) => sample.outcome !== 'answered');
    lines.push(
      `| ${op} | ${of.length} | ${(of.length / seconds).toFixed(1)} | ${percentile(ms, 50).toFixed(1)} | ${percentile(ms, 95).toFixed(1)} | ${bad.length} | ${cut.length} |`,
    );
  }
  const errors = steady.filter((sample) => sample.outcome !== 'answered' || sample.status >= 300);
  for (const sample of errors.slice(0, 10))
    lines.push(
      `  error: ${sample.op} ${sample.process} ${sample.status} ${sample.outcome} ${sample.detail ?? ''}`,
    );
  const steadyLoops = input.loops.filter((loop) => loop.at < steadyEnd - t0);
  for (const name of [...new Set(steadyLoops.map((loop) => loop.process))]) {
    const of = steadyLoops.filter((loop) => loop.process === name);
    lines.push(
      `event-loop delay ${name}: p99 per scrape median ${(
        percentile(
          of.map((l) => l.p99),
          50,
        ) * 1000
      ).toFixed(1)} ms, ` +
        `worst p99 ${(Math.max(...of.map((l) => l.p99)) * 1000).toFixed(1)} ms, worst max ${(Math.max(...of.map((l) => l.max)) * 1000).toFixed(1)} ms (${of.length} scrapes)`,
    );
  }
  const minutes = (input.flood.ended - input.flood.started) / 60_000;
  const oneBucket = PER_KEY.burst + PER_KEY.requestsPerMinute * minutes;
  lines.push(
    `rate limit, one key flooding through ${API_COUNT} API processes for ${(minutes * 60).toFixed(0)} s: ${input.flood.allowed} allowed, ` +
      `${input.flood.limited} limited (429), ${input.flood.other} other; one shared bucket allows ≤ ${oneBucket.toFixed(0)}, ` +
      `one bucket per process would allow ≤ ${(oneBucket * API_COUNT).toFixed(0)}`,
  );
  const trace = input.jobTrace.filter((point) => point.at < steadyEnd - t0);
  const firstPoint = trace.find((point) => point.processed > 0);
  const lastPoint = trace.at(-1);
  if (firstPoint && lastPoint && lastPoint.at > firstPoint.at)
    lines.push(
      `ingest during load: ${lastPoint.processed}/${lastPoint.total} files, ${lastPoint.chunks} chunks by ${(lastPoint.at / 1000).toFixed(0)} s ` +
        `(${((lastPoint.chunks - firstPoint.chunks) / ((lastPoint.at - firstPoint.at) / 1000)).toFixed(0)} chunks/s); first job at the end: ${input.firstJob.status} ` +
        `${input.firstJob.processed}/${input.firstJob.total}, ${input.firstJob.failed} failed`,
    );
  lines.push(
    `second ingest (its worker drained mid-job, a fresh worker took over): ${input.secondStatus}; documents with the same URI twice: ${input.duplicates}`,
  );
  const drainPhase = samples.filter((sample) => sample.at >= steadyEnd);
  lines.push(
    `drain phase: ${drainPhase.length} requests, ${drainPhase.filter((s) => s.outcome === 'cut').length} cut, ` +
      `${drainPhase.filter((s) => s.outcome === 'refused').length} refused by every process (never sent), ` +
      `${drainPhase.filter((s) => s.outcome === 'answered' && s.status >= 500).length} answered 5xx, ` +
      `${drainPhase.filter((s) => s.op === 'ask-stream' && s.outcome === 'answered').length} streams ended with their final event`,
  );
  for (const sample of drainPhase.filter((s) => s.outcome === 'cut' || s.status >= 500).slice(0, 10))
    lines.push(
      `  drain: ${sample.op} ${sample.process} ${sample.status} ${sample.outcome} ${sample.detail ?? ''}`,
    );
  for (const drain of input.drains)
    lines.push(
      `SIGTERM ${drain.name}: exit ${drain.exitCode ?? drain.signal} after ${drain.msToExit.toFixed(0)} ms`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
