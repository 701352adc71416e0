/**
 * @module cli/commands/sources
 * `groundwork sources add|list|sync|remove`: server-side sources (sources/service.ts), the same
 * service `/v1/sources` uses. `sync` runs the job in this process and prints its outcome; a running
 * server also syncs sources on their schedules.
 */
import type { Command } from 'commander';
import type { GroundworkServices } from '../../app.ts';
import { InvalidRequestError, NotFoundError } from '../../errors.ts';
import type { CreateSourceInput, SourceBody } from '../../sources/schema.ts';
import { printJson, withGroundwork } from '../context.ts';

interface AddOptions {
  folder?: string;
  urls?: string[];
  s3?: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  acl?: string;
  every?: string;
  json?: boolean;
}

/** Registers the command. */
export function registerSourcesCommand(program: Command): void {
  const sources = program
    .command('sources')
    .description('server-side sources: folders, URL lists, S3 buckets');
  sources
    .command('add')
    .argument('<name>', 'a name for the source')
    .option('--folder <path>', 'a folder inside the allowed roots')
    .option('--urls <urls...>', 'http(s) URLs')
    .option(
      '--s3 <bucket>',
      'an S3-compatible bucket (credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)',
    )
    .option('--prefix <prefix>', 'key prefix in the bucket', '')
    .option('--region <region>', 'bucket region', 'us-east-1')
    .option('--endpoint <url>', 'S3-compatible endpoint (MinIO, R2, …)')
    .option('--acl <principals>', 'comma-separated principals that may read its documents', '*')
    .option('--every <interval>', 'sync on a schedule, e.g. 15m, 1h, 1d')
    .option('--json', 'print JSON')
    .action(async (name: string, options: AddOptions, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const created = await app.sources.create(tenantId, addInput(name, options));
        if (options.json) return printJson(created);
        process.stdout.write(
          `${describe(created.source)}\nwebhook secret (shown once): ${created.webhookSecret}\n`,
        );
      });
    });
  sources
    .command('list')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const rows = await app.sources.list(tenantId);
        if (options.json) return printJson(rows);
        for (const row of rows) process.stdout.write(`${describe(row)}\n`);
      });
    });
  sources
    .command('sync')
    .argument('<source>', 'id or name')
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const source = await find(app, tenantId, ref);
        const outcome = await app.sources.sync(tenantId, source.id);
        if (outcome.job) await app.ingestion.drain();
        const job = outcome.job ? await app.ingestion.getJob(tenantId, outcome.job.id) : null;
        const items = job ? await app.ingestion.listItems(job.id) : [];
        const after = await app.sources.get(tenantId, source.id);
        if (options.json) return printJson({ source: after, job, items });
        process.stdout.write(`${describe(after)}\n`);
        for (const item of items)
          process.stdout.write(
            `  ${item.status.padEnd(9)} ${item.uri}${item.code ? `  ${item.code}: ${item.reason}` : ''}\n`,
          );
        if (after.lastSync?.status === 'failed') process.exitCode = 1;
      });
    });
  sources
    .command('remove')
    .argument('<source>', 'id or name')
    .option('--remove-documents', 'also remove the documents it ingested')
    .action(async (ref: string, options: { removeDocuments?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const source = await find(app, tenantId, ref);
        const { job } = await app.sources.remove(tenantId, source.id, options.removeDocuments ?? false);
        if (job) await app.ingestion.drain();
        process.stdout.write(`removed source ${source.name}${job ? ' and its documents' : ''}\n`);
      });
    });
}

function addInput(name: string, options: AddOptions): CreateSourceInput {
  const common = {
    name,
    acl: (options.acl ?? '*').split(',').map((entry) => entry.trim()),
    ...(options.every ? { syncEvery: options.every } : {}),
  };
  const kinds = [options.folder, options.urls, options.s3].filter((value) => value !== undefined);
  if (kinds.length !== 1)
    throw new InvalidRequestError('invalid_source', 'Give exactly one of --folder, --urls and --s3.');
  if (options.folder) return { kind: 'folder', path: options.folder, ...common };
  if (options.urls) return { kind: 'urls', urls: options.urls, ...common };
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new InvalidRequestError(
      'invalid_source',
      'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for --s3.',
    );
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  return {
    kind: 's3',
    bucket: options.s3 as string,
    prefix: options.prefix ?? '',
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    ...common,
  };
}

async function find(app: GroundworkServices, tenantId: string, ref: string): Promise<SourceBody> {
  const match = (await app.sources.list(tenantId)).find((source) => source.id === ref || source.name === ref);
  if (!match) throw new NotFoundError('source_not_found', `No source "${ref}" in tenant ${tenantId}.`);
  return match;
}

function describe(source: SourceBody): string {
  const last = source.lastSync
    ? `last sync ${source.lastSync.status}${source.lastSync.code ? ` (${source.lastSync.code}: ${source.lastSync.error})` : ''} at ${source.lastSync.at}`
    : 'never synced';
  const every = source.syncEvery ? `every ${source.syncEvery}` : 'on demand';
  return `${source.id}  ${source.name}  ${source.kind}  ${every}  ${last}`;
}
