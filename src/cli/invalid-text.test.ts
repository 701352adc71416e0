import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the CLI with invalid text', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'gw-cli-text-'));
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  it('a prompt template file holding a NUL is a clear invalid_text error (exit 2), not a stack trace', async () => {
    const file = path.join(folder, 'template.txt');
    await writeFile(file, 'Answer briefly\u0000 and kindly.');
    const { code, output } = await run(['prompts', 'create', 'nul-prompt', '--file', file], {
      GROUNDWORK_DATA_DIR: path.join(folder, 'data'),
    });
    expect(output).toContain('[invalid_text]');
    expect(output).toContain('NUL');
    expect(output).not.toMatch(/\bat .+\.[cm]?[jt]s:\d+|unexpected error/);
    expect(code).toBe(2);
  }, 300_000);
});
