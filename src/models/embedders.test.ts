import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { embedderName, resolveEmbedder } from './embedders.ts';
import { MODEL_MANIFEST } from './local/models-dir.ts';

let modelsDir: string;

beforeAll(async () => {
  modelsDir = await mkdtemp(path.join(os.tmpdir(), 'gw-embedders-'));
});
afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe('resolveEmbedder', () => {
  it('keeps none and the test embedders working without options', () => {
    expect(resolveEmbedder('none')).toBeUndefined();
    expect(resolveEmbedder('test:hash-16')?.dimensions).toBe(16);
  });

  it('names the known local models for an unknown one', () => {
    const error = (() => {
      try {
        resolveEmbedder('local:bge-large', { modelsDir });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /Unknown local embedding model "bge-large"; known: bge-small-en-v1\.5, bge-small-en-v1\.5-q, all-MiniLM-L6-v2/,
    );
  });

  it('refuses a chat model as an embedder', () => {
    expect(() => resolveEmbedder('local:gemma-3-270m', { modelsDir })).toThrow(
      /Unknown local embedding model/,
    );
  });

  it('says how to install a model that is not installed', () => {
    expect(() => resolveEmbedder('local:bge-small-en-v1.5', { modelsDir })).toThrow(
      /bge-small-en-v1\.5 is not installed in .*Run `bin\/groundwork models pull bge-small-en-v1\.5`/,
    );
  });

  it('builds the local embedder of an installed model without loading it', async () => {
    const dir = path.join(modelsDir, 'bge-small-en-v1.5');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, MODEL_MANIFEST), '{}');
    const info = resolveEmbedder('local:BGE-small-en-v1.5', { modelsDir });
    expect(info).toMatchObject({
      dimensions: 384,
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
    });
    expect(embedderName(info!)).toBe('local:bge-small-en-v1.5');
  });
});
