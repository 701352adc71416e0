/**
 * @module cli/commands/ingest
 * `groundwork ingest <paths or URLs…>`: queue a job, run it here with a progress bar, report failures.
 * `--watch` keeps watching the folders and re-syncs them when files change.
 */
import path from 'node:path';
import { watch } from 'chokidar';
import type { Command } from 'commander';
import type { GroundworkServices } from '../../app.ts';
import type { IngestRequestInput, IngestSource } from '../../ingest/request.ts';
import type { JobRow } from '../../store/jobs.ts';
import { printJson, withGroundwork } from '../context.ts';
import { createProgressBar } from '../progress.ts';

interface IngestOptions {
  sync?: boolean;
  watch?: boolean;
  acl?: string;
  force?: boolean;
  json?: boolean;
  ocr?: boolean;
  idField?: string;
  titleField?: string;
  textFields?: string;
  /** `true` for every kind, or a comma-separated list of kinds. */
  redactPii?: boolean | string;
}

/** Registers the command. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('ingest files, folders and URLs into the knowledge base')
    .argument('<sources...>', 'files, folders or http(s) URLs')
    .option('--sync', 'remove documents whose files are gone from the given folders')
    .option('--watch', 'keep watching the folders and ingest changes')
    .option('--acl <principals>', 'comma-separated principals allowed to read (default: everyone)')
    .option('--force', 're-ingest even unchanged files')
    .option('--no-ocr', 'do not OCR scanned PDF pages')
    .option('--id-field <name>', 'records (CSV/JSON): field holding the record id')
    .option('--title-field <name>', 'records: field holding the title')
    .option('--text-fields <names>', 'records: comma-separated fields holding the text')
    .option(
      '--redact-pii [kinds]',
      'store the text with personal data replaced by its kind (all kinds, or e.g. email,phone); an uploaded original is not kept',
    )
    .option('--json', 'print the job report as JSON')
    .action(async (sources: string[], options: IngestOptions, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const request = buildRequest(sources, options);
        if (options.watch) {
          await watchFolders(app, tenantId, request, options.json === true);
          return;
        }
        const job = await runOnce(app, tenantId, request, options.json === true);
        if (job.status === 'failed') process.exitCode = 1;
      });
    });
}

function buildRequest(sources: string[], options: IngestOptions): IngestRequestInput {
  const pii =
    options.redactPii === undefined || options.redactPii === false
      ? {}
      : options.redactPii === true
        ? { pii: 'redact' as const }
        : { redact: options.redactPii.split(',').map((kind) => kind.trim()) as IngestSource['redact'] };
  const list: IngestSource[] = sources.map((source) =>
    /^https?:\/\//i.test(source)
      ? { kind: 'url', url: source, ...pii }
      : { kind: 'path', path: path.resolve(source), ...pii },
  );
  const records =
    options.idField || options.titleField || options.textFields
      ? {
          idField: options.idField,
          titleField: options.titleField,
          textFields: options.textFields?.split(',').map((field) => field.trim()),
        }
      : undefined;
  return {
    sources: list,
    sync: options.sync === true || options.watch === true,
    acl: options.acl ? options.acl.split(',').map((principal) => principal.trim()) : undefined,
    force: options.force === true,
    ocr: options.ocr !== false,
    records,
  };
}

async function runOnce(
  app: GroundworkServices,
  tenantId: string,
  request: IngestRequestInput,
  json: boolean,
): Promise<JobRow> {
  // A re-run after a crash resumes the interrupted job (its finished items are not redone) and says so.
  const resumed = await app.ingestion.findResumable(tenantId, request, { trusted: true });
  const submitted = resumed ?? (await app.ingestion.submit(tenantId, request, { trusted: true }));
  if (resumed && !json) process.stderr.write(`${resumeLine(resumed)}\n`);
  const bar = json ? undefined : createProgressBar(resumed ? 'resume' : 'ingest');
  // Rates count what this run did, not what the interrupted one had already done.
  const baseline = resumed ?? submitted;
  if (resumed) bar?.update(reading(resumed, baseline));
  const onProgress = (job: JobRow) => {
    if (job.id === submitted.id) bar?.update(reading(job, baseline));
  };
  app.ingestion.events.on('job-progress', onProgress);
  try {
    await app.ingestion.drain();
    let job = (await app.ingestion.getJob(tenantId, submitted.id))!;
    // Items waiting for a retry (or a job another worker runs): wait for it, then carry on.
    while (job.status === 'queued' || job.status === 'running') {
      const due = job.nextAttemptAt ? Date.parse(job.nextAttemptAt) - Date.now() : 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, Math.max(200, due))));
      await app.ingestion.drain();
      job = (await app.ingestion.getJob(tenantId, submitted.id))!;
    }
    bar?.finish(reading(job, baseline));
    await report(app, job, json);
    return job;
  } finally {
    app.ingestion.events.off('job-progress', onProgress);
  }
}

/** "resuming job <id>: 412/2000 done" (what the interrupted run finished, of all it found). */
export function resumeLine(job: JobRow): string {
  const total = job.total > 0 ? String(job.total) : '?';
  return `resuming job ${job.id}: ${job.processed}/${total} done (interrupted run; finished items are kept)`;
}

function reading(job: JobRow, baseline: JobRow) {
  return {
    done: job.processed,
    total: job.total,
    rates: {
      files: Math.max(0, job.processed - baseline.processed),
      chunks: Math.max(0, job.chunks - baseline.chunks),
    },
    counters: { new: job.succeeded, unchanged: job.skipped, failed: job.failed, removed: job.removed },
  };
}

async function report(app: GroundworkServices, job: JobRow, json: boolean): Promise<void> {
  const failures = await app.ingestion.listItems(job.id, 'failed');
  if (json) {
    printJson({ job, failures });
    return;
  }
  const seconds =
    job.startedAt && job.finishedAt ? (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000 : 0;
  process.stdout.write(
    `job ${job.id} ${job.status}: ${job.succeeded} ingested, ${job.skipped} unchanged, ${job.failed} failed, ` +
      `${job.removed} removed, ${job.chunks} chunks in ${seconds.toFixed(1)}s\n`,
  );
  if (job.error) process.stdout.write(`  error: ${job.error}\n`);
  for (const item of failures) process.stdout.write(`  ✗ ${item.uri}\n    ${item.code}: ${item.reason}\n`);
}

/**
 * Watches first, then ingests: a file that changes while the first sync runs still triggers another
 * sync, and "watching" is printed only once the watcher has finished its initial scan.
 */
async function watchFolders(
  app: GroundworkServices,
  tenantId: string,
  request: IngestRequestInput,
  json: boolean,
) {
  const folders = request.sources.flatMap((source) => (source.kind === 'path' ? [source.path] : []));
  const watcher = watch(folders, { ignoreInitial: true, ignored: /(^|[/\\])\../, awaitWriteFinish: true });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  let running = runOnce(app, tenantId, request, json).then(() => {});
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() => runOnce(app, tenantId, { ...request, force: false }, json).then(() => {}));
    }, 500);
  };
  watcher.on('all', schedule);
  await running;
  process.stderr.write(`watching ${folders.join(', ')} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearTimeout(timer);
  await watcher.close();
  await running;
}
