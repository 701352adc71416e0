/**
 * The answer service with a local chat model (a tiny random-weight GGUF installed under the catalog
 * name, so `auto` picks it): CPU-sized prompt and answer budgets apply, and a model that never cites
 * falls back to quoting. Also the start-up fallback when the installed file cannot load.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTES } from '../../answer/notes.ts';
import { createGroundwork } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { writeTinyGguf } from '../../testing/tiny-gguf.ts';
import { findLocalModel } from './catalog.ts';
import { MODEL_MANIFEST } from './models-dir.ts';

const spec = findLocalModel('gemma-3-270m')!;
const knowledge = path.resolve(import.meta.dirname, '../../../apps/support/knowledge');
let modelsDir: string;

beforeAll(async () => {
  modelsDir = await mkdtemp(path.join(os.tmpdir(), 'gw-local-answers-'));
  const dir = path.join(modelsDir, spec.name);
  await writeTinyGguf(dir, { fileName: spec.entryFile });
  await writeFile(path.join(dir, MODEL_MANIFEST), '{}\n');
});
afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe('answers from a local chat model', () => {
  it('uses the installed model under auto, within its prompt and answer budgets', {
    timeout: 300_000,
  }, async () => {
    process.env.GROUNDWORK_LLM_THREADS = '1';
    const app = await createGroundwork(loadConfig({ dataDir: 'memory://', modelsDir, embedder: 'none' }), {
      warmUp: true,
    });
    try {
      expect(app.languageModelName).toBe('local:gemma-3-270m');
      await app.ingestion.submit(
        'default',
        { sources: [{ kind: 'path', path: knowledge }] },
        { trusted: true },
      );
      await app.ingestion.drain();
      const result = await app.answerer.ask({
        tenantId: 'default',
        principals: [],
        question: 'How long do I have to return a smart thermostat?',
      });
      // Random weights never end their turn: the answer runs to the cap, and cites nothing.
      expect(result.usage.outputTokens).toBe(spec.chat!.answerOutputTokens);
      expect(result.mode).toBe('extractive');
      expect(result.notes.some((note) => note === NOTES.uncited || note === NOTES.echoed)).toBe(true);
      expect(result.citations.length).toBeGreaterThan(0);
    } finally {
      delete process.env.GROUNDWORK_LLM_THREADS;
      await app.close();
    }
  });

  it('falls back to extractive answers at start-up when the installed file cannot load', {
    timeout: 120_000,
  }, async () => {
    const broken = await mkdtemp(path.join(os.tmpdir(), 'gw-local-broken-'));
    try {
      const dir = path.join(broken, spec.name);
      await writeTinyGguf(dir, { fileName: spec.entryFile });
      await writeFile(path.join(dir, spec.entryFile), 'GGUF but not really');
      const started = performance.now();
      await writeFile(path.join(dir, MODEL_MANIFEST), '{}\n');
      const app = await createGroundwork(
        loadConfig({ dataDir: 'memory://', modelsDir: broken, embedder: 'none' }),
        {
          warmUp: true,
        },
      );
      try {
        expect(app.languageModelName).toBeNull();
        expect(app.modelNotes.join('\n')).toMatch(
          /local:gemma-3-270m failed to load, so answers are extractive/,
        );
        expect(app.modelNotes.join('\n')).toContain(spec.entryFile);
        expect(performance.now() - started).toBeLessThan(60_000);
      } finally {
        await app.close();
      }
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
