/**
 * @module cli/commands/support-serve
 * `groundwork support`: the server with the support app. It ingests the app's knowledge (Markdown, and
 * three manuals as PDFs instead of their Markdown twins; content hashes make a re-ingest a no-op), seeds the orders store when the tenant
 * has none, mounts the support routes and says which mode answers: the agents on the configured
 * language model, or the no-LLM routed policy.
 */
import { createSupportApp } from '../../../apps/support/create-support-app.ts';
import { ingestSupportKnowledge } from '../../../apps/support/knowledge-sources.ts';
import { openSupportStore } from '../../../apps/support/store/open-store.ts';
import { createGroundwork, type Groundwork } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { insecureOpenFromEnv } from '../../server/open-bind.ts';
import { startServer } from '../start-server.ts';
import { shutdownGraceMs } from './serve-process.ts';

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
  const tenantId = config.defaultTenant;
  let ingested = '';
  let seeded = false;
  let mode = '';
  await startServer(app, {
    host: options.host,
    port: options.port,
    insecureOpen: !!options.insecureOpen || insecureOpenFromEnv(),
    graceMs,
    prepare: async () => {
      // Drained before the worker starts, so this process runs the job and the count is final.
      ingested = await ingestSupportKnowledge(app, tenantId);
      // The operator's MCP servers (GROUNDWORK_MCP_SERVERS) give the agents more tools; one that
      // cannot be reached is left out and said so, the rest still work.
      const supportApp = await createSupportApp(app);
      for (const problem of supportApp.problems) process.stderr.write(`${problem}\n`);
      seeded = await seedIfEmpty(app, tenantId);
      mode =
        supportApp.service.mode === 'agents'
          ? `agents on ${app.languageModelName}`
          : 'routed (no LLM: intent router, tools and templates; set GROUNDWORK_LLM for agents)';
      return supportApp.http;
    },
    banner: ({ url, auth }) =>
      `groundwork support is running at ${url}\n` +
      `  mode: ${mode}\n` +
      `  knowledge: ${ingested}; orders: ${seeded ? 'seeded the demo data' : 'kept the stored data'} (tenant ${tenantId})\n` +
      `  auth: ${auth.line}\n` +
      `  try: curl -s ${url}/v1/support/messages -H 'content-type: application/json' -d '{"message":"Where is my order GW-10004? My email is maya.patel@example.com"}'\n`,
  });
}

async function seedIfEmpty(app: Groundwork, tenantId: string): Promise<boolean> {
  const store = await openSupportStore(app);
  // Dates relative to today, so the demo's return windows are open.
  return store.seedIfEmpty(tenantId, new Date());
}
