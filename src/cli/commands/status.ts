/**
 * @module cli/commands/status
 * `groundwork status`: what the knowledge base holds and which engine serves it. It opens only the
 * database (src/status-report.ts), not the whole product, so it answers in about the time the database
 * takes to open.
 */

import type { Command } from 'commander';
import { loadConfig } from '../../config/config.ts';
import { readStatusReport } from '../../status-report.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import { printJson } from '../context.ts';

/** Registers the command. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the database, the embedder and what the knowledge base holds')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadConfig();
      const tenantId = (command.optsWithGlobals().tenant as string | undefined) ?? config.defaultTenant;
      const status = await readStatusReport(config, tenantId);
      if (options.json) return printJson(status);
      for (const [key, value] of Object.entries(status)) {
        process.stdout.write(
          `${key.padEnd(12)} ${key === 'sizeBytes' ? formatBytes(Number(value)) : value}\n`,
        );
      }
    });
}
