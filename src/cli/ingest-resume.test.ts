/**
 * `groundwork ingest` re-run after a crash (issue 16): it resumes the interrupted job, says so with
 * its progress ("resuming job <id>: 2/5 done"), does not redo finished items, and leaves one job.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJob, finishItem, insertItems } from '../store/jobs.ts';
import { openDatabase } from '../store/open.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CI: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    output += data.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('groundwork ingest after a crash', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gw-resume-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('resumes the interrupted job and says so with its progress', { timeout: 300_000 }, async () => {
    const dataDir = path.join(scratch, 'data');
    const corpus = path.join(await realpath(scratch), 'docs');
    await mkdir(corpus);
    const files = [0, 1, 2, 3, 4].map((index) => path.join(corpus, `f${index}.md`));
    for (const [index, file] of files.entries())
      await writeFile(file, `# File ${index}\n\nThe router number ${index} resets with a pin.`);
    const env = { GROUNDWORK_DATA_DIR: dataDir, GROUNDWORK_EMBEDDER: 'none', GROUNDWORK_LLM: 'none' };

    // A run that crashed after two of five items: queued by the CLI, claimed, two items done.
    const db = await openDatabase({ dataDir });
    await db.query(`INSERT INTO tenants (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING`);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO ingest_jobs (tenant_id, status, request) VALUES ('default', 'queued', $1::jsonb) RETURNING id`,
      [
        JSON.stringify({
          sources: [{ kind: 'path', path: corpus }],
          sync: false,
          acl: ['*'],
          metadata: {},
          ocr: true,
          force: false,
        }),
      ],
    );
    const jobId = rows[0]!.id;
    await claimJob(db, 'crashed-cli', 60_000);
    await insertItems(db, jobId, files);
    await finishItem(db, jobId, 0, { status: 'done', documents: 1, chunks: 1 });
    await finishItem(db, jobId, 1, { status: 'done', documents: 1, chunks: 1 });
    await db.query('UPDATE ingest_jobs SET processed = 2, total = 5 WHERE id = $1', [jobId]);
    await db.close();

    const rerun = await runCli(['ingest', corpus], env);
    expect(rerun.code).toBe(0);
    expect(rerun.output).toContain(`resuming job ${jobId}: 2/5 done`);
    expect(rerun.output).toMatch(new RegExp(`job ${jobId} done: 5 ingested`));

    const after = await openDatabase({ dataDir });
    const jobs = await after.query<{ id: string; status: string }>('SELECT id, status FROM ingest_jobs');
    const documents = await after.query<{ uri: string }>('SELECT uri FROM documents ORDER BY uri');
    await after.close();
    expect(jobs.rows).toEqual([{ id: jobId, status: 'done' }]);
    // Items 0 and 1 were recorded done by the crashed run and are not redone.
    expect(documents.rows.map((row) => path.basename(row.uri))).toEqual(['f2.md', 'f3.md', 'f4.md']);
  });
});
