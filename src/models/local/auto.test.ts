import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroundwork } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { resolveAuto } from './auto.ts';
import { MODEL_MANIFEST } from './models-dir.ts';

describe('auto model choice', () => {
  let modelsDir: string;
  beforeEach(async () => {
    modelsDir = await mkdtemp(path.join(tmpdir(), 'gw-auto-'));
  });
  afterEach(async () => {
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('passes explicit settings through, including none', () => {
    expect(resolveAuto('none', 'embedding', modelsDir)).toEqual({ spec: 'none' });
    expect(resolveAuto('openai:gpt-4o-mini', 'chat', modelsDir)).toEqual({ spec: 'openai:gpt-4o-mini' });
  });

  it('falls back to the mode that needs no model, saying how to get the better one', () => {
    const embedding = resolveAuto('auto', 'embedding', modelsDir);
    expect(embedding.spec).toBe('none');
    expect(embedding.note).toContain('bin/groundwork models pull bge-small-en-v1.5');
    const chat = resolveAuto('auto', 'chat', modelsDir);
    expect(chat.spec).toBe('none');
    expect(chat.note).toContain('extractive answers');
  });

  it('ignores a model directory whose pull never finished (no manifest)', async () => {
    await mkdir(path.join(modelsDir, 'bge-small-en-v1.5', 'onnx'), { recursive: true });
    await writeFile(path.join(modelsDir, 'bge-small-en-v1.5', 'onnx', 'model.onnx'), 'half');
    expect(resolveAuto('auto', 'embedding', modelsDir).spec).toBe('none');
    await writeFile(path.join(modelsDir, 'bge-small-en-v1.5', MODEL_MANIFEST), '{}');
    expect(resolveAuto('auto', 'embedding', modelsDir)).toEqual({ spec: 'local:bge-small-en-v1.5' });
  });

  it('starts the product lexical and extractive with notes when nothing is installed', async () => {
    const app = await createGroundwork(loadConfig({ dataDir: 'memory://', modelsDir }));
    try {
      expect(app.retriever.defaultMode).toBe('lexical');
      expect(app.languageModelName).toBeNull();
      expect(app.modelNotes).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
