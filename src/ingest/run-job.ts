/**
 * @module ingest/run-job
 * Runs one claimed job: expands its sources into items (once), processes the pending items with
 * bounded concurrency, records each outcome, applies `sync` removals, and finishes the job. Because
 * items are rows and documents are written transactionally, a job interrupted anywhere resumes here
 * at its first pending item.
 *
 * While the job runs a heartbeat timer keeps its lease (also during a long item), and every write is
 * fenced by the claim's epoch (ADR 0034): once another worker takes the job over, this run's writes
 * are refused and it stops. Items that fail for a transient reason wait with a backoff and are tried
 * again; the job is handed back to the queue meanwhile.
 */
import path from 'node:path';
import type { Span } from '@opentelemetry/api';
import { describeError, findDatabaseUnavailable, GroundworkError } from '../errors.ts';
import { INGEST_CHUNKS_ATTRIBUTE } from '../observability/span-metrics.ts';
import { ERROR_CODE_ATTRIBUTE, recordError, withSpan } from '../observability/tracer.ts';
import { deleteDocuments, documentsMissingFrom } from '../store/documents.ts';
import {
  appendItem,
  deferItem,
  fencedDatabase,
  findLeaseLost,
  finishItem,
  finishJob,
  heartbeat,
  insertItems,
  type JobFence,
  type JobItemRow,
  type JobRow,
  jobById,
  LeaseLostError,
  listItems,
  refreshJob,
  releaseJob,
  startItem,
} from '../store/jobs.ts';
import { maintainAfterWrites } from '../store/maintenance.ts';
import { applyRemovals } from './apply-removals.ts';
import { type IngestContext, ingestFile } from './ingest-file.ts';
import { invalidItem, parseItemUri, sourceObjectUri, uploadUri } from './item-uri.ts';
import { redactionForItem } from './redaction.ts';
import { type IngestRequest, ingestRequestSchema } from './request.ts';
import { walkFolder } from './sources/folder.ts';
import { type ReadLimits, readFileSource, type SourceBytes } from './sources/read-source.ts';
import { DEFAULT_URL_FETCHING, readUrlSource, type UrlFetching } from './sources/read-url.ts';
import { yieldToEventLoop } from './yield.ts';

/** Reads the bytes of an upload (the upload service). */
export interface UploadReader {
  read(tenantId: string, uploadId: string, limits: ReadLimits): Promise<SourceBytes>;
  /** Deletes an upload's original bytes (kept: its row), once a redacting source has been ingested. */
  discardOriginal?(tenantId: string, uploadId: string): Promise<void>;
}

/** Reads an object of a server-side source (src/sources: a bucket object, a listed URL). */
export interface SourceObjectReader {
  read(tenantId: string, sourceId: string, key: string, limits: ReadLimits): Promise<SourceBytes>;
}

/** What `runJob` needs. */
export interface RunJobOptions {
  readonly context: IngestContext;
  readonly limits: ReadLimits;
  readonly uploads: UploadReader;
  /** Reads the objects of source syncs; without it such items fail as invalid. */
  readonly sourceObjects?: SourceObjectReader;
  readonly concurrency: number;
  readonly workerId: string;
  /** How URLs are fetched (allow-list, resolver, pinned transport); default public addresses only. */
  readonly urlFetching?: UrlFetching;
  /** Canonical folders a folder walk never enters (the data and models directories). */
  readonly protectedPaths?: readonly string[];
  /** How often the lease is renewed while the job runs (well under the lease). */
  readonly heartbeatMs?: number;
  /** Retries of items that failed for a transient reason. */
  readonly retry?: RetryPolicy;
  /** Aborted when the worker drains: no new item starts, and the job is handed back. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (job: JobRow) => void;
  readonly onItem?: (item: JobItemRow) => void;
}

/** Retries of items (ADR 0034). */
export interface RetryPolicy {
  /** Starts an item may have (the first included) before it fails for good. */
  readonly maxItemAttempts: number;
  /** Wait before the second attempt; doubled for each further one, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** The default: three attempts, 5 s then 10 s apart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxItemAttempts: 3,
  baseDelayMs: 5_000,
  maxDelayMs: 300_000,
};

const PROGRESS_INTERVAL_MS = 250;

/** The wait before attempt `attempts + 1`: the base doubled per earlier failure, capped, ±20 % jitter. */
export function retryDelayMs(policy: RetryPolicy, attempts: number): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (0.8 + Math.random() * 0.4));
}

