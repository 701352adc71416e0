/**
 * Folder and URL-list sources: each sync is a job that adds, updates and removes their documents;
 * a folder is held to the allowed roots at every sync, not only when it was created.
 */
import { mkdir, mkdtemp, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { testBackends } from '../testing/databases.ts';

const backend = testBackends()[0]!;

describe('folder and URL-list sources', () => {
  let app: Groundwork;
  let base: string;
  let server: Server;
  let port: number;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'gw-sources-'));
    await mkdir(path.join(base, 'allowed', 'manuals'), { recursive: true });
    await mkdir(path.join(base, 'outside'));
    await writeFile(path.join(base, 'outside', 'secret.md'), '# Secret\n\nzebra-outside-7731');
    server = createServer((request, response) => {
      const page = pages.get(request.url ?? '');
      response.statusCode = page ? 200 : 404;
      response.setHeader('content-type', 'text/html');
      response.end(page ?? 'gone');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    app = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        embedder: 'none',
        llm: { model: 'none' },
        allowedRoots: [path.join(base, 'allowed')],
        ingest: { maxItemAttempts: 1, allowedUrlHosts: ['127.0.0.1'] },
      }),
      { db: await backend.open() },
    );
  });
  afterAll(async () => {
    await app?.close();
    server?.close();
    await rm(base, { recursive: true, force: true });
  });

  async function syncItems(sourceId: string) {
    const { job, source } = await app.sources.sync('default', sourceId);
    if (!job) return { source, items: {} as Record<string, string> };
    await app.ingestion.drain();
    const items = await app.ingestion.listItems(job.id);
    return {
      source: await app.sources.get('default', sourceId),
      items: Object.fromEntries(items.map((item) => [path.basename(item.uri), item.status])),
    };
  }

  async function texts(): Promise<string> {
    const { rows } = await app.db.query<{ text: string }>("SELECT string_agg(text, ' ') AS text FROM chunks");
    return rows[0]?.text ?? '';
  }

  it('syncs a folder: adds, updates and removes its files', async () => {
    const folder = path.join(base, 'allowed', 'manuals');
    await writeFile(path.join(folder, 'a.md'), '# A\n\nalpha-one');
    await writeFile(path.join(folder, 'b.md'), '# B\n\nbravo-one');
    const { source } = await app.sources.create('default', { kind: 'folder', name: 'manuals', path: folder });
    expect((await syncItems(source.id)).items).toEqual({ 'a.md': 'done', 'b.md': 'done' });
    await writeFile(path.join(folder, 'a.md'), '# A\n\nalpha-two');
    await unlink(path.join(folder, 'b.md'));
    const second = await syncItems(source.id);
    expect(second.items).toEqual({ 'a.md': 'done', 'b.md': 'removed' });
    expect(second.source.lastSync?.status).toBe('done');
    const stored = await texts();
    expect(stored).toContain('alpha-two');
    expect(stored).not.toContain('bravo-one');
    expect(stored).not.toContain('alpha-one');
  });

  it('refuses at sync a folder swapped for a link out of the allowed roots, keeping its documents', async () => {
    const folder = path.join(base, 'allowed', 'swapped');
    await mkdir(folder);
    await writeFile(path.join(folder, 'c.md'), '# C\n\ncharlie-one');
    const { source } = await app.sources.create('default', { kind: 'folder', name: 'swapped', path: folder });
    expect((await syncItems(source.id)).items).toEqual({ 'c.md': 'done' });
    await rename(folder, `${folder}-old`);
    await symlink(path.join(base, 'outside'), folder);
    const after = await syncItems(source.id);
    expect(after.source.lastSync).toMatchObject({ status: 'failed', code: 'path_not_allowed' });
    const stored = await texts();
    expect(stored).not.toContain('zebra-outside-7731');
    expect(stored).toContain('charlie-one');
  });

  it('syncs a URL list, and removes the documents of URLs taken off it', async () => {
    pages.set('/one', '<html><body><h1>One</h1><p>oscar-page-one</p></body></html>');
    pages.set('/two', '<html><body><h1>Two</h1><p>tango-page-two</p></body></html>');
    const url = (page: string) => `http://127.0.0.1:${port}${page}`;
    const { source } = await app.sources.create('default', {
      kind: 'urls',
      name: 'site',
      urls: [url('/one'), url('/two')],
    });
    expect((await syncItems(source.id)).items).toEqual({ one: 'done', two: 'done' });
    await app.sources.update('default', source.id, { urls: [url('/one')] });
    expect((await syncItems(source.id)).items).toEqual({ one: 'unchanged', two: 'removed' });
    const stored = await texts();
    expect(stored).toContain('oscar-page-one');
    expect(stored).not.toContain('tango-page-two');
  });
});
