/**
 * Fault suite: a 99 MiB upload (just under the default 100 MiB limit) to a real embedded-database
 * server process. It used to run the process out of heap; now the upload streams to the blob store,
 * so the server stays up and its peak memory grows by far less than the file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/os/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MIB = 1024 * 1024;

async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 'NaN');
  return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
}

describe.runIf(process.platform === 'linux')('a 99 MiB upload to the embedded server', () => {
  let dir: string;
  let child: ChildProcess;
  let base: string;
  const exits: (number | null)[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gw-fault-upload-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [path.join(ROOT, 'bin/groundwork'), 'serve', '--port', String(port)], {
      cwd: ROOT,
      env: {
        ...process.env,
        GROUNDWORK_DATA_DIR: path.join(dir, 'data'),
        GROUNDWORK_MODELS_DIR: path.join(dir, 'no-models'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('exit', (code) => exits.push(code));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (data: Buffer) => {
        if (data.toString().includes('groundwork is running')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('is accepted and processed without the server exiting or holding the file in memory', async () => {
    const file = path.join(dir, 'upload.bin');
    await writeFile(file, randomBytes(99 * MIB));
    const atRest = await memoryOf(child.pid as number);
    const form = new FormData();
    form.append('file', await openAsBlob(file), 'upload.bin');
    const response = await fetch(`${base}/v1/documents`, { method: 'POST', body: form });
    expect(response.status).toBe(202);
    const { job } = (await response.json()) as { job: { id: string } };
    let items: { status: string; code: string | null }[] = [];
    for (;;) {
      const state = (await (await fetch(`${base}/v1/jobs/${job.id}`)).json()) as {
        job: { status: string };
        items: typeof items;
      };
      items = state.items;
      if (!['queued', 'running'].includes(state.job.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Random bytes are no document: the item fails with its reason, the process lives on.
    expect(items.map((item) => `${item.status}:${item.code}`)).toEqual(['failed:unsupported_type']);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(exits).toEqual([]);
    const after = await memoryOf(child.pid as number);
    // Before streaming, the peak grew by ~75× the file (3.7 GB at 50 MiB; out of heap at 99 MiB).
    expect(after.peak - atRest.rss).toBeLessThan(1024 * MIB);
  }, 600_000);
});
