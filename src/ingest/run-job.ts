/**
 * @module ingest/run-job
 * Runs one claimed job: expands its sources into items (once), processes the pending items with
 * bounded concurrency, records each outcome, applies `sync` removals, and finishes the job. Because
 * items are rows and documents are written transactionally, a job interrupted anywhere resumes here
 * at its first pending item.
 */
import path from 'node:path';
import type { Span } from '@opentelemetry/api';
import { describeError, findDatabaseUnavailable, GroundworkError } from '../errors.ts';
import { INGEST_CHUNKS_ATTRIBUTE } from '../observability/span-metrics.ts';
import { ERROR_CODE_ATTRIBUTE, recordError, withSpan } from '../observability/tracer.ts';
import { deleteDocuments, documentsMissingFrom } from '../store/documents.ts';
import {
  appendItem,
  finishItem,
  finishJob,
  insertItems,
  type JobItemRow,
  type JobRow,
  listItems,
  refreshJob,
} from '../store/jobs.ts';
import { maintainAfterWrites } from '../store/maintenance.ts';
import { type IngestContext, ingestFile } from './ingest-file.ts';
import { invalidItem, parseItemUri, uploadUri } from './item-uri.ts';
import { redactionForItem } from './redaction.ts';
import { type IngestRequest, ingestRequestSchema } from './request.ts';
import { walkFolder } from './sources/folder.ts';
import { type ReadLimits, readFileSource, type SourceBytes } from './sources/read-source.ts';
import { DEFAULT_URL_FETCHING, readUrlSource, type UrlFetching } from './sources/read-url.ts';

/** Reads the bytes of an upload (the upload service). */
export interface UploadReader {
  read(tenantId: string, uploadId: string, limits: ReadLimits): Promise<SourceBytes>;
  /** Deletes an upload's original bytes (kept: its row), once a redacting source has been ingested. */
  discardOriginal?(tenantId: string, uploadId: string): Promise<void>;
}

