/**
 * @module cli/commands/status
 * `groundwork status`: what the knowledge base holds and which engine serves it.
 */

import type { Command } from 'commander';
import { embedderName } from '../../models/embedders.ts';
import { INSTANCE_FRESH_SECONDS } from '../../os/instance-registry.ts';
import { liveInstances } from '../../store/instances.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import { printJson, withGroundwork } from '../context.ts';

/** Registers the command. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the database, the embedder and what the knowledge base holds')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const { rows } = await app.db.query<{
          documents: number;
          chunks: number;
          vectors: number;
          jobs: number;
        }>(
          `SELECT (SELECT count(*) FROM documents WHERE tenant_id = $1)::int AS documents,
                  (SELECT count(*) FROM chunks WHERE tenant_id = $1)::int AS chunks,
                  (SELECT count(*) FROM chunk_vectors WHERE tenant_id = $1)::int AS vectors,
                  (SELECT count(*) FROM ingest_jobs WHERE tenant_id = $1 AND status IN ('queued','running'))::int AS jobs`,
          [tenantId],
        );
        const status = {
          tenant: tenantId,
          database: app.db.dialect === 'pglite' ? `embedded (${app.config.dataDir})` : 'postgres server',
          engine: `Postgres ${app.db.capabilities.serverVersion}, pgvector ${app.db.capabilities.pgvectorVersion}`,
          sizeBytes: await app.db.sizeBytes(),
          embedder: app.retriever.embedder
            ? `${embedderName(app.retriever.embedder)} (${app.retriever.embedder.dimensions} dimensions)`
            : 'none (lexical retrieval only)',
          answers: app.languageModelName
            ? `generative (${app.languageModelName})`
            : 'extractive (set GROUNDWORK_LLM to generate)',
          retrieval: app.retriever.defaultMode,
          ...rows[0],
          // The server processes sharing a Postgres server (their heartbeats); the embedded one has one owner.
          ...(app.db.dialect === 'postgres'
            ? {
                processes:
                  (await liveInstances(app.db, INSTANCE_FRESH_SECONDS))
                    .map(
                      (instance) =>
                        `${instance.role}@${instance.hostname}:${instance.pid} (v${instance.version})`,
                    )
                    .join(', ') || 'none running',
              }
            : {}),
          notes: app.modelNotes.join('; ') || 'none',
        };
        if (options.json) return printJson(status);
        for (const [key, value] of Object.entries(status)) {
          process.stdout.write(
            `${key.padEnd(12)} ${key === 'sizeBytes' ? formatBytes(Number(value)) : value}\n`,
          );
        }
      });
    });
}
