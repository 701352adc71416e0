/**
 * Job integrity (issue 16, ADR 0034): a heartbeat during long items, fencing of a reclaimed worker's
 * writes, cancels never overwritten, retries with backoff, worker-loss caps, the worker drain, and
 * claims in turn across tenants with per-tenant limits (issue 15). Two workers are two
 * `IngestionService`s on one database; a "slow parser" is the real parser behind a gate the test opens.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestDocuments } from '../../test/faults/corpus.ts';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import type { FileParser } from '../spec/file-parser.ts';
import type { JobRow } from '../store/jobs.ts';
import { testBackends } from '../testing/databases.ts';
import type { FilePreparer } from './prepare/prepare-file.ts';
import { IngestionService, type IngestionServiceOptions } from './service.ts';

const LEASE_MS = 600;

/** A parser that stops before parsing `fileName` until `open()`; `reached` resolves when it got there. */
function gatedParser(parser: FileParser, fileName: string) {
  let open!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const arrived = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const wait = async (name: string | undefined) => {
    if (name === fileName) {
      reached();
      await gate;
    }
  };
  const gated: FileParser = {
    parse: async (input) => {
      await wait(input.fileName);
      return parser.parse(input);
    },
    close: async () => {},
  };
  // Files are parsed through the preparer (parsing, chunking and analysis together, ADR 0057), so
  // the gate sits in front of it too.
  const gatePreparer = (preparer: FilePreparer): FilePreparer => ({
    prepare: async (input) => {
      await wait(input.fileName);
      return preparer.prepare(input);
    },
  });
  return { parser: gated, gatePreparer, open, reached: arrived };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Claims with `worker` until it ran a job or `tries` polls passed; the jobs it ran. */
async function claimWhenStale(worker: IngestionService, tries = 60): Promise<JobRow[]> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const ran = await worker.drain();
    if (ran.length > 0) return ran;
    await sleep(100);
  }
  return [];
}

