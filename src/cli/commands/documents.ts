/**
 * @module cli/commands/documents
 * `groundwork documents list|delete`.
 */
import type { Command } from 'commander';
import { deleteDocuments } from '../../store/documents.ts';
import { printJson, withGroundwork } from '../context.ts';

/** Registers the command. */
export function registerDocumentsCommand(program: Command): void {
  const documents = program.command('documents').description('list or delete documents');
  documents
    .command('list')
    .option('--limit <n>', 'rows', '50')
    .option('--json', 'print JSON')
    .action(async (options: { limit: string; json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const { rows } = await app.db.query<{ id: number; uri: string; title: string; chunks: number }>(
          `SELECT id, uri, title, chunk_count AS chunks FROM documents WHERE tenant_id = $1 ORDER BY id LIMIT $2`,
          [tenantId, Number(options.limit)],
        );
        if (options.json) return printJson(rows);
        for (const row of rows)
          process.stdout.write(`${row.id}\t${row.chunks}\t${row.title ?? ''}\t${row.uri}\n`);
      });
    });
  documents
    .command('delete')
    .argument('<ids...>', 'document ids')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const count = await deleteDocuments(app.db, tenantId, ids.map(Number).filter(Number.isInteger));
        process.stdout.write(`deleted ${count} document(s)\n`);
      });
    });
}
