import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
let root: string;

/** What `bin/groundwork` of the scratch checkout ran: the compiled build or the sources. */
const run = (env: Record<string, string> = {}) =>
  execFileSync(process.execPath, [path.join(root, 'bin/groundwork')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  }).trim();

/** Sets the modification time of `file` to `seconds` from now. */
const age = (file: string, seconds: number) => {
  const when = new Date(Date.now() + seconds * 1000);
  utimesSync(path.join(root, file), when, when);
};

describe('bin/groundwork: the compiled build only while it is current', () => {
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'groundwork-bin-'));
    for (const folder of ['bin', 'src/cli', 'apps/support', 'dist/src/cli']) {
      mkdirSync(path.join(root, folder), { recursive: true });
    }
    copyFileSync(path.join(REPO, 'bin/groundwork'), path.join(root, 'bin/groundwork'));
    symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
    writeFileSync(path.join(root, 'package.json'), '{"type": "module"}\n');
    writeFileSync(
      path.join(root, 'src/cli/main.ts'),
      "const from: string = 'sources';\nconsole.log(from);\nexport {};\n",
    );
    writeFileSync(path.join(root, 'apps/support/app.ts'), 'export {};\n');
    writeFileSync(path.join(root, 'dist/src/cli/main.js'), "console.log('dist');\n");
    writeFileSync(path.join(root, 'dist/.build-stamp'), '{}\n');
    for (const file of ['src/cli/main.ts', 'src/cli', 'src', 'apps/support/app.ts', 'apps/support', 'apps'])
      age(file, -60);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs dist/ when its stamp is newer than every source, and the sources otherwise', () => {
    age('dist/.build-stamp', 0);
    expect(run()).toBe('dist');
    expect(run({ GROUNDWORK_CLI_SOURCE: '1' })).toBe('sources');
    // An edited source.
    age('src/cli/main.ts', 5);
    expect(run()).toBe('sources');
    age('src/cli/main.ts', -60);
    expect(run()).toBe('dist');
    // A test is not compiled: editing one leaves the build current.
    writeFileSync(path.join(root, 'src/cli/main.test.ts'), 'export {};\n');
    age('src/cli', -60);
    expect(run()).toBe('dist');
    // A file added under apps/ changes its folder's time.
    writeFileSync(path.join(root, 'apps/support/new.ts'), 'export {};\n');
    age('apps/support/new.ts', -60);
    expect(run()).toBe('sources');
  });

  it('runs the sources when there is no build', () => {
    rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    expect(run()).toBe('sources');
  });
});