for (const backend of testBackends()) {
  describe(`job integrity on ${backend.name}`, () => {
    let app: Groundwork;
    let folder: string;
    let server: Server;
    let baseUrl: string;
    const hits = new Map<string, number>();

    const baseParser = () =>
      (app.ingestion as unknown as { options: IngestionServiceOptions }).options.context.parser;

    /** A second (or third) worker on the same database, with its own parser and settings. */
    const worker = (
      overrides: Partial<IngestionServiceOptions> & {
        parser?: FileParser;
        gatePreparer?: (preparer: FilePreparer) => FilePreparer;
      } = {},
    ) => {
      const base = (app.ingestion as unknown as { options: IngestionServiceOptions }).options;
      const { parser, gatePreparer, ...rest } = overrides;
      return new IngestionService({
        ...base,
        staleAfterMs: LEASE_MS,
        heartbeatMs: 100,
        // One item at a time, so which items ran before a gate is known.
        concurrency: 1,
        ...rest,
        context: {
          ...base.context,
          parser: parser ?? base.context.parser,
          preparer: gatePreparer ? gatePreparer(base.context.preparer) : base.context.preparer,
        },
      });
    };

    async function corpus(name: string, files: Record<string, string>): Promise<string> {
      const dir = path.join(folder, name);
      await mkdir(dir, { recursive: true });
      for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
      return dir;
    }

    const THREE = {
      'a.md': '# Alpha\n\nThe alpha router resets with a pin.',
      'b.md': '# Slow\n\nThe slow thermostat pairs over bluetooth in ten seconds.',
      'c.md': '# Gamma\n\nThe gamma sensor measures humidity.',
    };

    async function chunkIds(tenant: string): Promise<string> {
      const { rows } = await app.db.query<{ id: string }>(
        'SELECT id::text FROM chunks WHERE tenant_id = $1 ORDER BY id',
        [tenant],
      );
      return rows.map((row) => row.id).join(',');
    }

    async function cleanDigest(tenant: string, dir: string) {
      await app.ingestion.submit(tenant, { sources: [{ kind: 'path', path: dir }] }, { trusted: true });
      await app.ingestion.drain();
      return digestDocuments(app.db, tenant);
    }

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'gw-jobs-'));
      const db = await backend.open();
      app = await createGroundwork(
        loadConfig({
          dataDir: 'memory://',
          embedder: 'test:hash-64',
          limits: { fetchTimeoutMs: 2000 },
          ingest: {
            allowedUrlHosts: ['127.0.0.1'],
            leaseMs: LEASE_MS,
            heartbeatMs: 100,
            retryBaseMs: 0,
            tenantMaxQueuedJobs: 2,
          },
        }),
        { db },
      );
      server = createServer((request, response) => {
        const url = request.url ?? '';
        const count = (hits.get(url) ?? 0) + 1;
        hits.set(url, count);
        // /flaky-N fails with 503 until its N-th request; /down always does.
        const flaky = /^\/flaky-(\d+)/.exec(url);
        if (url.startsWith('/down') || (flaky && count < Number(flaky[1]))) {
          response.statusCode = 503;
          response.end('busy');
          return;
        }
        response.setHeader('content-type', 'text/plain');
        response.end(`Page ${url}: the courier delivers parcels on weekdays.`);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server?.closeAllConnections();
      server?.close();
      await app?.close();
      await app?.db.close();
      await rm(folder, { recursive: true, force: true });
    });

    it('keeps the lease with a heartbeat while one item runs past it: no other worker takes the job', async () => {
      const dir = await corpus('heartbeat', THREE);
      const slow = gatedParser(baseParser(), 'b.md');
      const first = worker({ parser: slow.parser, gatePreparer: slow.gatePreparer });
      const second = worker();
      const submitted = await app.ingestion.submit(
        'hb',
        { sources: [{ kind: 'path', path: dir }] },
        {
          trusted: true,
        },
      );
      const running = first.drain();
      await slow.reached;
      // Three leases long the item runs; the second worker polls all along and must find nothing.
      const stolen = await claimWhenStale(second, (3 * LEASE_MS) / 100);
      slow.open();
      const [job] = await running;
      expect(stolen).toEqual([]);
      expect(job?.id).toBe(submitted.id);
      expect(job?.status).toBe('done');
      expect(job?.attempts).toBe(1);
      expect(job?.succeeded).toBe(3);
    });

    it('refuses every late write of a worker whose lease was taken over: one document set, finished once', async () => {
      const dir = await corpus('fenced', THREE);
      const clean = await cleanDigest('fenced-clean', dir);
      const slow = gatedParser(baseParser(), 'b.md');
      // A worker that cannot renew its lease (a blocked event loop, or the old between-items heartbeat).
      const hung = worker({ parser: slow.parser, gatePreparer: slow.gatePreparer, heartbeatMs: 60_000 });
      const rescuer = worker();
      const ends: string[] = [];
      for (const service of [hung, rescuer])
        service.events.on('job-end', (job) => ends.push(`${job.id}:${job.status}`));
      const submitted = await app.ingestion.submit(
        'fenced',
        { sources: [{ kind: 'path', path: dir }] },
        { trusted: true },
      );
      const late = hung.drain();
      await slow.reached;
      const [rescued] = await claimWhenStale(rescuer);
      expect(rescued?.id).toBe(submitted.id);
      expect(rescued?.status).toBe('done');
      const finishedAt = rescued?.finishedAt;
      const chunksBefore = await chunkIds('fenced');
      // The hung worker wakes up and finishes its item: nothing of it may land.
      slow.open();
      await late;
      const job = (await app.ingestion.getJob('fenced', submitted.id)) as JobRow;
      expect(job.status).toBe('done');
      expect(job.finishedAt).toBe(finishedAt);
      expect(await chunkIds('fenced')).toBe(chunksBefore);
      expect(ends.filter((end) => end === `${submitted.id}:done`)).toHaveLength(1);
      const digest = await digestDocuments(app.db, 'fenced');
      expect([...digest.entries()].sort()).toEqual([...clean.entries()].sort());
      const items = await app.ingestion.listItems(submitted.id);
      expect(items.map((item) => item.status)).toEqual(['done', 'done', 'done']);
      expect(job.succeeded).toBe(3);
      expect(job.workerLosses).toBe(1);
    });

    for (const where of ['the last item', 'a middle item'] as const) {
      it(`ends cancelled, never done, when cancelled during ${where}`, async () => {
        const files = where === 'the last item' ? { 'b.md': THREE['b.md'] } : THREE;
        const dir = await corpus(`cancel-${where.split(' ')[1]}`, files);
        const slow = gatedParser(baseParser(), 'b.md');
        const single = worker({ parser: slow.parser, gatePreparer: slow.gatePreparer, staleAfterMs: 60_000 });
        const tenant = `cancel-${where.split(' ')[1]}`;
        const submitted = await app.ingestion.submit(
          tenant,
          { sources: [{ kind: 'path', path: dir }] },
          {
            trusted: true,
          },
        );
        const running = single.drain();
        await slow.reached;
        expect(await app.ingestion.cancel(tenant, submitted.id)).toBe(true);
        slow.open();
        const [job] = await running;
        expect(job?.status).toBe('cancelled');
        const stored = (await app.ingestion.getJob(tenant, submitted.id)) as JobRow;
        expect(stored.status).toBe('cancelled');
        if (where === 'a middle item') {
          const items = await app.ingestion.listItems(submitted.id);
          expect(items.find((item) => item.uri.endsWith('c.md'))?.status).toBe('pending');
        }
      });
    }

    it('retries an item that failed transiently (503) with backoff and shows attempts; a parse error is not retried', async () => {
      const submitted = await app.ingestion.submit(
        'retry',
        { sources: [{ kind: 'url', url: `${baseUrl}/flaky-3/page.txt` }] },
        { trusted: true },
      );
      const runs = await app.ingestion.drain();
      expect(runs.filter((run) => run.id === submitted.id).map((run) => run.status)).toEqual([
        'queued',
        'queued',
        'done',
      ]);
      const [item] = await app.ingestion.listItems(submitted.id);
      expect(item?.status).toBe('done');
      expect(item?.attempts).toBe(3);
      expect(hits.get('/flaky-3/page.txt')).toBe(3);
      const job = (await app.ingestion.getJob('retry', submitted.id)) as JobRow;
      expect(job.attempts).toBe(3);

      const dir = await corpus('parse-error', { 'bad.pdf': 'not a pdf at all' });
      const broken = await app.ingestion.submit(
        'retry',
        { sources: [{ kind: 'path', path: dir }] },
        {
          trusted: true,
        },
      );
      await app.ingestion.drain();
      const [bad] = await app.ingestion.listItems(broken.id);
      expect(bad?.status).toBe('failed');
      expect(bad?.attempts).toBe(1);
    });

    it('fails an item after its attempts with the reason, and shows the next retry while waiting', async () => {
      const submitted = await app.ingestion.submit(
        'retry-cap',
        { sources: [{ kind: 'url', url: `${baseUrl}/down/x.txt` }] },
        { trusted: true },
      );
      await app.ingestion.drain();
      const [item] = await app.ingestion.listItems(submitted.id);
      expect(item?.status).toBe('failed');
      expect(item?.code).toBe('fetch_failed');
      expect(item?.attempts).toBe(3);
      expect(item?.reason).toMatch(/after 3 attempts/);
      expect(((await app.ingestion.getJob('retry-cap', submitted.id)) as JobRow).status).toBe('done');

      // With a long backoff the job waits in the queue, and says until when.
      const patient = worker({ retry: { maxItemAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
      const waiting = await patient.submit(
        'retry-wait',
        { sources: [{ kind: 'url', url: `${baseUrl}/down/y.txt` }] },
        { trusted: true },
      );
      const [run] = await patient.drain();
      expect(run?.status).toBe('queued');
      expect(run?.nextAttemptAt).not.toBeNull();
      const [pending] = await patient.listItems(waiting.id);
      expect(pending?.status).toBe('pending');
      expect(pending?.attempts).toBe(1);
      expect(pending?.nextRetryAt).not.toBeNull();
      expect(pending?.reason).toMatch(/attempt 1 of 3 failed, retrying/);
      // Not due yet: another pass claims nothing.
      expect(await patient.drain()).toEqual([]);
      await app.ingestion.cancel('retry-wait', waiting.id);
    });

    it('fails an item its workers died on repeatedly, and a job whose workers kept dying, with reasons', async () => {
      const dir = await corpus('poison', { 'ok.md': THREE['a.md'], 'poison.md': THREE['c.md'] });
      const submitted = await app.ingestion.submit(
        'poison',
        { sources: [{ kind: 'path', path: dir }] },
        {
          trusted: true,
        },
      );
      const { claimJob, insertItems } = await import('../store/jobs.ts');
      await claimJob(app.db, 'dead-worker', 60_000);
      await insertItems(app.db, submitted.id, [path.join(dir, 'ok.md'), path.join(dir, 'poison.md')]);
      // poison.md was started three times and each time its worker died before it finished.
      await app.db.query(
        `UPDATE ingest_job_items SET attempts = 3 WHERE job_id = $1 AND uri LIKE '%poison.md'`,
        [submitted.id],
      );
      await app.db.query(`UPDATE ingest_jobs SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [
        submitted.id,
      ]);
      const [job] = await app.ingestion.drain();
      expect(job?.status).toBe('done');
      const items = await app.ingestion.listItems(submitted.id);
      const poison = items.find((item) => item.uri.endsWith('poison.md'));
      expect(poison?.status).toBe('failed');
      expect(poison?.code).toBe('attempts_exhausted');
      expect(items.find((item) => item.uri.endsWith('ok.md'))?.status).toBe('done');

      const doomed = await app.ingestion.submit(
        'poison',
        { sources: [{ kind: 'path', path: dir }] },
        {
          trusted: true,
        },
      );
      await claimJob(app.db, 'dead-worker', 60_000);
      await app.db.query(
        `UPDATE ingest_jobs SET worker_losses = 5, heartbeat_at = now() - interval '1 hour' WHERE id = $1`,
        [doomed.id],
      );
      await app.ingestion.drain();
      const failed = (await app.ingestion.getJob('poison', doomed.id)) as JobRow;
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/worker stopped .* 6 times/);
    });

    it('drain(grace) hands a stuck job back at once: another worker resumes it without waiting for the lease', async () => {
      const dir = await corpus('drain', THREE);
      const clean = await cleanDigest('drain-clean', dir);
      const slow = gatedParser(baseParser(), 'b.md');
      const leaving = worker({ parser: slow.parser, gatePreparer: slow.gatePreparer, staleAfterMs: 60_000 });
      const next = worker({ staleAfterMs: 60_000 });
      const submitted = await app.ingestion.submit(
        'drain',
        { sources: [{ kind: 'path', path: dir }] },
        {
          trusted: true,
        },
      );
      leaving.start(20);
      await slow.reached;
      await leaving.worker.drain(100);
      expect(leaving.worker.draining).toBe(true);
      const handedBack = (await app.ingestion.getJob('drain', submitted.id)) as JobRow;
      expect(handedBack.status).toBe('queued');
      // Lease 60 s, yet the next worker gets it now.
      const [resumed] = await next.drain();
      expect(resumed?.id).toBe(submitted.id);
      expect(resumed?.status).toBe('done');
      const chunks = await chunkIds('drain');
      slow.open();
      await sleep(200);
      expect(await chunkIds('drain')).toBe(chunks);
      const digest = await digestDocuments(app.db, 'drain');
      expect([...digest.entries()].sort()).toEqual([...clean.entries()].sort());

      // An item that finishes within the grace period is recorded, then the job is handed back.
      const dir2 = await corpus('drain-in-time', THREE);
      const slow2 = gatedParser(baseParser(), 'b.md');
      const polite = worker({ parser: slow2.parser, gatePreparer: slow2.gatePreparer, staleAfterMs: 60_000 });
      const second = await app.ingestion.submit(
        'drain2',
        { sources: [{ kind: 'path', path: dir2 }] },
        {
          trusted: true,
        },
      );
      polite.start(20);
      await slow2.reached;
      const drained = polite.worker.drain(10_000);
      slow2.open();
      await drained;
      const after = (await app.ingestion.getJob('drain2', second.id)) as JobRow;
      expect(after.status).toBe('queued');
      const items = await app.ingestion.listItems(second.id);
      expect(items.map((item) => item.status)).toEqual(['done', 'done', 'pending']);
      await next.drain();
      expect(((await app.ingestion.getJob('drain2', second.id)) as JobRow).status).toBe('done');
    });

    it('claims in turn across tenants and keeps each tenant to its concurrency', async () => {
      // Only this test's jobs are claimable.
      await app.db.query(`UPDATE ingest_jobs SET status = 'cancelled' WHERE status IN ('queued', 'running')`);
      const big = await corpus('fair-a', { 'a.md': THREE['a.md'] });
      const small = await corpus('fair-b', { 'c.md': THREE['c.md'] });
      const ids: string[] = [];
      for (let index = 0; index < 3; index++)
        ids.push(
          (
            await app.ingestion.submit(
              'fair-a',
              { sources: [{ kind: 'path', path: big }] },
              { trusted: true },
            )
          ).id,
        );
      const b = await app.ingestion.submit(
        'fair-b',
        { sources: [{ kind: 'path', path: small }] },
        { trusted: true },
      );
      const { claimJob } = await import('../store/jobs.ts');
      const policy = { staleAfterMs: 60_000, tenantConcurrency: 1 };
      const first = await claimJob(app.db, 'w1', policy);
      const second = await claimJob(app.db, 'w2', policy);
      // Tenant A's first job runs; its other jobs wait behind its concurrency, B's job goes next.
      expect(first?.id).toBe(ids[0]);
      expect(second?.id).toBe(b.id);
      expect(await claimJob(app.db, 'w3', policy)).toBeUndefined();
      await app.db.query(
        `UPDATE ingest_jobs SET status = 'cancelled' WHERE tenant_id IN ('fair-a', 'fair-b')`,
      );
    });

    it('answers 429 ingest_queue_full with Retry-After once a tenant has too much queued', async () => {
      const http = createHttpApp(app);
      const post = () =>
        http.request('/v1/ingest', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sources: [{ kind: 'url', url: `${baseUrl}/q.txt` }] }),
        });
      expect((await post()).status).toBe(202);
      expect((await post()).status).toBe(202);
      const refused = await post();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await refused.json()) as { error: { code: string } };
      expect(body.error.code).toBe('ingest_queue_full');
      await app.ingestion.drain();
      expect((await post()).status).toBe(202);
    });
  });
}
