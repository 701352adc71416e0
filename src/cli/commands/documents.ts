/**
 * @module cli/commands/documents
 * `groundwork documents list|delete`.
 */
import type { Command } from 'commander';
import { printJson, withGroundwork } from '../context.ts';

/** Registers the command. */
export function registerDocumentsCommand(program: Command): void {
  const documents = program.command('documents').description('list or delete documents');
  documents
    .command('list')
    .option('--limit <n>', 'rows (1–500)', '50')
    .option('--offset <n>', 'rows to skip', '0')
    .option('--json', 'print JSON')
    .action(async (options: { limit: string; offset: string; json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        // The rows of `GET /v1/documents`; `chunks` is kept for scripts written against older releases.
        const rows = (
          await app.documents.list(tenantId, { limit: options.limit, offset: options.offset })
        ).map((row) => ({ ...row, chunks: row.chunkCount }));
        if (options.json) return printJson(rows);
        for (const row of rows)
          process.stdout.write(`${row.id}\t${row.chunkCount}\t${row.title ?? ''}\t${row.uri}\n`);
      });
    });
  documents
    .command('delete')
    .argument('<ids...>', 'document ids')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const count = await app.documents.delete(tenantId, ids.map(Number).filter(Number.isInteger));
        process.stdout.write(`deleted ${count} document(s)\n`);
      });
    });
}
