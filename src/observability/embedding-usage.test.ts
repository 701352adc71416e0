import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { type EmbeddingsServer, startEmbeddingsServer } from '../testing/embeddings-server.ts';

describe('embedding usage and cost in the metrics', () => {
  let server: EmbeddingsServer;
  let folder: string;
  beforeAll(async () => {
    server = await startEmbeddingsServer({ dimensions: 1536, apiKey: 'sk-usage' });
    folder = await mkdtemp(path.join(tmpdir(), 'gw-embed-usage-'));
    await writeFile(path.join(folder, 'refunds.md'), '# Refunds\n\nRefunds reach the card in five days.\n');
  });
  afterAll(async () => {
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('counts the tokens the provider bills and prices them like chat tokens', async () => {
    const app = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        embedder: 'openai:text-embedding-3-small',
        embedding: { apiKey: 'sk-usage', baseUrl: `${server.url}/v1` },
      }),
    );
    try {
      server.script([]);
      await app.ingestion.submit('default', { sources: [{ kind: 'path', path: folder }] }, { trusted: true });
      await app.ingestion.drain();
      await app.retriever.search({ tenantId: 'default', text: 'refund time', mode: 'vector' });
      const billed = server.requests.reduce(
        (sum, request) =>
          sum + request.texts.reduce((total, text) => total + Math.max(1, Math.ceil(text.length / 4)), 0),
        0,
      );
      expect(billed).toBeGreaterThan(0);
      const text = await app.observability.metrics.registry.metrics();
      const label = '{model="openai:text-embedding-3-small",tenant="default"}';
      const tokens = new RegExp(
        `^groundwork_embedding_tokens_total${label.replace(/[{}]/g, '\\$&')} (\\S+)`,
        'm',
      ).exec(text)?.[1];
      const cost = new RegExp(
        `^groundwork_embedding_cost_usd_total${label.replace(/[{}]/g, '\\$&')} (\\S+)`,
        'm',
      ).exec(text)?.[1];
      expect(Number(tokens)).toBe(billed);
      // text-embedding-3-small: $0.02 per million tokens (observability/prices.ts).
      expect(Number(cost)).toBeCloseTo((billed * 0.02) / 1e6, 12);
    } finally {
      await app.close();
    }
  });
});

describe('a hosted embedder checked at server start-up', () => {
  it('stops the start with a configuration error when the key is refused, and only notes an outage', async () => {
    const server = await startEmbeddingsServer({ dimensions: 1536, apiKey: 'sk-right' });
    try {
      const config = (apiKey: string, baseUrl = `${server.url}/v1`) =>
        loadConfig({
          dataDir: 'memory://',
          embedder: 'openai:text-embedding-3-small',
          embedding: { apiKey, baseUrl, maxRetries: 0, timeoutMs: 10_000 },
        });
      await expect(createGroundwork(config('sk-wrong'), { warmUp: true })).rejects.toMatchObject({
        name: 'ConfigError',
        message: expect.stringContaining('GROUNDWORK_EMBEDDER_API_KEY'),
      });
      const down = await createGroundwork(config('sk-right', 'http://127.0.0.1:9/v1'), { warmUp: true });
      try {
        expect(down.modelNotes.join(' ')).toContain('could not be reached at start-up');
      } finally {
        await down.close();
      }
    } finally {
      await server.close();
    }
  });
});