/**
 * Renews the claim every `intervalMs` until stopped (never two renewals at once), and says when the
 * job was cancelled or the claim lost. A failed renewal (database down) is retried on the next tick.
 */
function startHeartbeat(
  options: RunJobOptions,
  fence: JobFence,
  intervalMs: number,
  onChange: (state: 'cancelled' | 'lost') => void,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const state = await heartbeat(options.context.db, fence);
      if (state !== 'running') onChange(state);
    } catch {
      // An outage: the items fail with database_unavailable themselves; keep trying.
    }
    if (!stopped) timer = setTimeout(tick, intervalMs).unref();
  };
  timer = setTimeout(tick, intervalMs).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Runs a claimed job to its end and returns its final row. When the database becomes unavailable the
 * job is left as it is (its items pending) and the `database_unavailable` error is thrown: an outage
 * is not a failure of the files, and the worker requeues the job once the database is back. When the
 * claim is lost the run stops without writing and returns the job as it now is.
 */
export async function runJob(job: JobRow, options: RunJobOptions): Promise<JobRow> {
  const { db } = options.context;
  const fence: JobFence = { jobId: job.id, epoch: job.claimEpoch };
  // Everything this run writes for the job's items and documents holds only while the claim does.
  const fenced = fencedDatabase(db, fence);
  const run: RunJobOptions = { ...options, context: { ...options.context, db: fenced } };
  // Set by the heartbeat and the lanes; read after awaits (an object, so no stale narrowing).
  const claim: { state: 'running' | 'cancelled' | 'lost' } = { state: 'running' };
  const stopHeartbeat = startHeartbeat(options, fence, options.heartbeatMs ?? 15_000, (change) => {
    if (claim.state === 'running') claim.state = change;
  });
  try {
    const request = ingestRequestSchema.parse(job.request);
    let items = await listItems(db, job.id);
    if (items.length === 0) {
      await insertItems(fenced, job.id, await expandSources(request, options.protectedPaths ?? []));
      items = await listItems(db, job.id);
    }
    let lastProgress = 0;
    const report = async (force: boolean) => {
      const now = Date.now();
      if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      options.onProgress?.(await refreshJob(db, job.id, fence));
    };
    await report(true);
    const due = Date.now();
    const pending = items.filter(
      (item) => item.status === 'pending' && (!item.nextRetryAt || Date.parse(item.nextRetryAt) <= due),
    );
    let next = 0;
    let stopped: { error: unknown } | undefined;
    const lane = async () => {
      try {
        while (claim.state === 'running' && !stopped && !options.signal?.aborted && next < pending.length) {
          const item = pending[next++] as JobItemRow;
          if (await isCancelled(options, job.id)) {
            claim.state = 'cancelled';
            return;
          }
          const finished = await processItem(run, job, request, item);
          options.onItem?.(finished);
          await report(false);
          // Other requests of this process (other tenants' searches, /healthz) run between items.
          await yieldToEventLoop();
        }
      } catch (error) {
        // The other lanes stop before their next item, so nothing runs on once the job is given up.
        stopped ??= { error };
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
    if (stopped) throw stopped.error;
    if (claim.state === 'lost') throw new LeaseLostError(job.id);
    if (claim.state === 'cancelled') return await refreshJob(db, job.id, fence);
    if (options.signal?.aborted || (await handBackForRetries(db, fence))) {
      // Drained, or items wait for a retry: the job goes back to the queue (another worker, or this
      // one later, resumes it at its first pending item).
      if (options.signal?.aborted) await releaseJob(db, fence);
      return await settled(db, job.id);
    }
    if (request.sync) await applySync(run, job, request);
    await applyRemovals(run.context.db, job, request.remove ?? []);
    const written = await refreshJob(db, job.id, fence);
    await maintainAfterWrites(db, written.chunks + written.removed);
    // Not `done` over a cancel that came during the last item, nor over another worker's claim.
    await finishJob(db, fence, 'done');
  } catch (error) {
    if (findDatabaseUnavailable(error)) throw error;
    if (findLeaseLost(error)) return await settled(db, job.id);
    await finishJob(db, fence, 'failed', describeError(error)).catch(() => {});
  } finally {
    stopHeartbeat();
  }
  const final = await refreshJob(db, job.id, fence).catch((error) => {
    if (findLeaseLost(error)) return settled(db, job.id);
    throw error;
  });
  options.onProgress?.(final);
  return final;
}

/** The job as it is now (after this run let go of it). */
async function settled(db: RunJobOptions['context']['db'], jobId: string): Promise<JobRow> {
  return (await jobById(db, jobId)) as JobRow;
}

/**
 * When items are still pending after a pass (they failed transiently and wait for their retry), hands
 * the job back to the queue, due when the first retry is. True when it did.
 */
async function handBackForRetries(db: RunJobOptions['context']['db'], fence: JobFence): Promise<boolean> {
  const { rows } = await db.query<{ due: string | null; n: number }>(
    `SELECT min(next_retry_at)::text AS due, count(*)::int AS n FROM ingest_job_items
     WHERE job_id = $1 AND status = 'pending'`,
    [fence.jobId],
  );
  if (!rows[0] || rows[0].n === 0) return false;
  const due = rows[0].due ? new Date(rows[0].due) : new Date();
  if (!(await releaseJob(db, fence, due))) throw new LeaseLostError(fence.jobId);
  return true;
}

/** Turns the request's sources into item URIs: folders are walked, everything else is one item. */
async function expandSources(request: IngestRequest, protectedPaths: readonly string[]): Promise<string[]> {
  const uris: string[] = [];
  for (const source of request.sources) {
    if (source.kind === 'url') uris.push(source.url);
    else if (source.kind === 'upload') uris.push(uploadUri(source));
    else if (source.kind === 'object') uris.push(sourceObjectUri(source.sourceId, source.key));
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
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const attempts = await startItem(db, job.id, item.ordinal);
  if (attempts > retry.maxItemAttempts) {
    // Started that often and never finished: its worker died or lost its claim on it each time (a
    // file that crashes or hangs the worker). It fails rather than take the job down with it.
    const reason = `The item was started ${attempts - 1} times without finishing (its worker stopped each time); giving up.`;
    await finishItem(db, job.id, item.ordinal, { status: 'failed', code: 'attempts_exhausted', reason });
    return { ...item, status: 'failed', code: 'attempts_exhausted', reason, attempts };
  }
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
    return { ...item, ...finished, code: null, reason: finished.reason ?? null, attempts };
  } catch (error) {
    // Not the file's fault: the item stays pending and the job is given up until the database is back
    // (or, with the claim lost, left to the worker that holds it now).
    if (findDatabaseUnavailable(error) || findLeaseLost(error)) throw error;
    const code = GroundworkError.isInstance(error) ? error.code : 'internal_error';
    recordError(span, error);
    span.setAttribute(ERROR_CODE_ATTRIBUTE, code);
    const durationMs = Math.round(performance.now() - started);
    if (GroundworkError.isInstance(error) && error.retryable && attempts < retry.maxItemAttempts) {
      // Transient (a fetch timeout, a 5xx, an embedding outage): tried again after a backoff.
      const retryAt = new Date(Date.now() + retryDelayMs(retry, attempts));
      const reason =
        `attempt ${attempts} of ${retry.maxItemAttempts} failed, retrying: ${describeError(error)}`.slice(
          0,
          2000,
        );
      await deferItem(db, job.id, item.ordinal, { code, reason, retryAt });
      return { ...item, code, reason, attempts, nextRetryAt: retryAt.toISOString(), durationMs };
    }
    const suffix = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    const reason = `${describeError(error).slice(0, 1900)}${suffix}`;
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
      attempts,
      nextRetryAt: null,
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
    case 'object':
      return options.sourceObjects
        ? options.sourceObjects.read(tenantId, target.sourceId, target.key, options.limits)
        : Promise.reject(invalidItem());
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
