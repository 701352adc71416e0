import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { resolveSessionSecret, SESSION_SECRET_FILE } from './session-secret.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-session-secret-'));
  dirs.push(dir);
  return dir;
}

describe('the session signing secret', () => {
  it('is generated once in the data dir, owner-only, and read back on the next start', () => {
    const dataDir = path.join(scratch(), 'nested', 'data');
    const first = resolveSessionSecret({ dataDir });
    const file = path.join(dataDir, SESSION_SECRET_FILE);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveSessionSecret({ dataDir }).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64url'));
  });

  it('prefers a configured secret and refuses a short one', () => {
    const dataDir = scratch();
    const configured = 'x'.repeat(40);
    expect(resolveSessionSecret({ configured, dataDir }).toString()).toBe(configured);
    expect(() => resolveSessionSecret({ configured: 'short', dataDir })).toThrow(ConfigError);
  });

  it('differs per process for an in-memory data dir, and a corrupt file is an error', () => {
    const a = resolveSessionSecret({ dataDir: 'memory://' });
    const b = resolveSessionSecret({ dataDir: 'memory://' });
    expect(a.equals(b)).toBe(false);
    const dataDir = scratch();
    writeFileSync(path.join(dataDir, SESSION_SECRET_FILE), 'tiny\n');
    expect(() => resolveSessionSecret({ dataDir })).toThrow(/does not hold a session secret/);
  });
});
