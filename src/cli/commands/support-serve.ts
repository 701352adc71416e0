/**
 * @module cli/commands/support-serve
 * `groundwork support`: the server with the support app. It ingests the app's knowledge (Markdown, and
 * three manuals as PDFs instead of their Markdown twins; content hashes make a re-ingest a no-op), seeds the orders store when the tenant
 * has none, mounts the support routes and says which mode answers: the agents on the configured
 * language model, or the no-LLM routed policy.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { supportRoutes } from '../../../apps/support/http.ts';
import { supportKnowledgeFiles } from '../../../apps/support/knowledge-sources.ts';
import { supportPrivacySection } from '../../../apps/support/privacy-section.ts';
import { trainSupportRouter } from '../../../apps/support/scenarios/runner.ts';
import { createSupportService } from '../../../apps/support/service.ts';
import { openSupportStore } from '../../../apps/support/store/open-store.ts';
import { createGroundwork, type GroundworkServices } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { createHttpApp } from '../../server/app.ts';
import { ServerDrain } from '../../server/drain.ts';
import { authRequired } from '../../server/identity.ts';
import { insecureOpenFromEnv } from '../../server/open-bind.ts';
import { authBanner, refuseOpenBind } from './serve.ts';
import { installGracefulShutdown, shutdownGraceMs } from './serve-process.ts';

/** Options of `groundwork support`. */
export interface SupportServeOptions {
  port: string;
  host: string;
  /** Listen on a non-loopback address even with auth off (server/open-bind.ts). */
  insecureOpen?: boolean;
}

/** Runs the support server until SIGINT or SIGTERM. */
export async function runSupportServer(options: SupportServeOptions): Promise<void> {
  const graceMs = shutdownGraceMs();
  const config = loadConfig();
  const app = await createGroundwork(config, { warmUp: true, instance: { role: 'all' } });
  // Before anything is ingested or listens: a non-loopback bind without auth is refused unless forced.
  const required = await authRequired(config.auth, app.keys, config.oidc !== undefined);
  const auth = authBanner(config.auth, required);
  const warning = await refuseOpenBind(app, {
    host: options.host,
    authRequired: required,
    forced: !!options.insecureOpen || insecureOpenFromEnv(),
  });
  if (warning) process.stderr.write(warning);
  const tenantId = config.defaultTenant;
  app.ingestion.events.on('worker-error', (error) => console.error('ingestion worker:', error));
  // Drained before the worker starts, so this process runs the job and the count below is final.
  const ingested = await ingestKnowledge(app, tenantId);
  app.ingestion.start();
  const store = await openSupportStore(app);
  // Dates relative to today, so the demo's return windows are open.
  const seeded = await store.seedIfEmpty(tenantId, new Date());
  // The operator's MCP servers (GROUNDWORK_MCP_SERVERS) give the agents more tools; one that cannot
  // be reached is left out and said so, the rest still work.
  const operatorTools = await app.mcp.tools();
  for (const problem of app.mcp.problems) console.error(`MCP server ${problem.server}: ${problem.message}`);
  const support = createSupportService(app, {
    retriever: app.retriever,
    router: await trainSupportRouter(),
    operatorTools,
  });
  app.privacy.register(supportPrivacySection);
  const { customers } = store;
  const drain = new ServerDrain();
  const http = createHttpApp(app, {
    routes: [supportRoutes(support, { sessions: app.sessions, customers })],
    customers,
    drain,
    bindHost: options.host,
  });
  const server = serve({ fetch: http.fetch, port: Number(options.port), hostname: options.host });
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host}:${port}`;
    const mode =
      support.mode === 'agents'
        ? `agents on ${app.languageModelName}`
        : 'routed (no LLM: intent router, tools and templates; set GROUNDWORK_LLM for agents)';
    process.stdout.write(
      `groundwork support is running at ${url}\n` +
        `  mode: ${mode}\n` +
        `  knowledge: ${ingested}; orders: ${seeded ? 'seeded the demo data' : 'kept the stored data'} (tenant ${tenantId})\n` +
        `  auth: ${auth}\n` +
        `  try: curl -s ${url}/v1/support/messages -H 'content-type: application/json' -d '{"message":"Where is my order GW-10004? My email is maya.patel@example.com"}'\n`,
    );
  });
  server.on('error', async (error) => {
    console.error(`groundwork: cannot listen on ${options.host}:${options.port}: ${error.message}`);
    await app.close();
    process.exit(1);
  });
  // The same graceful drain as `serve` (ADR 0036).
  installGracefulShutdown({
    server: server as Server,
    drain,
    ingestion: app.ingestion,
    close: () => app.close(),
    graceMs,
  });
}

/**
 * Submits the knowledge files, each manual once (a PDF manual instead of its Markdown twin; unchanged
 * files are skipped by their hash), and removes twins that an older release ingested next to the PDFs.
 */
async function ingestKnowledge(app: GroundworkServices, tenantId: string): Promise<string> {
  const { files, replaced } = await supportKnowledgeFiles();
  await app.documents.delete(tenantId, await app.documents.idsByOrigin(tenantId, replaced));
  await app.ingestion.submit(
    tenantId,
    { sources: files.map((file) => ({ kind: 'path' as const, path: file })) },
    { trusted: true },
  );
  await app.ingestion.drain();
  const { documents, chunks } = await app.documents.counts(tenantId);
  return `${documents} documents, ${chunks} chunks`;
}
