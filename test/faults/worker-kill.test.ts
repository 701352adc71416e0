/**
 * `kill -9` of the worker mid-item (issue 16, ADR 0034). The real server (`bin/groundwork serve`, a
 * child process) ingests a corpus from a Postgres server; one item of the job is a URL this test
 * serves and holds open, so the worker is inside that item when the test kills the whole process
 * group with SIGKILL, twice, restarting it each time. Asserted: the restarted worker takes the job
 * over once its lease expires and completes it; the job counts the two lost workers; no document is
 * lost or stored twice, and every document and chunk equals a clean ingest of the same sources.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { sleep } from '../../src/os/abortable.ts';
import { freePort } from '../../src/os/free-port.ts';
import type { JobRow } from '../../src/store/jobs.ts';
import { createScratchDatabase } from '../../src/testing/databases.ts';
import { type RunningCli, startCli } from './cli-run.ts';
import { digestDocuments, lexicalStatsDrift, writeCorpus } from './corpus.ts';

const EMBEDDER = 'test:hash-64';
const SERVER_URL = process.env.GROUNDWORK_TEST_DATABASE_URL;
const SLOW_TEXT = '# Held page\n\nThe courier parcel shipping schedule for the mesh router replacement.\n';

describe.skipIf(!SERVER_URL)('the worker killed with SIGKILL mid-item', () => {
  let scratch: string;
  let database: { url: string; drop(): Promise<void> };
  let files: string[] = [];
  let pageUrl = '';
  let http: ReturnType<typeof createHttpServer>;
  /** Requests of the held page so far; the first two are held until the worker dies. */
  let pageHits = 0;
  const held: ServerResponse[] = [];
  const arrivals: (() => void)[] = [];
  let server: RunningCli | undefined;
  const env = () => ({
    DATABASE_URL: database.url,
    GROUNDWORK_DATA_DIR: path.join(scratch, 'data'),
    GROUNDWORK_MODELS_DIR: path.join(scratch, 'models'),
    GROUNDWORK_EMBEDDER: EMBEDDER,
    GROUNDWORK_LLM: 'none',
    GROUNDWORK_AUTH: 'off',
    GROUNDWORK_INGEST_ALLOWED_URL_HOSTS: '127.0.0.1',
    // A short lease, so the restarted worker takes the job over within seconds.
    GROUNDWORK_INGEST_LEASE_MS: '3000',
    GROUNDWORK_INGEST_RETRY_BASE_MS: '500',
  });

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gw-worker-kill-'));
    files = await writeCorpus(path.join(scratch, 'corpus'), 'doc', 24, 17);
    database = await createScratchDatabase(SERVER_URL as string);
    http = createHttpServer((request, response) => {
      if (request.url !== '/held/page.md') {
        response.statusCode = 404;
        response.end();
        return;
      }
      pageHits++;
      for (const arrived of arrivals.splice(0)) arrived();
      if (pageHits <= 2) {
        held.push(response);
        return;
      }
      response.setHeader('content-type', 'text/markdown');
      response.end(SLOW_TEXT);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}/held/page.md`;
  }, 60_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      process.kill(-(server.child.pid as number), 'SIGKILL');
      await server.exit;
    }
    http?.closeAllConnections();
    http?.close();
    await database?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  let baseUrl = '';
  const startServer = async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const started = startCli(['serve', '--port', String(port)], env());
    await started.waitFor(/groundwork is running at/, 240_000);
    return started;
  };
  const nextPageRequest = () => new Promise<void>((resolve) => arrivals.push(resolve));

  it('completes the job after two kills, with every document once and equal to a clean ingest', async () => {
    const sources = [
      ...files.slice(0, 12).map((file) => ({ kind: 'path' as const, path: file })),
      { kind: 'url' as const, url: pageUrl },
      ...files.slice(12).map((file) => ({ kind: 'path' as const, path: file })),
    ];
    // Queue the job the way the CLI does, then let the child server run it.
    const submitter = await createGroundwork(
      loadConfig({
        databaseUrl: database.url,
        dataDir: path.join(scratch, 'submit'),
        embedder: EMBEDDER,
        llm: { model: 'none' },
        ingest: { allowedUrlHosts: ['127.0.0.1'] },
      }),
    );
    let jobId: string;
    try {
      jobId = (await submitter.ingestion.submit('default', { sources }, { trusted: true })).id;
    } finally {
      await submitter.close();
    }

    for (let kill = 0; kill < 2; kill++) {
      const arrived = nextPageRequest();
      server = await startServer();
      await arrived;
      // The worker is inside the held item (and its other lane in another): kill -9 the process group.
      process.kill(-(server.child.pid as number), 'SIGKILL');
      await server.exit;
      for (const response of held.splice(0)) response.destroy();
    }
    server = await startServer();

    let job: JobRow | undefined;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const response = await fetch(`${baseUrl}/v1/jobs/${jobId}`);
      if (response.ok) {
        job = ((await response.json()) as { job: JobRow }).job;
        if (!['queued', 'running'].includes(job.status)) break;
      }
      await sleep(500);
    }
    expect(job?.status).toBe('done');
    expect(job?.failed).toBe(0);
    expect(job?.succeeded).toBe(sources.length);
    expect(job?.workerLosses).toBe(2);
    expect(pageHits).toBe(3);

    const stored = new pg.Client({ connectionString: database.url });
    await stored.connect();
    let faulted: Map<string, string[]>;
    try {
      faulted = await digestDocuments(stored, 'default');
      expect(await lexicalStatsDrift(stored, 'default')).toBeUndefined();
    } finally {
      await stored.end();
    }
    const clean = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        embedder: EMBEDDER,
        llm: { model: 'none' },
        ingest: { allowedUrlHosts: ['127.0.0.1'] },
      }),
    );
    let expected: Map<string, string[]>;
    try {
      await clean.ingestion.submit('default', { sources }, { trusted: true });
      await clean.ingestion.drain();
      expected = await digestDocuments(clean.db, 'default');
    } finally {
      await clean.close();
    }
    const names = [...expected.keys()].sort();
    expect(names).toHaveLength(sources.length);
    const missing = names.filter((name) => !faulted.has(name));
    const doubled = [...faulted].filter(([, digests]) => digests.length > 1).map(([name]) => name);
    const differing = names.filter((name) => faulted.get(name)?.[0] !== expected.get(name)?.[0]);
    expect({ missing, doubled, differing }).toEqual({ missing: [], doubled: [], differing: [] });
  }, 600_000);
});
