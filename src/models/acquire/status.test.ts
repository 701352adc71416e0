import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ModelMirror,
  publishTestModels,
  startModelMirror,
  type TestModels,
} from '../../testing/model-mirror.ts';
import { createZip } from '../../testing/zip-writer.ts';
import { installedModelDir } from '../local/models-dir.ts';
import { importModel, listModels, pullModel, verifyModel } from './index.ts';

let mirror: ModelMirror;
let models: TestModels;
let modelsDir: string;

beforeAll(async () => {
  mirror = await startModelMirror();
  models = publishTestModels(mirror);
});
afterAll(async () => {
  await mirror.close();
});
beforeEach(async () => {
  modelsDir = await mkdtemp(path.join(tmpdir(), 'gw-status-'));
});
afterEach(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

const statuses = async () =>
  Object.fromEntries(
    (await listModels(modelsDir, [models.embed, models.chat])).map((model) => [model.name, model.status]),
  );

describe('listModels and verifyModel', () => {
  it('reports not installed, partial, installed and corrupt, and verify catches a corrupted file', async () => {
    expect(await statuses()).toEqual({ 'test-embed': 'not installed', 'test-chat': 'not installed' });
    mirror.fault(models.paths.cdnOnnx, 'drop');
    await expect(
      pullModel(models.embed, { modelsDir, endpoints: mirror.endpoints, source: 'hub', retries: 0 }),
    ).rejects.toThrow();
    expect(await statuses()).toMatchObject({ 'test-embed': 'partial' });

    await pullModel(models.embed, { modelsDir, endpoints: mirror.endpoints, retries: 0 });
    const listed = await listModels(modelsDir, [models.embed]);
    expect(listed[0]).toMatchObject({
      status: 'installed',
      kind: 'embedding',
      licence: 'MIT',
      bytes: 300_000 + (models.embed.files[1]?.bytes ?? 0),
    });
    expect(await verifyModel(modelsDir, models.embed)).toMatchObject({
      status: 'ok',
      files: [{ ok: true }, { ok: true }],
    });

    // Same size, different bytes: only re-hashing notices.
    const dir = installedModelDir(modelsDir, models.embed) as string;
    await writeFile(path.join(dir, 'tokenizer.json'), 'x'.repeat(models.embed.files[1]?.bytes ?? 0));
    expect(await statuses()).toMatchObject({ 'test-embed': 'installed' });
    const verified = await verifyModel(modelsDir, models.embed);
    expect(verified.status).toBe('failed');
    expect(verified.files[1]).toMatchObject({
      path: 'tokenizer.json',
      ok: false,
      expectedSha256: models.embed.files[1]?.sha256,
    });
    expect(verified.files[1]?.actualSha256).not.toBe(models.embed.files[1]?.sha256);
    // The runtime no longer sees it; list shows it partial; a pull repairs it.
    expect(installedModelDir(modelsDir, models.embed)).toBeUndefined();
    expect(await statuses()).toMatchObject({ 'test-embed': 'partial' });
    await pullModel(models.embed, { modelsDir, endpoints: mirror.endpoints, retries: 0 });
    expect(await verifyModel(modelsDir, models.embed)).toMatchObject({ status: 'ok' });

    // A truncated file is visible without hashing.
    await truncate(path.join(dir, 'onnx/model.onnx'), 10);
    const corrupt = (await listModels(modelsDir, [models.embed]))[0];
    expect(corrupt).toMatchObject({
      status: 'corrupt',
      problems: ['onnx/model.onnx has 10 bytes, expected 300000'],
    });
    expect(await verifyModel(modelsDir, models.chat)).toMatchObject({ status: 'not installed' });
  });
});

describe('importModel', () => {
  it('installs from hand-downloaded model files, found by hash in a folder', async () => {
    const folder = path.join(modelsDir, 'downloads');
    await mkdir(folder);
    await writeFile(path.join(folder, 'model.onnx'), models.bytes.embed['onnx/model.onnx'] as Buffer);
    await writeFile(path.join(folder, 'tokenizer (1).json'), models.bytes.embed['tokenizer.json'] as Buffer);
    mirror.requests.length = 0;
    const result = await importModel(models.embed, [folder], { modelsDir, endpoints: mirror.endpoints });
    expect(result.dir).toBe(installedModelDir(modelsDir, models.embed));
    expect(mirror.requests).toEqual([]);
    expect(await verifyModel(modelsDir, models.embed)).toMatchObject({ status: 'ok' });
  });

  it('installs from hand-downloaded wheels without the network', async () => {
    const folder = path.join(modelsDir, 'wheels');
    await mkdir(folder);
    for (const wheel of models.paths.wheels) {
      const response = await fetch(`${mirror.url}${wheel}`);
      await writeFile(path.join(folder, path.basename(wheel)), Buffer.from(await response.arrayBuffer()));
    }
    mirror.requests.length = 0;
    await importModel(models.chat, [folder], { modelsDir, endpoints: mirror.endpoints });
    expect(mirror.requests).toEqual([]);
    expect(await verifyModel(modelsDir, models.chat)).toMatchObject({ status: 'ok' });
  });

  it('says which files make up the model when the given ones do not', async () => {
    const file = path.join(modelsDir, 'other.jar');
    await writeFile(file, createZip([{ name: 'x', data: 'y' }]));
    await expect(
      importModel(models.embed, [file], { modelsDir, endpoints: mirror.endpoints }),
    ).rejects.toMatchObject({
      code: 'import_incomplete',
      message: expect.stringContaining('maven: test-embed-1.0.0.jar'),
    });
  });
});
