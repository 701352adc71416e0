/**
 * @module cli/commands/jobs
 * `groundwork jobs [id]`: recent ingestion jobs, or one job with its failed items.
 */
import type { Command } from 'commander';
import { NotFoundError } from '../../errors.ts';
import { printJson, withGroundwork } from '../context.ts';

/** Registers the command. */
export function registerJobsCommand(program: Command): void {
  program
    .command('jobs')
    .description('list ingestion jobs, or show one')
    .argument('[id]', 'job id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        if (!id) {
          const jobs = await app.ingestion.listJobs(tenantId);
          if (options.json) return printJson(jobs);
          for (const job of jobs) {
            process.stdout.write(
              `${job.id}  ${job.status.padEnd(9)} ${job.processed}/${job.total} files, ${job.failed} failed, ` +
                `${job.chunks} chunks  ${job.createdAt}\n`,
            );
          }
          return;
        }
        const job = await app.ingestion.getJob(tenantId, id);
        if (!job) throw new NotFoundError('job_not_found', `No job ${id} in tenant ${tenantId}.`);
        const items = await app.ingestion.listItems(job.id);
        if (options.json) return printJson({ job, items });
        process.stdout.write(`${job.id} ${job.status}: ${job.processed}/${job.total} processed\n`);
        for (const item of items) {
          process.stdout.write(
            `  ${item.status.padEnd(9)} ${item.uri}${item.reason ? `\n            ${item.code ?? ''} ${item.reason}` : ''}\n`,
          );
        }
      });
    });
}
