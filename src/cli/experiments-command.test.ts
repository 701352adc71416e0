import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { collectArms } from './commands/experiments.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Parses `argv` with an `--arm` option declared the way the command declares it. */
function armsOf(argv: string[]): string[] | undefined {
  const program = new Command().exitOverride();
  program.option('--arm <arms...>', 'arms', collectArms).option('--json');
  program.parse(argv, { from: 'user' });
  return program.opts<{ arm?: string[] }>().arm;
}

describe('groundwork experiments create --arm', () => {
  it('collects repeated --arm options, several values after one, and comma-separated ones', () => {
    expect(armsOf(['--arm', 'a=1', '--arm', 'b=2'])).toEqual(['a=1', 'b=2']);
    expect(armsOf(['--arm', 'a=1', 'b=2:3'])).toEqual(['a=1', 'b=2:3']);
    expect(armsOf(['--arm', 'a=1,b=2', '--json'])).toEqual(['a=1', 'b=2']);
    expect(armsOf(['--json'])).toBeUndefined();
  });

  it('starts an experiment from repeated --arm and from one --arm with two values', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gw-experiments-cli-'));
    dirs.push(dir);
    const env = { ...process.env, GROUNDWORK_DATA_DIR: path.join(dir, 'data'), CI: '' };
    const run = (...args: string[]) => exec(process.execPath, [BIN, ...args], { env });
    const template = path.join(dir, 'brief.txt');
    await writeFile(template, 'Answer in one sentence from the passages, citing them as [n].');
    await run('prompts', 'create', 'rag.system', '--file', template, '--note', 'brief');

    const repeated = await run(
      'experiments',
      'create',
      '--name',
      'brief',
      '--arm',
      'a=1',
      '--arm',
      'b=2:3',
      '--json',
    );
    const first = JSON.parse(repeated.stdout.slice(repeated.stdout.indexOf('{'))) as {
      id: string;
      arms: unknown[];
    };
    expect(first.arms).toEqual([
      { name: 'a', version: 1, weight: 1 },
      { name: 'b', version: 2, weight: 3 },
    ]);
    await run('experiments', 'stop', first.id);

    const spread = await run(
      'experiments',
      'create',
      '--name',
      'again',
      '--arm',
      'control=1',
      'brief=2',
      '--json',
    );
    const second = JSON.parse(spread.stdout.slice(spread.stdout.indexOf('{'))) as { arms: unknown[] };
    expect(second.arms).toEqual([
      { name: 'control', version: 1, weight: 1 },
      { name: 'brief', version: 2, weight: 1 },
    ]);

    // A malformed arm is a usage error (exit code 2) that says how to write one, not a crash.
    const refused = await run('experiments', 'create', '--name', 'bad', '--arm', 'a', '--arm', 'b=2').catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('write name=version');
  }, 300_000);
});
