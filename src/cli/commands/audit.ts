/**
 * @module cli/commands/audit
 * `groundwork audit`: the audit log, newest first (all tenants unless `--tenant` is given).
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../errors.ts';
import { printJson, withGroundwork } from '../context.ts';
import { explicitTenant } from './keys.ts';

/** Registers the command. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('show the audit log of administrative actions')
    .option('--limit <n>', 'entries to show', '50')
    .option('--json', 'print JSON')
    .action(async (options: { limit: string; json?: boolean }, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new InvalidRequestError('invalid_limit', '--limit must be a whole number from 1 to 10000.');
      }
      await withGroundwork(command, async (app) => {
        const entries = await app.keys.audit.list({ tenantId: explicitTenant(command), limit });
        if (options.json) return printJson(entries);
        for (const entry of entries) {
          const details = Object.keys(entry.details).length > 0 ? `  ${JSON.stringify(entry.details)}` : '';
          process.stdout.write(
            `${entry.at}  ${entry.tenantId}  ${entry.actor}  ${entry.action}  ${entry.target ?? '-'}${details}\n`,
          );
        }
      });
    });
}
