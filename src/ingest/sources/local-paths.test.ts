import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkFolder } from './folder.ts';
import { readFileSource } from './read-source.ts';
import { resolveRequestedPath } from './roots.ts';

const LIMITS = { maxFileBytes: 1024 * 1024, fetchTimeoutMs: 1000 };
let base: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), 'gw-paths-')));
  await mkdir(path.join(base, 'root', 'docs', 'deep'), { recursive: true });
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(base, 'root', 'docs', 'a.md'), '# A');
  await writeFile(path.join(base, 'root', 'docs', 'deep', 'b.txt'), 'B');
  await writeFile(path.join(base, 'outside', 'secret.md'), '# Secret');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('readFileSource on the worker', () => {
  it('reads a file at its canonical path', async () => {
    const source = await readFileSource(path.join(base, 'root', 'docs', 'a.md'), LIMITS);
    expect(Buffer.from(source.bytes).toString()).toBe('# A');
  });

  it('refuses a file swapped for a link, or read through a folder swapped for one', async () => {
    const file = path.join(base, 'root', 'docs', 'a.md');
    await rm(file);
    await symlink(path.join(base, 'outside', 'secret.md'), file);
    await expect(readFileSource(file, LIMITS)).rejects.toMatchObject({ code: 'path_changed' });

    const docs = path.join(base, 'root', 'docs');
    await rename(docs, `${docs}-old`);
    await symlink(path.join(base, 'outside'), docs);
    await expect(readFileSource(path.join(docs, 'secret.md'), LIMITS)).rejects.toMatchObject({
      code: 'path_changed',
    });
  });

  it('refuses any path that is not canonical, whoever queued it', async () => {
    await symlink(path.join(base, 'outside'), path.join(base, 'root', 'link'));
    for (const target of [
      path.join(base, 'root', 'link', 'secret.md'),
      `${base}/root/docs/../../outside/secret.md`,
      `${base}/root//docs/a.md`,
    ]) {
      await expect(readFileSource(target, LIMITS)).rejects.toMatchObject({ code: 'path_changed' });
    }
  });

  it('refuses a FIFO without blocking on it', async () => {
    const fifo = path.join(base, 'root', 'docs', 'pipe.md');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // No mkfifo on this system.
    }
    await expect(readFileSource(fifo, LIMITS)).rejects.toMatchObject({ code: 'unsupported_type' });
  });
});

describe('walkFolder', () => {
  it('lists canonical paths, does not follow links and never enters excluded folders', async () => {
    await symlink(path.join(base, 'outside'), path.join(base, 'root', 'docs', 'outlink'));
    await symlink(path.join(base, 'outside', 'secret.md'), path.join(base, 'root', 'docs', 'linked.md'));
    await mkdir(path.join(base, 'root', 'data'));
    await writeFile(path.join(base, 'root', 'data', 'c.md'), '# C');
    const walk = await walkFolder(path.join(base, 'root'), {
      canonicalRoot: true,
      exclude: [path.join(base, 'root', 'data')],
    });
    expect(walk.files).toEqual([
      path.join(base, 'root', 'docs', 'a.md'),
      path.join(base, 'root', 'docs', 'deep', 'b.txt'),
    ]);
  });

  it('refuses a root that is no longer its own real path, and resolves one when asked to', async () => {
    await symlink(path.join(base, 'outside'), path.join(base, 'root', 'swapped'));
    await expect(
      walkFolder(path.join(base, 'root', 'swapped'), { canonicalRoot: true }),
    ).rejects.toMatchObject({
      code: 'path_changed',
    });
    const resolved = await walkFolder(path.join(base, 'root', 'swapped'));
    expect(resolved.files).toEqual([path.join(base, 'outside', 'secret.md')]);
  });
});

describe('resolveRequestedPath', () => {
  const api = () => ({ roots: [path.join(base, 'root')], protectedPaths: [path.join(base, 'root', 'data')] });

  it('stores the kernel-resolved path, or the resolved folder of a file still to come', async () => {
    await symlink(path.join(base, 'root', 'docs', 'deep'), path.join(base, 'root', 'deeplink'));
    expect(await resolveRequestedPath(`${base}/root/deeplink/../a.md`, api())).toBe(
      path.join(base, 'root', 'docs', 'a.md'),
    );
    expect(await resolveRequestedPath(`${base}/root/deeplink/later.md`, api())).toBe(
      path.join(base, 'root', 'docs', 'deep', 'later.md'),
    );
  });

  it('lets the trusted operator name any path, still resolved by the kernel', async () => {
    const trusted = { roots: 'any' as const, protectedPaths: [] };
    if (process.platform === 'linux') {
      expect(await resolveRequestedPath('/proc/self/root/../etc/hostname', trusted)).toBe('/etc/hostname');
    }
    expect(await resolveRequestedPath(path.join(base, 'outside', 'secret.md'), trusted)).toBe(
      path.join(base, 'outside', 'secret.md'),
    );
  });

  it('refuses, with one message, whatever lies outside or is protected', async () => {
    await mkdir(path.join(base, 'root', 'data'));
    await writeFile(path.join(base, 'root', 'data', 'session-secret'), 'x');
    await writeFile(path.join(base, 'root', '.env'), 'OPENAI_API_KEY=x');
    await mkdir(path.join(base, 'root', 'docs', '.git'));
    await writeFile(path.join(base, 'root', 'docs', '.git', 'config'), 'x');
    const messages = new Set<string>();
    for (const target of [
      path.join(base, 'outside', 'secret.md'),
      path.join(base, 'outside', 'missing.md'),
      path.join(base, 'missing-folder', 'missing.md'),
      path.join(base, 'root', 'data', 'session-secret'),
      path.join(base, 'root', 'data'),
      'root/docs/a.md',
      `${base}/root/docs/a.md\0`,
      `${base}/root/..`,
      `${base}/root/.env`,
      `${base}/root/docs/.git/config`,
      `${base}/root/docs/.later.md`,
    ]) {
      const failure = await resolveRequestedPath(target, api()).catch(
        (error: Error & { code: string }) => error,
      );
      expect([target, (failure as { code?: string }).code]).toEqual([target, 'path_not_allowed']);
      messages.add((failure as Error).message);
    }
    expect(messages.size).toBe(1);
  });
});
