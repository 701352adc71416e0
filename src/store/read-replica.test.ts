/**
 * With `DATABASE_REPLICA_URL`, read-only work (search, document listings, traces, usage) is served by
 * the replica through the `read` executor, writes and everything else by the primary; while the
 * replica is down reads fall back to the primary, and go back to the replica once it answers. A
 * second scratch database stands in for the replica, holding different documents than the primary,
 * so each answer shows which database served it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import { createScratchDatabase } from '../testing/databases.ts';
import { type FaultProxy, startFaultProxy } from '../testing/fault-proxy.ts';

const serverUrl = process.env.GROUNDWORK_TEST_DATABASE_URL;
if (!serverUrl && process.env.CI === 'true') {
  throw new Error('CI must test against a Postgres server: set GROUNDWORK_TEST_DATABASE_URL.');
}
const KNOWLEDGE = path.resolve(import.meta.dirname, '../testing/__fixtures__/knowledge');
const RETRY_MS = 300;

describe.skipIf(!serverUrl)('read replica routing', () => {
  let primary: Awaited<ReturnType<typeof createScratchDatabase>>;
  let replica: Awaited<ReturnType<typeof createScratchDatabase>>;
  let replicaProxy: FaultProxy;
  let app: Groundwork;
  let http: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    primary = await createScratchDatabase(serverUrl as string);
    replica = await createScratchDatabase(serverUrl as string);
    replicaProxy = await startFaultProxy(replica.url);
    // The "replica" gets its own content: the policies only; the primary gets the manual only.
    const config = (databaseUrl: string, replicaUrl?: string) =>
      loadConfig({
        dataDir: 'memory://',
        auth: 'off',
        embedder: 'test:hash-64',
        databaseUrl,
        database: { replicaUrl, poolSize: 3, connectionTimeoutMs: 1000 },
      });
    const replicaApp = await createGroundwork(config(replica.url));
    await replicaApp.ingestion.submit(
      'default',
      { sources: [{ kind: 'path', path: path.join(KNOWLEDGE, 'policies') }] },
      { trusted: true },
    );
    await replicaApp.ingestion.drain();
    await replicaApp.close();
    app = await createGroundwork(config(primary.url, replicaProxy.url));
    await app.ingestion.submit(
      'default',
      { sources: [{ kind: 'path', path: path.join(KNOWLEDGE, 'manuals') }] },
      { trusted: true },
    );
    await app.ingestion.drain();
    http = createHttpApp(app, { webRoot: null });
  });
  afterAll(async () => {
    await app?.close();
    await replicaProxy?.close();
    await primary?.drop();
    await replica?.drop();
  });

  async function listedTitles(): Promise<string[]> {
    const response = await http.request('/v1/documents');
    expect(response.status).toBe(200);
    const { documents } = (await response.json()) as { documents: { uri: string }[] };
    return documents.map((document) => path.basename(document.uri)).sort();
  }

  async function searchedFiles(query: string): Promise<string[]> {
    const response = await http.request('/v1/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, mode: 'hybrid' }),
    });
    expect(response.status).toBe(200);
    const { chunks } = (await response.json()) as { chunks: { documentUri: string }[] };
    return [...new Set(chunks.map((chunk) => path.basename(chunk.documentUri)))];
  }

  it('serves listings and search from the replica, writes and jobs from the primary', async () => {
    expect(await listedTitles()).toEqual(['returns.md', 'shipping.md', 'warranty.md']);
    expect(await searchedFiles('return policy warranty shipping router')).not.toContain(
      'aurora-mesh-router.md',
    );
    // The job written a moment ago is read from the primary (its own write must be visible).
    const jobs = await http.request('/v1/jobs');
    expect(((await jobs.json()) as { jobs: unknown[] }).jobs).toHaveLength(1);
    const { rows } = await app.db.query<{ uri: string }>('SELECT uri FROM documents');
    expect(rows.map((row) => path.basename(row.uri))).toEqual(['aurora-mesh-router.md']);
  });

  it('falls back to the primary while the replica is down, and returns to it afterwards', async () => {
    replicaProxy.setMode('refuse');
    replicaProxy.cut();
    expect(await listedTitles()).toEqual(['aurora-mesh-router.md']);
    expect(await searchedFiles('router reset light')).toEqual(['aurora-mesh-router.md']);
    replicaProxy.setMode('pass');
    // The replica is skipped for a few seconds after a failure, then tried again.
    const deadline = Date.now() + 15_000;
    let titles: string[] = [];
    while (Date.now() < deadline) {
      titles = await listedTitles();
      if (titles.length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    expect(titles).toEqual(['returns.md', 'shipping.md', 'warranty.md']);
  });
});