/** What `runJob` needs. */
export interface RunJobOptions {
  readonly context: IngestContext;
  readonly limits: ReadLimits;
  readonly uploads: UploadReader;
  readonly concurrency: number;
  readonly workerId: string;
  /** How URLs are fetched (allow-list, resolver, pinned transport); default public addresses only. */
  readonly urlFetching?: UrlFetching;
  /** Canonical folders a folder walk never enters (the data and models directories). */
  readonly protectedPaths?: readonly string[];
  readonly onProgress?: (job: JobRow) => void;
  readonly onItem?: (item: JobItemRow) => void;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * Runs a claimed job to its end and returns its final row. When the database becomes unavailable the
 * job is left as it is (its items pending) and the `database_unavailable` error is thrown: an outage
 * is not a failure of the files, and the worker requeues the job once the database is back.
 */
export async function runJob(job: JobRow, options: RunJobOptions): Promise<JobRow> {
  const { db } = options.context;
  try {
    const request = ingestRequestSchema.parse(job.request);
    let items = await listItems(db, job.id);
    if (items.length === 0) {
      await insertItems(db, job.id, await expandSources(request, options.protectedPaths ?? []));
      items = await listItems(db, job.id);
    }
    let lastProgress = 0;
    const report = async (force: boolean) => {
      const now = Date.now();
      if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      options.onProgress?.(await refreshJob(db, job.id));
    };
    await report(true);
    const pending = items.filter((item) => item.status === 'pending');
    let next = 0;
    let cancelled = false;
    let stopped: { error: unknown } | undefined;
    const lane = async () => {
      try {
        while (!cancelled && !stopped && next < pending.length) {
          const item = pending[next++] as JobItemRow;
          if (await isCancelled(options, job.id)) {
            cancelled = true;
            return;
          }
          const finished = await processItem(options, job, request, item);
          options.onItem?.(finished);
          await report(false);
        }
      } catch (error) {
        // The other lanes stop before their next item, so nothing runs on once the job is given up.
        stopped ??= { error };
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
    if (stopped) throw stopped.error;
    if (cancelled) return await refreshJob(db, job.id);
    if (request.sync) await applySync(options, job, request);
    const written = await refreshJob(db, job.id);
    await maintainAfterWrites(db, written.chunks + written.removed);
    await finishJob(db, job.id, 'done');
  } catch (error) {
    if (findDatabaseUnavailable(error)) throw error;
    await finishJob(db, job.id, 'failed', describeError(error)).catch(() => {});
  }
  const final = await refreshJob(db, job.id);
  options.onProgress?.(final);
  return final;
}

/** Turns the request's sources into item URIs: folders are walked, everything else is one item. */
async function expandSources(request: IngestRequest, protectedPaths: readonly string[]): Promise<string[]> {
  const uris: string[] = [];
  for (const source of request.sources) {
    if (source.kind === 'url') uris.push(source.url);
    else if (source.kind === 'upload') uris.push(uploadUri(source));
    else {
      // The path is canonical (resolved at submit): a folder swapped for a link since is not walked.
      const folder = await walkFolder(source.path, { canonicalRoot: true, exclude: protectedPaths }).catch(
        () => undefined,
      );
      // Not a folder (a file, or a missing path that will fail with its reason): one item.
      if (folder) uris.push(...folder.files);
      else uris.push(source.path);
    }
  }
  return [...new Set(uris)];
}

/** One item in an `ingest.file` span; a failure is recorded on the span and as the item's outcome. */
function processItem(
  options: RunJobOptions,
  job: JobRow,
  request: IngestRequest,
  item: JobItemRow,
): Promise<JobItemRow> {
  return withSpan('ingest.file', { 'groundwork.ingest.uri': item.uri }, (span) =>
    processTracedItem(options, job, request, item, span),
  );
}

async function processTracedItem(
  options: RunJobOptions,
  job: JobRow,
  request: IngestRequest,
  item: JobItemRow,
  span: Span,
): Promise<JobItemRow> {
  const started = performance.now();
  const { db } = options.context;
  const target = parseItemUri(item.uri);
  let bytes: number | undefined;
  try {
    const source = await readSource(options, job.tenantId, target);
    bytes = source.bytes.byteLength;
    const redact = redactionForItem(request, item.uri);
    const outcome = await ingestFile(options.context, job.tenantId, item.uri, source, request, redact);
    // The original of a redacting upload would keep what was redacted: it goes once the text is stored.
    if (redact && target.kind === 'upload')
      await options.uploads.discardOriginal?.(job.tenantId, target.uploadId);
    span.setAttributes({
      [INGEST_CHUNKS_ATTRIBUTE]: outcome.chunks,
      'groundwork.ingest.status': outcome.status,
    });
    const notes = [...outcome.changes, ...outcome.warnings];
    const finished = {
      status: outcome.status,
      documents: outcome.documents,
      chunks: outcome.chunks,
      reason: notes.length > 0 ? notes.join('; ').slice(0, 2000) : undefined,
      bytes,
      durationMs: Math.round(performance.now() - started),
    };
    await finishItem(db, job.id, item.ordinal, finished);
    return { ...item, ...finished, code: null, reason: finished.reason ?? null };
  } catch (error) {
    // Not the file's fault: the item stays pending and the job is given up until the database is back.
    if (findDatabaseUnavailable(error)) throw error;
    const code = GroundworkError.isInstance(error) ? error.code : 'internal_error';
    recordError(span, error);
    span.setAttribute(ERROR_CODE_ATTRIBUTE, code);
    const reason = describeError(error).slice(0, 2000);
    const durationMs = Math.round(performance.now() - started);
    await finishItem(db, job.id, item.ordinal, { status: 'failed', code, reason, bytes, durationMs });
    return {
      ...item,
      status: 'failed',
      code,
      reason,
      bytes: bytes ?? null,
      durationMs,
      documents: 0,
      chunks: 0,
    };
  }
}

function readSource(
  options: RunJobOptions,
  tenantId: string,
  target: ReturnType<typeof parseItemUri>,
): Promise<SourceBytes> {
  switch (target.kind) {
    case 'path':
      return readFileSource(target.path, options.limits);
    case 'url':
      return readUrlSource(target.url, options.limits, options.urlFetching ?? DEFAULT_URL_FETCHING);
    case 'upload':
      return options.uploads.read(tenantId, target.uploadId, options.limits);
    case 'invalid':
      return Promise.reject(invalidItem());
  }
}

/** Removes documents that came from a synced folder but whose file is no longer there. */
async function applySync(options: RunJobOptions, job: JobRow, request: IngestRequest): Promise<void> {
  const { db } = options.context;
  const items = await listItems(db, job.id);
  // Files that failed this time are still present: their previous version is kept, not removed.
  const present = new Set(items.map((item) => item.uri));
  for (const source of request.sources) {
    if (source.kind !== 'path') continue;
    const prefix = source.path.endsWith(path.sep) ? source.path : source.path + path.sep;
    const missing = await documentsMissingFrom(db, job.tenantId, prefix, present);
    const byOrigin = new Map<string, number[]>();
    for (const row of missing) byOrigin.set(row.originUri, [...(byOrigin.get(row.originUri) ?? []), row.id]);
    for (const [originUri, ids] of byOrigin) {
      await deleteDocuments(db, job.tenantId, ids);
      await appendItem(db, job.id, originUri, 'removed', 'The file is gone from the folder.');
    }
  }
}

async function isCancelled(options: RunJobOptions, jobId: string): Promise<boolean> {
  const { rows } = await options.context.db.query<{ status: string }>(
    'SELECT status FROM ingest_jobs WHERE id = $1',
    [jobId],
  );
  return rows[0]?.status === 'cancelled';
}
