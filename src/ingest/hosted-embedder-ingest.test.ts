import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGroundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { listItems } from '../store/jobs.ts';
import { testBackends } from '../testing/databases.ts';
import { type EmbeddingsServer, startEmbeddingsServer } from '../testing/embeddings-server.ts';

const QUERY = 'how long do refunds take to reach the card';

/** Config of an app embedding through the stand-in server (an OpenAI-compatible one on loopback). */
function hostedConfig(server: EmbeddingsServer, dimensions: number) {
  return loadConfig({
    dataDir: 'memory://',
    embedder: 'openai-compatible:stand-in',
    embedding: { baseUrl: `${server.url}/v1`, dimensions, maxRetries: 0, timeoutMs: 5000 },
    ingest: { maxItemAttempts: 3, retryBaseMs: 10, retryMaxMs: 20 },
  });
}

for (const backend of testBackends()) {
  describe(`hosted embedders in ingestion and search on ${backend.name}`, () => {
    let db: Database;
    let folder: string;
    let server: EmbeddingsServer;

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'gw-hosted-embed-'));
      await writeFile(path.join(folder, 'refunds.md'), '# Refunds\n\nRefunds reach the card in five days.\n');
      await writeFile(
        path.join(folder, 'returns.md'),
        '# Returns\n\nThermostats can be returned within 30 days.\n',
      );
    });
    afterAll(() => rm(folder, { recursive: true, force: true }));
    beforeEach(async () => {
      db = await backend.open();
    });
    afterEach(async () => {
      await server?.close();
      await db?.close();
    });

    it('fails only the item whose vectors have the wrong length, stores nothing of it, and does not retry it', async () => {
      server = await startEmbeddingsServer({ dimensions: 32 });
      const app = await createGroundwork({ ...hostedConfig(server, 32), ingestConcurrency: 1 }, { db });
      try {
        server.script([{ dimensions: 12 }]);
        const job = await app.ingestion.submit(
          'default',
          {
            sources: [path.join(folder, 'refunds.md'), path.join(folder, 'returns.md')].map((p) => ({
              kind: 'path' as const,
              path: p,
            })),
          },
          { trusted: true },
        );
        await app.ingestion.drain();
        const items = await listItems(db, job.id);
        const failed = items.filter((item) => item.status === 'failed');
        expect(failed).toHaveLength(1);
        expect(failed[0]!.code).toBe('embedding_failed');
        expect(failed[0]!.reason).toContain('12-dimensional vector; expected 32');
        expect(failed[0]!.attempts).toBe(1);
        expect(items.filter((item) => item.status === 'done')).toHaveLength(1);
        const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents');
        expect(rows[0]!.n).toBe(1);
        const { rows: vectors } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM chunk_vectors WHERE vector_dims(embedding) <> 32',
        );
        expect(vectors[0]!.n).toBe(0);
      } finally {
        await app.close();
      }
    });

    it('after a switch, searches the old vectors until the new ones are complete, then the new ones', async () => {
      // First the local test embedder indexes everything.
      const before = await createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'test:hash-64' }), {
        db,
      });
      await before.ingestion.submit(
        'default',
        { sources: [{ kind: 'path', path: folder }] },
        { trusted: true },
      );
      await before.ingestion.drain();
      const oldHits = await before.retriever.search({
        tenantId: 'default',
        text: QUERY,
        mode: 'vector',
        limit: 2,
      });
      await before.close();

      // Then the hosted one; its server is slow, so the backfill takes a while.
      server = await startEmbeddingsServer({ dimensions: 32, latencyMs: 400 });
      server.script([]);
      const after = await createGroundwork(hostedConfig(server, 32), { db });
      try {
        expect(after.retriever.embedder?.model.provider).toBe('test');
        expect(after.modelNotes.join(' ')).toContain('Vector search uses test:hash-64 until');
        const backfill = after.backfillVectors();
        while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        // Mid-backfill: the answer comes from the old vectors, complete; the server is not asked.
        const during = await after.retriever.search({
          tenantId: 'default',
          text: QUERY,
          mode: 'vector',
          limit: 2,
        });
        expect(during.chunks.map((chunk) => chunk.chunkId)).toEqual(
          oldHits.chunks.map((chunk) => chunk.chunkId),
        );
        expect(server.requests.flatMap((request) => request.texts)).not.toContain(QUERY);
        expect(await backfill).toBeGreaterThanOrEqual(2);

        expect(after.retriever.embedder?.model.modelId).toBe('stand-in');
        const done = await after.retriever.search({
          tenantId: 'default',
          text: QUERY,
          mode: 'vector',
          limit: 2,
        });
        expect(done.chunks.length).toBe(2);
        expect(server.requests.at(-1)?.texts).toEqual([QUERY]);
      } finally {
        await after.close();
      }
    });
  });
}
