/**
 * The fault suite: the real server (`bin/groundwork serve`, a child process) on a Postgres server
 * this test owns, under mixed HTTP load (search, ask, feedback, ingestion by path, uploads), while
 * the test terminates its backends (`pg_terminate_backend`) again and again, restarts it
 * (`pg_ctl restart -m fast` and `-m immediate`) and stops it for a few seconds. Asserted: the server
 * process never exits; no response is a 5xx other than 503 `database_unavailable` with
 * `Retry-After`, and those come only during an outage; everything works again after it; and the
 * documents and chunks stored are exactly those of a clean ingest of the same files (none lost, none
 * twice, statistics consistent with the rows).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { sleep } from '../../src/os/abortable.ts';
import { freePort } from '../../src/os/free-port.ts';
import { type RunningCli, startCli } from './cli-run.ts';
import { digestDocuments, lexicalStatsDrift, writeCorpus } from './corpus.ts';
import { type LoadReport, runLoad } from './load.ts';
import { type OwnPostgres, postgresBinariesPresent, startOwnPostgres } from './own-postgres.ts';

/** A 503 may come this long after a fault's end (reconnecting pools, requests in flight). */
const GRACE_MS = 5_000;
const EMBEDDER = 'test:hash-64';

describe.skipIf(!postgresBinariesPresent())('the server under database faults', () => {
  let postgres: OwnPostgres;
  let server: RunningCli;
  let scratch: string;
  let baseUrl: string;
  let pathFiles: string[] = [];
  let uploadFiles: string[] = [];
  const exits: string[] = [];
  const outages: { kind: string; start: number; end: number }[] = [];
  let load: LoadReport;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gw-faults-'));
    pathFiles = await writeCorpus(path.join(scratch, 'corpus'), 'doc', 36, 7);
    uploadFiles = await writeCorpus(path.join(scratch, 'uploads'), 'upload', 8, 11);
    postgres = await startOwnPostgres(await freePort());
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = startCli(['serve', '--port', String(port)], {
      DATABASE_URL: postgres.url,
      GROUNDWORK_DATA_DIR: path.join(scratch, 'data'),
      GROUNDWORK_MODELS_DIR: path.join(scratch, 'models'),
      GROUNDWORK_EMBEDDER: EMBEDDER,
      GROUNDWORK_LLM: 'none',
      GROUNDWORK_AUTH: 'off',
      GROUNDWORK_ANSWER_CACHE: 'off',
      GROUNDWORK_ALLOWED_ROOTS: path.join(scratch, 'corpus'),
      // Fail fast while the server is down, so clients get their 503 at once.
      GROUNDWORK_DB_CONNECTION_TIMEOUT_MS: '1000',
    });
    void server.exit.then((result) => exits.push(`exit ${result.code}: ${result.stderr.slice(-2000)}`));
    await server.waitFor(/groundwork is running at/);
  }, 300_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      process.kill(-(server.child.pid as number), 'SIGTERM');
      await server.exit;
    }
    await postgres?.destroy();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** Runs a fault and records the time it took as an outage window. */
  async function fault(kind: string, act: () => Promise<void>): Promise<void> {
    const start = Date.now();
    await act();
    outages.push({ kind, start, end: Date.now() });
  }

  async function terminateBackends(): Promise<void> {
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name LIKE 'groundwork-%' AND pid <> pg_backend_pid()`,
      );
    } finally {
      await admin.end();
    }
  }

  it('never exits, answers 503 only during outages, recovers, and loses or doubles no document', async () => {
    // Batches of four paths, submitted over the run so ingestion is going on during the faults.
    const batches = Array.from({ length: Math.ceil(pathFiles.length / 4) }, (_, index) =>
      pathFiles.slice(index * 4, index * 4 + 4),
    );
    let faultsDone: () => void = () => {};
    const until = new Promise<void>((resolve) => {
      faultsDone = resolve;
    });
    const running = runLoad({ baseUrl, ingestBatches: batches, uploads: uploadFiles, until });

    await sleep(2500);
    for (let round = 0; round < 3; round++) {
      await fault('terminate', terminateBackends);
      await sleep(900);
    }
    await fault('restart fast', () => postgres.restart('fast'));
    await sleep(2000);
    await fault('restart immediate', () => postgres.restart('immediate'));
    await sleep(2000);
    await fault('stopped for 3 s', async () => {
      await postgres.stop();
      await sleep(3000);
      await postgres.start();
    });
    await sleep(1500);
    await fault('terminate', terminateBackends);
    await sleep(1500);
    faultsDone();
    load = await running;

    const tally = new Map<string, number>();
    for (const sample of load.samples) {
      const key = `${sample.route} ${sample.status}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    console.info(
      `fault suite: ${load.samples.length} responses ${JSON.stringify(Object.fromEntries([...tally].sort()))}; ` +
        `outages ${outages.map((outage) => `${outage.kind} ${outage.end - outage.start} ms`).join(', ')}; ` +
        `uploads acknowledged ${load.ackedUploads.length}, refused ${load.refusedUploads.length}`,
    );
    // No exit, ever.
    expect(exits).toEqual([]);
    expect(load.rejectedSubmits).toEqual([]);

    // Only 503 database_unavailable (with Retry-After) among 5xx, and none without a response.
    const wrong = load.samples.filter(
      (sample) =>
        sample.status === 0 ||
        (sample.status >= 500 &&
          (sample.status !== 503 || sample.code !== 'database_unavailable' || !sample.retryAfter)),
    );
    expect(wrong).toEqual([]);

    // Each 503 overlaps an outage (or its grace period).
    const unavailable = load.samples.filter((sample) => sample.status === 503);
    const outside = unavailable.filter(
      (sample) =>
        !outages.some(
          (outage) => sample.endedAt >= outage.start && sample.startedAt <= outage.end + GRACE_MS,
        ),
    );
    expect(outside).toEqual([]);
    // The stop of several seconds must have been seen by clients, or this test proves nothing.
    expect(unavailable.length).toBeGreaterThan(0);
    const served = load.samples.filter((sample) => sample.status < 400).length;
    expect(served).toBeGreaterThan(20);

    // Full recovery: ready, and searches, answers and ratings work.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await fetch(`${baseUrl}/readyz`)).status !== 200) await sleep(250);
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
    const ask = await fetch(`${baseUrl}/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'How do I reset the router firmware?' }),
    });
    expect(ask.status).toBe(200);
    const { traceId } = (await ask.json()) as { traceId: string };
    await sleep(200);
    const rated = await fetch(`${baseUrl}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ traceId, rating: 'down' }),
    });
    expect(rated.status).toBeLessThan(300);

    // Every acknowledged job finishes, with no file failed.
    const jobDeadline = Date.now() + 90_000;
    const pending = new Set(load.jobIds);
    while (pending.size > 0 && Date.now() < jobDeadline) {
      for (const id of [...pending]) {
        const response = await fetch(`${baseUrl}/v1/jobs/${id}`);
        if (response.status !== 200) continue;
        const { job, items } = (await response.json()) as {
          job: { status: string; failed: number };
          items: { status: string; uri: string; reason: string | null }[];
        };
        if (job.status === 'queued' || job.status === 'running') continue;
        expect({ id, status: job.status, failed: items.filter((item) => item.status === 'failed') }).toEqual({
          id,
          status: 'done',
          failed: [],
        });
        pending.delete(id);
      }
      if (pending.size > 0) await sleep(500);
    }
    expect([...pending]).toEqual([]);

    // What is stored equals a clean ingest of the same files: none lost, none twice.
    const stored = new pg.Client({ connectionString: postgres.url });
    await stored.connect();
    let faulted: Map<string, string[]>;
    try {
      faulted = await digestDocuments(stored, 'default');
      expect(await lexicalStatsDrift(stored, 'default')).toBeUndefined();
    } finally {
      await stored.end();
    }
    const clean = await createGroundwork(
      loadConfig({ dataDir: 'memory://', embedder: EMBEDDER, llm: { model: 'none' } }),
    );
    let expected: Map<string, string[]>;
    try {
      await clean.ingestion.submit(
        'default',
        { sources: [...pathFiles, ...uploadFiles].map((file) => ({ kind: 'path' as const, path: file })) },
        { trusted: true },
      );
      await clean.ingestion.drain();
      expected = await digestDocuments(clean.db, 'default');
    } finally {
      await clean.close();
    }
    const mustHave = [...pathFiles.map((file) => path.basename(file)), ...load.ackedUploads];
    const missing = mustHave.filter((name) => !faulted.has(name));
    const doubled = [...faulted].filter(([, digests]) => digests.length > 1).map(([name]) => name);
    const differing = [...faulted]
      .filter(([name, digests]) => expected.get(name)?.[0] !== digests[0])
      .map(([name]) => name);
    expect({ missing, doubled, differing }).toEqual({ missing: [], doubled: [], differing: [] });
    // An upload refused with 503 was not acknowledged; stored anyway, it must at least be whole (above).
    expect(exits).toEqual([]);
  }, 240_000);
});
