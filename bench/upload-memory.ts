/**
 * Peak memory of the server per upload size. Each run starts `bin/groundwork serve` of a checkout on a
 * fresh embedded data directory, uploads one file of the given size over `POST /v1/documents`, waits
 * for its ingestion job to end, and reads the server's peak resident set (`VmHWM`) from /proc. The
 * file is random bytes named `.bin`, so the job fails fast with `unsupported_type`: what is measured
 * is the upload path (receiving, storing, handing the bytes to the worker), not a parser.
 *
 *   npx tsx bench/upload-memory.ts [--root <checkout>] [--sizes 10,50,99] [--runs 3]
 *
 * `--root` picks the checkout whose server is measured (another worktree gives the "before" figure).
 * Reported: per size, the median over runs of the peak RSS and of the peak minus the RSS at rest.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../src/os/free-port.ts';
import { describeMachine, median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: path.resolve(import.meta.dirname, '..') },
    sizes: { type: 'string', default: '10,50,99' },
    runs: { type: 'string', default: '3' },
  },
});
const MIB = 1024 * 1024;

async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 'NaN');
  return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
}

interface RunResult {
  readonly peak: number;
  readonly growth: number;
  readonly accepted: number;
  /** The server died during the run (e.g. out of heap); its last figures are unknown. */
  readonly crashed?: string;
}

async function oneRun(sizeMib: number): Promise<RunResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gw-bench-upload-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(values.root, 'bin/groundwork'), 'serve', '--port', String(port)],
    {
      cwd: values.root,
      env: {
        ...process.env,
        GROUNDWORK_DATA_DIR: dataDir,
        GROUNDWORK_MODELS_DIR: path.join(dataDir, 'no-models'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        if (data.toString().includes('groundwork is running')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const atRest = await memoryOf(child.pid as number);
    let lastPeak = atRest.peak;
    const exited = new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => resolve(`server exited (${signal ?? `code ${code}`})`)),
    );
    const sampler = setInterval(() => {
      memoryOf(child.pid as number).then(
        (memory) => {
          lastPeak = memory.peak;
        },
        () => {},
      );
    }, 200);
    try {
      return await Promise.race([
        measure(),
        exited.then((crashed) => ({
          peak: lastPeak,
          growth: lastPeak - atRest.rss,
          accepted: Number.NaN,
          crashed,
        })),
      ]);
    } finally {
      clearInterval(sampler);
    }
    async function measure(): Promise<RunResult> {
      const form = new FormData();
      form.append('file', new Blob([randomBytes(sizeMib * MIB)]), `upload-${sizeMib}.bin`);
      const base = `http://127.0.0.1:${port}`;
      const started = performance.now();
      const response = await fetch(`${base}/v1/documents`, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(600_000),
      });
      const accepted = (performance.now() - started) / 1000;
      if (response.status !== 202)
        throw new Error(`upload answered ${response.status}: ${await response.text()}`);
      const { job } = (await response.json()) as { job: { id: string } };
      for (;;) {
        const state = (await (await fetch(`${base}/v1/jobs/${job.id}`)).json()) as {
          job: { status: string };
        };
        if (!['queued', 'running'].includes(state.job.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const after = await memoryOf(child.pid as number);
      return { peak: after.peak, growth: after.peak - atRest.rss, accepted };
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

const sizes = values.sizes.split(',').map(Number);
console.log(`upload memory of ${values.root}; ${describeMachine()}`);
console.log('| upload | peak RSS (median) | peak − RSS at rest | upload accepted in |');
console.log('| --- | --- | --- | --- |');
for (const size of sizes) {
  const runs = [];
  for (let run = 0; run < Number(values.runs); run++) runs.push(await oneRun(size));
  const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
  const crashed = runs.filter((run) => run.crashed);
  if (crashed.length > 0) {
    console.log(
      `| ${size} MiB | ${crashed.length}/${runs.length} runs: ${crashed[0]!.crashed}, last seen peak ${mib(Math.max(...crashed.map((run) => run.peak)))} | | |`,
    );
    continue;
  }
  console.log(
    `| ${size} MiB | ${mib(median(runs.map((run) => run.peak)))} | ${mib(median(runs.map((run) => run.growth)))} | ${median(runs.map((run) => run.accepted)).toFixed(2)} s |`,
  );
}
