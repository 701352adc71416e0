import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackName } from './browser-guard.ts';
import { insecureOpenFromEnv, openBindWarning } from './open-bind.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');

describe('binding without auth', () => {
  it('tells loopback names from the rest', () => {
    for (const name of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'app.localhost', '::1', '[::1]'])
      expect([name, isLoopbackName(name)]).toEqual([name, true]);
    for (const name of [
      '0.0.0.0',
      '::',
      '192.168.1.2',
      'localhost.attacker.example',
      '127.0.0.1.nip.io',
      '1270.0.0.1',
      'example.com',
    ])
      expect([name, isLoopbackName(name)]).toEqual([name, false]);
  });

  it('a loopback bind, or any bind with auth, starts quietly', () => {
    expect(openBindWarning({ host: '127.0.0.1', authRequired: false, forced: false })).toBeUndefined();
    expect(openBindWarning({ host: '0.0.0.0', authRequired: true, forced: false })).toBeUndefined();
  });

  it('a non-loopback bind without auth is refused with insecure_bind unless forced, then warned about', () => {
    expect(() => openBindWarning({ host: '0.0.0.0', authRequired: false, forced: false })).toThrow(
      expect.objectContaining({ code: 'insecure_bind' }),
    );
    expect(openBindWarning({ host: '::', authRequired: false, forced: true })).toMatch(
      /WARNING: listening on :: with auth off/,
    );
    expect(insecureOpenFromEnv({ GROUNDWORK_INSECURE_OPEN: '1' })).toBe(true);
    expect(insecureOpenFromEnv({})).toBe(false);
  });

  it('`groundwork serve --host 0.0.0.0` with auth off refuses to start: exit 2, insecure_bind, nothing listens', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gw-open-bind-'));
    try {
      const child = spawn(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--port', '0'], {
        env: {
          ...process.env,
          CI: '',
          GROUNDWORK_DATA_DIR: dataDir,
          GROUNDWORK_EMBEDDER: 'none',
          GROUNDWORK_LLM: 'none',
          GROUNDWORK_AUTH: 'auto',
          GROUNDWORK_INSECURE_OPEN: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (data: Buffer) => (output += data.toString()));
      child.stderr.on('data', (data: Buffer) => (output += data.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(output).toContain('[insecure_bind]');
      expect(output).not.toContain('is running at');
      expect(code).toBe(2);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
