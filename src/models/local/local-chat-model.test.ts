import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.ts';
import { resolveLanguageModel } from '../language-models.ts';
import { MODEL_MANIFEST } from './models-dir.ts';

let modelsDir: string;
const resolve = (
  model: string,
  env: Record<string, string | undefined> = { GROUNDWORK_MODELS_DIR: modelsDir },
) => resolveLanguageModel({ model, fallbacks: [], timeoutMs: 60_000, maxRetries: 0 }, { env });

beforeAll(async () => {
  modelsDir = await mkdtemp(path.join(os.tmpdir(), 'groundwork-models-'));
});
afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe('GROUNDWORK_LLM=local:<name>', () => {
  it('rejects an unknown name, listing the known local chat models', () => {
    expect(() => resolve('local:llama-70b')).toThrow(ConfigError);
    expect(() => resolve('local:llama-70b')).toThrow(/unknown local chat model "llama-70b".*gemma-3-270m/);
  });

  it('rejects an embedding model as a chat model', () => {
    expect(() => resolve('local:bge-small-en-v1.5')).toThrow(/unknown local chat model/);
  });

  it('asks for `models pull` when the model is not installed', () => {
    expect(() => resolve('local:gemma-3-270m')).toThrow(/bin\/groundwork models pull gemma-3-270m/);
  });

  it('resolves an installed model without loading it', async () => {
    await mkdir(path.join(modelsDir, 'gemma-3-270m'), { recursive: true });
    await writeFile(path.join(modelsDir, 'gemma-3-270m', MODEL_MANIFEST), '{}\n');
    const resolved = resolve('local:Gemma-3-270M');
    expect(resolved?.name).toBe('local:Gemma-3-270M');
    expect(resolved?.model).toMatchObject({ specificationVersion: 'v3' });
  });
});
