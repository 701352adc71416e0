import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GroundworkError } from '../../errors.ts';
import {
  TINY_VOCAB,
  tinyBertSpec,
  tinyPositionVector,
  tinyTypeEmbedding,
  tinyWordEmbedding,
  writeTinyBertModel,
} from '../../testing/tiny-onnx-bert.ts';
import { createLocalEmbedder, type LocalEmbedder, type LocalEmbedderOptions } from './onnx-embedder.ts';

const HIDDEN = 8;
let root: string;
let modelDir: string;
const open: LocalEmbedder[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'gw-onnx-'));
  modelDir = await writeTinyBertModel(path.join(root, 'tiny-bert'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((embedder) => embedder.close()));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function embedder(options: Partial<LocalEmbedderOptions> & { pooling?: 'cls' | 'mean' } = {}): LocalEmbedder {
  const created = createLocalEmbedder({
    modelDir,
    spec: tinyBertSpec({ pooling: options.pooling }),
    threads: 1,
    ...options,
  });
  open.push(created);
  return created;
}

async function embed(target: LocalEmbedder, values: string[]): Promise<number[][]> {
  return (await target.model.doEmbed({ values })).embeddings;
}

/** The hidden state of each token, computed from the weights: WORD[id] + TYPE[0] + position · POSITION. */
function handHidden(tokens: string[]): number[][] {
  const ids = ['[CLS]', ...tokens, '[SEP]'].map((token) => TINY_VOCAB.indexOf(token as never));
  const position = tinyPositionVector(HIDDEN);
  const type = tinyTypeEmbedding(0, HIDDEN);
  return ids.map((id, index) =>
    tinyWordEmbedding(id, HIDDEN).map((value, dim) => value + type[dim]! + (index + 1) * position[dim]!),
  );
}

function unit(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function expectClose(actual: number[], expected: number[], tolerance = 1e-5): void {
  expect(actual).toHaveLength(expected.length);
  for (const [index, value] of actual.entries())
    expect(Math.abs(value - expected[index]!)).toBeLessThan(tolerance);
}

describe('local ONNX embedder on a hand-written BERT', () => {
  it('CLS pooling is the normalised [CLS] hidden state', async () => {
    const [vector] = await embed(embedder({ pooling: 'cls' }), ['The cat sat']);
    expectClose(vector!, unit(handHidden(['the', 'cat', 'sat'])[0]!));
  });

  it('mean pooling averages the real tokens only, also when padded in a batch', async () => {
    const target = embedder({ pooling: 'mean' });
    const [short, long] = await embed(target, ['cats', 'a bird flew over the red sky.']);
    const hidden = handHidden(['cat', '##s']);
    const mean = hidden[0]!.map((_, dim) => hidden.reduce((sum, row) => sum + row[dim]!, 0) / hidden.length);
    expectClose(short!, unit(mean));
    for (const vector of [short!, long!]) expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    const [alone] = await embed(target, ['a bird flew over the red sky.']);
    expectClose(long!, alone!);
  });

  it('describes itself as an AI SDK v3 model and exposes the query prefix', () => {
    const info = createLocalEmbedder({ modelDir, spec: tinyBertSpec({ queryPrefix: 'query: ' }) });
    expect(info.model).toMatchObject({
      specificationVersion: 'v3',
      provider: 'local',
      modelId: 'tiny-bert',
      supportsParallelCalls: true,
    });
    expect(info.dimensions).toBe(HIDDEN);
    expect(info.queryPrefix).toBe('query: ');
    expect(info.stats().loads).toBe(0);
  });

  it('keeps the caller order across batches of mixed lengths', async () => {
    const texts = [
      'the sky',
      'a red bird flew over the blue sky.',
      'dog',
      'the cat sat on a mat',
      'runs',
      'bird',
      'the dog sat',
    ];
    const target = embedder({ batchSize: 2, pooling: 'mean' });
    const together = await embed(target, texts);
    for (const [index, text] of texts.entries()) {
      const [alone] = await embed(target, [text]);
      expectClose(together[index]!, alone!);
    }
  });

  it('truncates at maxTokens', async () => {
    const target = createLocalEmbedder({
      modelDir,
      spec: tinyBertSpec({ pooling: 'mean', maxTokens: 4 }),
      threads: 1,
    });
    open.push(target);
    const [truncated, short] = await embed(target, ['the cat sat on the mat', 'the cat']);
    expectClose(truncated!, short!);
  });

  it('loads once for concurrent first calls', async () => {
    const target = embedder();
    const results = await Promise.all(['the cat', 'a dog', 'the sky'].map((text) => embed(target, [text])));
    expect(results.flat()).toHaveLength(3);
    expect(target.stats()).toEqual({ pendingTexts: 0, loads: 1 });
  });

  it('refuses calls beyond the queue bound with a retryable error', async () => {
    const target = embedder({ maxQueuedTexts: 4 });
    const first = embed(target, ['the cat', 'a dog', 'the sky']);
    const refused = await embed(target, ['bird', 'mat']).catch((error: unknown) => error);
    expect(GroundworkError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'embedder_overloaded', retryable: true });
    await first;
    expect(await embed(target, ['bird', 'mat'])).toHaveLength(2);
    await expect(embed(target, ['a', 'b', 'c', 'd', 'e'])).rejects.toMatchObject({
      code: 'embedder_too_many_values',
    });
  });

  it('an aborted call rejects with the abort reason; close fails what is pending', async () => {
    const target = embedder({ batchSize: 1 });
    const controller = new AbortController();
    const aborted = target.model.doEmbed({
      values: ['the cat', 'a dog', 'the sky'],
      abortSignal: controller.signal,
    });
    controller.abort(new Error('client went away'));
    await expect(aborted).rejects.toThrow('client went away');
    const pending = embed(target, ['the cat', 'a dog']);
    await target.close();
    await expect(pending).rejects.toMatchObject({ code: 'embedder_closed' });
    expect(await embed(target, ['bird'])).toHaveLength(1);
  });

  it('reports a dimension mismatch between the model and the spec', async () => {
    const target = createLocalEmbedder({ modelDir, spec: tinyBertSpec({ dimensions: 16 }), threads: 1 });
    open.push(target);
    await expect(embed(target, ['the cat'])).rejects.toMatchObject({
      code: 'embedding_dimension_mismatch',
      message: expect.stringMatching(/produces 8-dimensional vectors but the catalog declares 16/),
    });
  });
});

describe('local ONNX embedder with broken model files', () => {
  async function brokenCopy(name: string, damage: (dir: string) => Promise<void>): Promise<string> {
    const dir = await writeTinyBertModel(path.join(root, name));
    await damage(dir);
    return dir;
  }

  it.each([
    ['garbage', (_bytes: Buffer) => Buffer.from('this is not a protobuf at all, just text '.repeat(20))],
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
  ])('a %s model.onnx fails with model_load_failed naming the file and the fix', async (name, damage) => {
    const dir = await brokenCopy(name, async (target) => {
      const file = path.join(target, 'onnx', 'model.onnx');
      await writeFile(file, damage(await readFile(file)));
    });
    const target = embedder({ modelDir: dir });
    const error = await embed(target, ['the cat']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'model_load_failed' });
    const { message } = error as Error;
    expect(message).toContain(path.join(dir, 'onnx', 'model.onnx'));
    expect(message).toContain('bin/groundwork models verify tiny-bert');
    expect(message).toContain('bin/groundwork models pull tiny-bert');
  });

  it('a missing tokenizer says to pull the model, and a repaired model loads on the next call', async () => {
    const dir = await brokenCopy('missing', (target) => rm(path.join(target, 'tokenizer.json')));
    const target = embedder({ modelDir: dir });
    await expect(embed(target, ['the cat'])).rejects.toMatchObject({
      code: 'model_load_failed',
      message: expect.stringMatching(
        /tokenizer\.json is missing\. Run `bin\/groundwork models pull tiny-bert`/,
      ),
    });
    await writeTinyBertModel(dir);
    expect(await embed(target, ['the cat'])).toHaveLength(1);
    expect(target.stats().loads).toBe(2);
  });
});
