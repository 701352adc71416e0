import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { openDatabase } from '../store/open.ts';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { createHttpApp } from './app.ts';

const KNOWLEDGE = path.resolve(import.meta.dirname, '../testing/__fixtures__/knowledge/policies');

describe('request timeout', () => {
  let db: Database;
  let app: Groundwork;
  const model = createScriptedLanguageModel(
    [
      { text: 'Returns are accepted within 30 days [1].', delayMs: 3_000 },
      { text: 'Returns are accepted within 30 days [1].' },
    ],
    { modelId: 'slow' },
  );

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    app = await createGroundwork(
      loadConfig({ dataDir: 'memory://', embedder: 'none', limits: { requestTimeoutMs: 500 } }),
      { db, languageModel: { model, name: 'test:slow' } },
    );
    await app.ingestion.submit(
      'default',
      { sources: [{ kind: 'path', path: KNOWLEDGE }] },
      { trusted: true },
    );
    await app.ingestion.drain();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('answers 504 request_timeout when a route takes too long, and keeps serving', async () => {
    const http = createHttpApp(app, { webRoot: null });
    const ask = () =>
      http.request('/v1/ask', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'How long do I have to return a thermostat?' }),
      });
    const started = performance.now();
    const slow = await ask();
    expect(slow.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(((await slow.json()) as { error: { code: string } }).error.code).toBe('request_timeout');
    const next = await ask();
    expect(next.status).toBe(200);
    expect(((await next.json()) as { mode: string }).mode).toBe('generative');
    model.assertComplete();
  });
});
