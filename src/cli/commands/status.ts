/**
 * @module cli/commands/status
 * `groundwork status`: what the knowledge base holds and which engine serves it.
 */

import type { Command } from 'commander';
import { embedderName } from '../../models/embedders.ts';
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
        const counts = await app.documents.counts(tenantId);
        const database = await app.health.facts();
        const status = {
          tenant: tenantId,
          database: database.dialect === 'pglite' ? `embedded (${app.config.dataDir})` : 'postgres server',
          engine: `Postgres ${database.serverVersion}, pgvector ${database.pgvectorVersion}`,
          sizeBytes: database.sizeBytes,
          embedder: app.retriever.embedder
            ? `${embedderName(app.retriever.embedder)} (${app.retriever.embedder.dimensions} dimensions)`
            : 'none (lexical retrieval only)',
          answers: app.languageModelName
            ? `generative (${app.languageModelName})`
            : 'extractive (set GROUNDWORK_LLM to generate)',
          retrieval: app.retriever.defaultMode,
          ...counts,
          // The server processes sharing a Postgres server (their heartbeats); the embedded one has one owner.
          ...(database.dialect === 'postgres'
            ? {
                processes:
                  (await app.health.processes())
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
