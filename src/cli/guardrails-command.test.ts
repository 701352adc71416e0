import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applyAssignments } from './commands/guardrails.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('groundwork guardrails', () => {
  it('changes named categories and keeps the others', () => {
    expect(
      applyAssignments({ moderation: { hate: 'log' } }, ['harassment=escalate', 'stereotyping=log']),
    ).toEqual({
      moderation: { hate: 'log', harassment: 'escalate' },
      stereotyping: 'log',
    });
    expect(() => applyAssignments({}, ['gambling=block'])).toThrow('Unknown category "gambling"');
    expect(() => applyAssignments({}, ['hate'])).toThrow('is not category=action');
  });

  it('stores a tenant’s actions that show reads back, and refuses to unblock sexual-minors', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gw-guardrails-cli-'));
    dirs.push(dir);
    const env = { ...process.env, GROUNDWORK_DATA_DIR: path.join(dir, 'data'), CI: '' };
    await exec(process.execPath, [BIN, 'guardrails', 'set', 'hate=log', 'stereotyping=escalate'], { env });
    const refused = await exec(process.execPath, [BIN, 'guardrails', 'set', 'sexual-minors=log'], {
      env,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('always blocked');
    const { stdout } = await exec(process.execPath, [BIN, 'guardrails', 'show', '--json'], { env });
    const view = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      effective: { moderation: Record<string, string>; stereotyping: string };
      updatedBy: string;
    };
    expect(view.effective.moderation).toMatchObject({
      hate: 'log',
      'sexual-minors': 'block',
      harassment: 'block',
    });
    expect(view.effective.stereotyping).toBe('escalate');
    expect(view.updatedBy).toBe('cli');
  }, 300_000);
});
