import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('groundwork privacy', () => {
  it('exports every covered table to a file, erases idempotently and audits by hash', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gw-privacy-cli-'));
    dirs.push(dir);
    const env = {
      ...process.env,
      GROUNDWORK_DATA_DIR: path.join(dir, 'data'),
      GROUNDWORK_EMBEDDER: 'none',
      GROUNDWORK_LLM: 'none',
      CI: '',
    };
    const out = path.join(dir, 'c-1.json');
    await exec(
      process.execPath,
      [BIN, 'privacy', 'export', '--customer', 'C-1', '--tenant', 'acme', '--out', out],
      { env },
    );
    const data = JSON.parse(await readFile(out, 'utf8')) as {
      tenantId: string;
      tables: Record<string, unknown[]>;
    };
    expect(data.tenantId).toBe('acme');
    expect(Object.keys(data.tables)).toEqual(
      expect.arrayContaining([
        'conversations',
        'customer_memories',
        'feedback',
        'answers',
        'traces',
        'customer_sessions',
      ]),
    );
    for (let run = 0; run < 2; run++) {
      const { stdout } = await exec(
        process.execPath,
        [BIN, 'privacy', 'erase', '--customer', 'C-1', '--tenant', 'acme', '--json'],
        { env },
      );
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { total: number; customerHash: string };
      expect(report.total).toBe(0);
      expect(report.customerHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    const { stdout: audit } = await exec(process.execPath, [BIN, 'audit', '--tenant', 'acme', '--json'], {
      env,
    });
    expect(audit).toContain('privacy.erase');
    expect(audit).not.toContain('C-1');
  }, 180_000);
});
