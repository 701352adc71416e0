/**
 * A database outage in the middle of an ingestion job is not the files' fault: no item is recorded
 * as failed because the database went away, the job is not failed, and once the database is back the
 * worker resumes the job where it stopped (without waiting for the stale-job timeout), so every file
 * ends up stored exactly once with counters that match the rows.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { openDatabase } from '../store/open.ts';
import { createScratchDatabase } from '../testing/databases.ts';
import { type FaultProxy, startFaultProxy } from '../testing/fault-proxy.ts';

const serverUrl = process.env.GROUNDWORK_TEST_DATABASE_URL;
if (!serverUrl && process.env.CI === 'true') {
  throw new Error('CI must test against a Postgres server: set GROUNDWORK_TEST_DATABASE_URL.');
}
const FILES = 12;

describe.skipIf(!serverUrl)('ingestion through a database outage', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: FaultProxy;
  let db: Database;
  let app: Groundwork;
  let folder: string;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    scratch = await createScratchDatabase(serverUrl as string);
    proxy = await startFaultProxy(scratch.url);
    db = await openDatabase({ databaseUrl: proxy.url });
    app = await createGroundwork(
      loadConfig({ dataDir: 'memory://', embedder: 'test:hash-64', ingestConcurrency: 2 }),
      { db },
    );
    folder = await mkdtemp(path.join(tmpdir(), 'gw-outage-'));
    for (let index = 0; index < FILES; index++) {
      const topic = `topic${index} ${'alpha beta gamma '.repeat(20 + index)}`;
      await writeFile(
        path.join(folder, `note-${index}.md`),
        `# Note ${index}\n\n${topic}\n\n## More\n\n${topic}\n`,
      );
    }
  });
  afterAll(async () => {
    await app?.close().catch(() => {});
    await db?.close();
    await proxy?.close();
    await scratch?.drop();
    await rm(folder, { recursive: true, force: true });
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  });

  it('resumes the job after the outage and stores every file once, none failed', async () => {
    let ended = 0;
    let outages = 0;
    app.ingestion.events.on('item-end', () => {
      ended++;
      // Twice: once early, once later in the job, each a cut plus half a second of refused connections.
      if (ended === 3 || ended === 8) {
        outages++;
        proxy.setMode('refuse');
        proxy.cut();
        setTimeout(() => proxy.setMode('pass'), 500);
      }
    });
    const workerErrors: unknown[] = [];
    app.ingestion.events.on('worker-error', (error) => workerErrors.push(error));
    const job = await app.ingestion.submit(
      'default',
      { sources: [{ kind: 'path', path: folder }] },
      { trusted: true },
    );
    app.ingestion.start(100);
    // Well under the 60 s after which a silent job is taken over: the worker must requeue its own.
    const deadline = Date.now() + 30_000;
    let status = '';
    while (Date.now() < deadline) {
      status = await app.ingestion
        .getJob('default', job.id)
        .then((row) => row?.status ?? 'missing')
        .catch(() => 'unreachable');
      if (['done', 'failed', 'cancelled'].includes(status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(outages).toBe(2);
    expect(status).toBe('done');
    const final = (await app.ingestion.getJob('default', job.id))!;
    const items = await app.ingestion.listItems(job.id);
    expect(items.filter((item) => item.status === 'failed')).toEqual([]);
    expect(items.every((item) => item.status === 'done' || item.status === 'unchanged')).toBe(true);
    expect(final.failed).toBe(0);
    expect(final.succeeded + final.skipped).toBe(FILES);
    const { rows } = await db.query<{ uri: string; chunks: number; stored: number }>(
      `SELECT d.uri, d.chunk_count AS chunks, (SELECT count(*)::int FROM chunks c WHERE c.document_id = d.id) AS stored
       FROM documents d WHERE d.tenant_id = 'default' ORDER BY d.uri`,
    );
    expect(rows.map((row) => path.basename(row.uri)).sort()).toEqual(
      Array.from({ length: FILES }, (_, index) => `note-${index}.md`).sort(),
    );
    for (const row of rows) {
      expect(row.stored).toBeGreaterThan(0);
      expect(row.stored).toBe(row.chunks);
    }
    expect(uncaught).toEqual([]);
  });
});
