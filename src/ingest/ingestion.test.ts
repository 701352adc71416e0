import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { JobRow } from '../store/jobs.ts';
import { testBackends } from '../testing/databases.ts';

const shared = path.resolve(import.meta.dirname, '../../../shared/data');

const MANUAL = `---
title: Aurora router manual
---
# Aurora router

## Reset
Hold the reset button for ten seconds until the light blinks yellow.

## Status light
| Light | Meaning |
| --- | --- |
| Blinking red | No internet |
`;

async function ingest(
  app: Groundwork,
  tenant: string,
  input: Parameters<Groundwork['ingestion']['submit']>[1],
) {
  const submitted = await app.ingestion.submit(tenant, input, { trusted: true });
  await app.ingestion.drain();
  const job = (await app.ingestion.getJob(tenant, submitted.id)) as JobRow;
  const items = await app.ingestion.listItems(job.id);
  return { job, items, byName: (name: string) => items.find((item) => path.basename(item.uri) === name) };
}

for (const backend of testBackends()) {
  describe(`ingestion on ${backend.name}`, () => {
    let app: Groundwork;
    let folder: string;
    let server: ReturnType<typeof createServer>;
    let baseUrl: string;

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'gw-ingest-'));
      const db = await backend.open();
      app = await createGroundwork(
        loadConfig({
          dataDir: 'memory://',
          embedder: 'test:hash-64',
          limits: { maxFileBytes: 1024 * 1024, fetchTimeoutMs: 800 },
          // The test's web server listens on loopback, which URL ingestion refuses unless allowed.
          ingest: { allowedUrlHosts: ['127.0.0.1'], maxItemAttempts: 1 },
        }),
        { db },
      );
      server = createServer((request, response) => {
        if (request.url === '/page.html') {
          response.setHeader('content-type', 'text/html');
          response.end(
            '<html><head><title>Shipping</title></head><body><nav>Home | Shop</nav><main><h1>Shipping</h1><p>Standard delivery takes three to five business days.</p></main></body></html>',
          );
        } else if (request.url === '/broken') {
          response.statusCode = 500;
          response.end('boom');
        }
        // /slow never answers: the fetch must time out.
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

    it('ingests a folder, finds its content, and makes an unchanged re-ingest a no-op', async () => {
      await writeFile(path.join(folder, 'router.md'), MANUAL);
      await writeFile(
        path.join(folder, 'notes.txt'),
        'Thermostat schedules can be copied between rooms.\n\nUse the app.',
      );
      await writeFile(path.join(folder, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      const first = await ingest(app, 'kb', { sources: [{ kind: 'path', path: folder }] });
      expect(first.job.status).toBe('done');
      expect(first.items.map((item) => [path.basename(item.uri), item.status])).toEqual([
        ['notes.txt', 'done'],
        ['router.md', 'done'],
      ]);
      const result = await app.retriever.search({
        tenantId: 'kb',
        text: 'how long to hold the reset button',
        limit: 3,
      });
      expect(result.mode).toBe('hybrid');
      expect(result.chunks[0]?.title).toBe('Aurora router manual');
      expect(result.chunks[0]?.headingPath).toContain('Reset');
      const again = await ingest(app, 'kb', { sources: [{ kind: 'path', path: folder }] });
      expect(again.items.map((item) => item.status)).toEqual(['unchanged', 'unchanged']);
      expect(again.job.chunks).toBe(0);
    });

    it('replaces a changed file and removes a deleted one with sync', async () => {
      await writeFile(
        path.join(folder, 'notes.txt'),
        'Thermostat schedules now sync automatically overnight.',
      );
      await rm(path.join(folder, 'router.md'));
      const run = await ingest(app, 'kb', { sources: [{ kind: 'path', path: folder }], sync: true });
      expect(run.byName('notes.txt')?.status).toBe('done');
      expect(run.byName('router.md')?.status).toBe('removed');
      const { rows } = await app.db.query<{ uri: string }>('SELECT uri FROM documents WHERE tenant_id = $1', [
        'kb',
      ]);
      expect(rows.map((row) => path.basename(row.uri))).toEqual(['notes.txt']);
      const old = await app.retriever.search({
        tenantId: 'kb',
        text: 'copied between rooms',
        mode: 'lexical',
      });
      expect(old.chunks.every((chunk) => !chunk.text.includes('copied'))).toBe(true);
    });

    it('gives every bad file a clear per-file reason and carries on with the rest', async () => {
      const bad = await mkdtemp(path.join(tmpdir(), 'gw-bad-'));
      try {
        await writeFile(path.join(bad, 'good.md'), '# Good\n\nThis one is fine.');
        await writeFile(path.join(bad, 'empty.txt'), '');
        await writeFile(
          path.join(bad, 'junk.txt'),
          Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256)),
        );
        await writeFile(path.join(bad, 'huge.txt'), '');
        await truncate(path.join(bad, 'huge.txt'), 2 * 1024 ** 3);
        await writeFile(path.join(bad, 'broken.json'), '{"records": [1, 2');
        const encrypted = path.join(
          shared,
          'pdf-samples/py-pdf-sample-files/005-libreoffice-writer-password__libreoffice-writer-password.pdf',
        );
        const run = await ingest(app, 'bad', {
          sources: [
            { kind: 'path', path: bad },
            { kind: 'path', path: encrypted },
            { kind: 'path', path: path.join(bad, 'missing.md') },
            { kind: 'url', url: `${baseUrl}/broken` },
            { kind: 'url', url: `${baseUrl}/slow` },
            { kind: 'url', url: `${baseUrl}/page.html` },
          ],
        });
        const outcome = (name: string) => {
          const item = run.byName(name);
          return item ? `${item.status}:${item.code ?? ''}` : 'absent';
        };
        expect(outcome('good.md')).toBe('done:');
        expect(outcome('page.html')).toBe('done:');
        expect(outcome('empty.txt')).toBe('failed:empty_file');
        expect(outcome('junk.txt')).toBe('failed:unsupported_type');
        expect(outcome('huge.txt')).toBe('failed:too_large');
        expect(outcome('broken.json')).toBe('failed:corrupt');
        expect(outcome(path.basename(encrypted))).toBe('failed:encrypted');
        expect(outcome('missing.md')).toBe('failed:not_found');
        expect(outcome('broken')).toBe('failed:fetch_failed');
        expect(outcome('slow')).toBe('failed:timeout');
        for (const item of run.items.filter((entry) => entry.status === 'failed'))
          expect(item.reason?.length).toBeGreaterThan(10);
        expect(run.job.status).toBe('done');
        const page = await app.retriever.search({
          tenantId: 'bad',
          text: 'delivery business days',
          mode: 'lexical',
        });
        expect(page.chunks[0]?.text).not.toContain('Home | Shop');
      } finally {
        await rm(bad, { recursive: true, force: true });
      }
    });

    it('keeps the stored version when a changed file fails to parse', async () => {
      const file = path.join(folder, 'policy.json');
      await writeFile(
        file,
        JSON.stringify([{ id: 'r1', title: 'Returns', text: 'Thirty day returns on all routers.' }]),
      );
      expect((await ingest(app, 'keep', { sources: [{ kind: 'path', path: file }] })).items[0]?.status).toBe(
        'done',
      );
      await writeFile(file, '[{"id": "r1", "title": ');
      expect((await ingest(app, 'keep', { sources: [{ kind: 'path', path: file }] })).items[0]?.code).toBe(
        'corrupt',
      );
      const found = await app.retriever.search({
        tenantId: 'keep',
        text: 'thirty day returns',
        mode: 'lexical',
      });
      expect(found.chunks).toHaveLength(1);
    });

    it('ingests records as one document per record, updating only changed records', async () => {
      const file = path.join(folder, 'faq.csv');
      await writeFile(
        file,
        'id,question,answer,category\n1,Do you ship to Canada?,Yes we ship to Canada.,shipping\n2,Can I return a thermostat?,Yes within 30 days.,returns\n',
      );
      const first = await ingest(app, 'rec', {
        sources: [{ kind: 'path', path: file }],
        records: { idField: 'id', titleField: 'question' },
      });
      expect(first.items[0]?.documents).toBe(2);
      await writeFile(
        file,
        'id,question,answer,category\n1,Do you ship to Canada?,Yes we ship to Canada.,shipping\n3,Is there a warranty?,Two years.,warranty\n',
      );
      const second = await ingest(app, 'rec', {
        sources: [{ kind: 'path', path: file }],
        records: { idField: 'id', titleField: 'question' },
      });
      expect(second.items[0]?.documents).toBe(1);
      const { rows } = await app.db.query<{ uri: string; metadata: { category?: string } }>(
        'SELECT uri, metadata FROM documents WHERE tenant_id = $1 ORDER BY uri',
        ['rec'],
      );
      expect(rows.map((row) => row.uri.split('#')[1])).toEqual(['1', '3']);
      expect(rows[1]?.metadata.category).toBe('warranty');
      const filtered = await app.retriever.search({
        tenantId: 'rec',
        text: 'ship canada warranty',
        mode: 'lexical',
        filters: { metadata: { category: 'warranty' } },
      });
      expect(filtered.chunks.map((chunk) => chunk.documentUri.split('#')[1])).toEqual(['3']);
    });

    it('refuses API paths outside the allowed roots before queuing anything', async () => {
      await expect(
        app.ingestion.submit('kb', { sources: [{ kind: 'path', path: '/etc/passwd' }] }),
      ).rejects.toMatchObject({
        code: 'path_not_allowed',
      });
      await expect(app.ingestion.submit('kb', { sources: [] })).rejects.toMatchObject({
        code: 'invalid_ingest_request',
      });
    });

    it('resumes an interrupted job at its first unfinished item without redoing finished ones', async () => {
      const resume = path.join(folder, 'resume');
      await mkdir(resume);
      for (let index = 0; index < 4; index++)
        await writeFile(path.join(resume, `f${index}.txt`), `File number ${index} about modems.`);
      const submitted = await app.ingestion.submit(
        'resume',
        { sources: [{ kind: 'path', path: resume }] },
        { trusted: true },
      );
      // Simulate a worker that died after finishing two items: claimed, items expanded, two done, heartbeat stale.
      const { claimJob, insertItems, finishItem } = await import('../store/jobs.ts');
      await claimJob(app.db, 'dead-worker', 60_000);
      await insertItems(
        app.db,
        submitted.id,
        [0, 1, 2, 3].map((index) => path.join(resume, `f${index}.txt`)),
      );
      await finishItem(app.db, submitted.id, 0, { status: 'done', documents: 1, chunks: 1 });
      await finishItem(app.db, submitted.id, 1, { status: 'done', documents: 1, chunks: 1 });
      await app.db.query(
        `UPDATE ingest_jobs SET heartbeat_at = now() - interval '10 minutes' WHERE id = $1`,
        [submitted.id],
      );
      const [job] = await app.ingestion.drain();
      expect(job?.id).toBe(submitted.id);
      expect(job?.attempts).toBe(2);
      const { rows } = await app.db.query<{ uri: string }>(
        'SELECT uri FROM documents WHERE tenant_id = $1 ORDER BY uri',
        ['resume'],
      );
      // Items 0 and 1 were recorded done by the "dead" worker and are not redone; 2 and 3 are ingested now.
      expect(rows.map((row) => path.basename(row.uri))).toEqual(['f2.txt', 'f3.txt']);
      expect(job?.status).toBe('done');
      expect(job?.processed).toBe(4);
    });
  });
}
