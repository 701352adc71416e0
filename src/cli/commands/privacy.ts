/**
 * @module cli/commands/privacy
 * `groundwork privacy export|erase --customer ID [--tenant T]`: data-subject rights from the command
 * line. Export prints (or writes to `--out`) every row held about the customer, table by table; erase
 * removes them and prints what went per table and the audit record, which names the customer only by
 * hash. The support app's tables are covered whenever they exist in the database.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { supportPrivacySection } from '../../../apps/support/privacy-section.ts';
import type { GroundworkServices } from '../../app.ts';
import type { ErasureReport } from '../../privacy/privacy-service.ts';
import { printJson, withGroundwork } from '../context.ts';

/** Registers the command. */
export function registerPrivacyCommand(program: Command): void {
  const privacy = program
    .command('privacy')
    .description("data-subject rights: export or erase one customer's data");

  privacy
    .command('export')
    .description('print everything stored about a customer (JSON), every covered table listed')
    .requiredOption('--customer <id>', 'customer id')
    .option('--out <file>', 'write the export to a file instead of stdout')
    .action(async (options: { customer: string; out?: string }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        await registerAppSections(app);
        const data = await app.privacy.exportCustomer(tenantId, options.customer, { actor: 'cli' });
        if (!options.out) return printJson(data);
        await writeFile(options.out, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
        const total = Object.values(data.counts).reduce((sum, n) => sum + n, 0);
        process.stdout.write(
          `Wrote ${total} rows from ${Object.keys(data.tables).length} tables to ${options.out}\n`,
        );
      });
    });

  privacy
    .command('erase')
    .description("erase a customer's data from every store, audited (idempotent)")
    .requiredOption('--customer <id>', 'customer id')
    .option('--json', 'print JSON')
    .action(async (options: { customer: string; json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        await registerAppSections(app);
        const report = await app.privacy.eraseCustomer(tenantId, options.customer, { actor: 'cli' });
        if (options.json) return printJson(report);
        process.stdout.write(formatErasure(report));
      });
    });
}

/** The erase report as the CLI prints it: one line per table, then the audit record. */
export function formatErasure(report: ErasureReport): string {
  const width = Math.max(...Object.keys(report.removed).map((table) => table.length));
  const lines = Object.entries(report.removed).map(
    ([table, count]) => `  ${table.padEnd(width)}  ${String(count).padStart(6)}`,
  );
  return (
    `Erased customer ${report.customerHash} in tenant ${report.tenantId}: ${report.total} rows\n` +
    `${lines.join('\n')}\n` +
    `audit: ${report.audit.action} by ${report.audit.actor}, target ${report.audit.target}\n`
  );
}

async function registerAppSections(app: GroundworkServices): Promise<void> {
  if (await app.health.hasTable('support_customers')) app.privacy.register(supportPrivacySection);
}
