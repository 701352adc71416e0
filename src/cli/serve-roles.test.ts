/**
 * `groundwork serve --role api|worker|all` as child processes (ADR 0036). On a Postgres server an `api`
 * process serves the API and never claims jobs (an upload's job stays queued until a worker runs), a
 * `worker` process claims it and serves only `/healthz`, `/readyz` and `/metrics`, and `status` lists
 * both roles. On the embedded database, and for an unknown role, the process refuses to start with a
 * message that says what to do.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../testing/databases.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
// tsx compiles the sources and the database opens: slow on a shared two-core box.
const TIMEOUT_MS = 300_000;
const SERVER_URL = process.env.GROUNDWORK_TEST_DATABASE_URL;

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  output: string;
}

function baseEnv(dataDir: string, databaseUrl = ''): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CI: '',
    GROUNDWORK_DATA_DIR: dataDir,
    GROUNDWORK_EMBEDDER: 'none',
    GROUNDWORK_LLM: 'none',
    DATABASE_URL: databaseUrl,
  };
}

function startServe(env: NodeJS.ProcessEnv, role: string): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--role', role], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running = { child, output: '' } as Running & { output: string };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no banner; output:\n${running.output}`)),
      TIMEOUT_MS / 3,
    );
    const onData = (data: Buffer) => {
      running.output += data.toString();
      const url = /(?:running at|probes and metrics at) (http:\/\/[\d.]+:\d+)/.exec(running.output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(Object.assign(running, { url }));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}; output:\n${running.output}`)));
  });
}

/** Runs the CLI to its end; resolves with its exit code and output. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return promisify(execFile)(process.execPath, [BIN, ...args], { env, timeout: TIMEOUT_MS / 3 }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : 1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
}

async function stop(running: Running | undefined): Promise<void> {
  if (!running || running.child.exitCode !== null) return;
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGTERM');
  await exited;
}

async function jobStatus(url: string, jobId: string): Promise<string> {
  const { job } = (await (await fetch(`${url}/v1/jobs/${jobId}`)).json()) as { job: { status: string } };
  return job.status;
}

describe('serve roles', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gw-serve-roles-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'refuses an unknown role, and split roles on the embedded database, saying what to set',
    async () => {
      const unknown = await runCli(['serve', '--port', '0', '--role', 'frontend'], baseEnv(dataDir));
      expect(unknown.code).not.toBe(0);
      expect(unknown.output).toContain('Unknown role "frontend"');
      expect(unknown.output).not.toMatch(/\n\s+at /);
      const fromEnv = await runCli(['serve', '--port', '0'], {
        ...baseEnv(dataDir),
        GROUNDWORK_ROLE: 'api',
      });
      expect(fromEnv.code).not.toBe(0);
      expect(fromEnv.output).toContain('--role api needs a Postgres server (DATABASE_URL)');
      expect(fromEnv.output).not.toMatch(/\n\s+at /);
    },
    TIMEOUT_MS,
  );

  it.skipIf(!SERVER_URL)(
    'runs the API and the worker as separate processes on one Postgres server',
    async () => {
      const scratch = await createScratchDatabase(SERVER_URL!);
      const env = baseEnv(dataDir, scratch.url);
      let api: Running | undefined;
      let worker: Running | undefined;
      try {
        api = await startServe(env, 'api');
        const form = new FormData();
        form.append(
          'file',
          new Blob(['Returns\n\nThermostats may be returned within 30 days.\n']),
          'returns.md',
        );
        const uploaded = await fetch(`${api.url}/v1/documents`, { method: 'POST', body: form });
        expect(uploaded.status).toBe(202);
        const { job } = (await uploaded.json()) as { job: { id: string } };
        // No worker yet: the API process never claims the job.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        expect(await jobStatus(api.url, job.id)).toBe('queued');

        worker = await startServe(env, 'worker');
        await expect.poll(() => jobStatus(api!.url, job.id), { timeout: 60_000, interval: 250 }).toBe('done');
        expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
        expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
        const metrics = await fetch(`${worker.url}/metrics`);
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toContain('groundwork_event_loop_delay_seconds');
        const search = await fetch(`${worker.url}/v1/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'returns' }),
        });
        expect(search.status).toBe(404);
        expect(((await search.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
        // The API process answers from what the worker wrote.
        const found = (await (
          await fetch(`${api.url}/v1/search`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'thermostat returned' }),
          })
        ).json()) as { chunks: unknown[] };
        expect(found.chunks.length).toBeGreaterThan(0);

        const status = await runCli(['status'], env);
        expect(status.output).toMatch(/processes\s+.*api@/);
        expect(status.output).toMatch(/worker@/);
      } finally {
        await stop(worker);
        await stop(api);
        await scratch.drop();
      }
    },
    TIMEOUT_MS,
  );
});
