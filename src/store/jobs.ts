/**
 * @module store/jobs
 * The durable ingestion queue. A job is a row; its files are item rows. Workers claim jobs with
 * `FOR UPDATE SKIP LOCKED`, so any number of workers on any number of machines share one queue, and a
 * job whose worker stopped heartbeating is claimed again and resumes at its first unfinished item.
 */
import type { SqlExecutor } from './database.ts';

/** Job states. */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
/**
 * Item states: `unchanged` means the content hash matched and nothing was rewritten; `updated` that the
 * content matched but the ACL or metadata changed and were rewritten in place (the reason says which).
 */
export type ItemStatus = 'pending' | 'done' | 'updated' | 'unchanged' | 'failed' | 'removed';

/** A job as stored. */
export interface JobRow {
  readonly id: string;
  readonly tenantId: string;
  readonly status: JobStatus;
  readonly request: unknown;
  readonly total: number;
  readonly processed: number;
  readonly succeeded: number;
  readonly skipped: number;
  readonly failed: number;
  readonly removed: number;
  readonly chunks: number;
  readonly error: string | null;
  readonly attempts: number;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** An item as stored. */
export interface JobItemRow {
  readonly ordinal: number;
  readonly uri: string;
  readonly status: ItemStatus;
  readonly code: string | null;
  readonly reason: string | null;
  readonly documents: number;
  readonly chunks: number;
  readonly bytes: number | null;
  readonly durationMs: number | null;
}

const JOB_COLUMNS = `id, tenant_id AS "tenantId", status, request, total, processed, succeeded, skipped, failed,
  removed, chunks, error, attempts, created_at::text AS "createdAt", started_at::text AS "startedAt",
  finished_at::text AS "finishedAt"`;

/** Queues a job. */
export async function insertJob(db: SqlExecutor, tenantId: string, request: unknown): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO ingest_jobs (tenant_id, status, request) VALUES ($1, 'queued', $2::jsonb) RETURNING id`,
    [tenantId, JSON.stringify(request)],
  );
  return rows[0]!.id;
}

/** Claims the oldest queued job, or a running one whose worker went silent for `staleAfterMs`. */
export async function claimJob(
  db: SqlExecutor,
  worker: string,
  staleAfterMs: number,
): Promise<JobRow | undefined> {
  const { rows } = await db.query<JobRow>(
    `UPDATE ingest_jobs SET status = 'running', worker = $1, heartbeat_at = now(), attempts = attempts + 1,
       started_at = coalesce(started_at, now())
     WHERE id = (
       SELECT id FROM ingest_jobs
       WHERE status = 'queued'
          OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $2::float8 / 1000))
       ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
     RETURNING ${JOB_COLUMNS}`,
    [worker, staleAfterMs],
  );
  return rows[0];
}

/** Adds the job's items (once, when the worker first expands the request). */
export async function insertItems(db: SqlExecutor, jobId: string, uris: readonly string[]): Promise<void> {
  if (uris.length > 0) {
    await db.query(
      `INSERT INTO ingest_job_items (job_id, ordinal, uri, status)
       SELECT $1, ordinality - 1, uri, 'pending' FROM unnest($2::text[]) WITH ORDINALITY AS u(uri, ordinality)
       ON CONFLICT DO NOTHING`,
      [jobId, uris],
    );
  }
  await db.query(
    'UPDATE ingest_jobs SET total = (SELECT count(*) FROM ingest_job_items WHERE job_id = $1) WHERE id = $1',
    [jobId],
  );
}

/** Appends one item (sync removals discovered while running). */
export async function appendItem(
  db: SqlExecutor,
  jobId: string,
  uri: string,
  status: ItemStatus,
  reason?: string,
): Promise<void> {
  await db.query(
    `INSERT INTO ingest_job_items (job_id, ordinal, uri, status, reason)
     SELECT $1, coalesce(max(ordinal) + 1, 0), $2, $3, $4 FROM ingest_job_items WHERE job_id = $1`,
    [jobId, uri, status, reason ?? null],
  );
}

/** Items of a job, optionally only those in one status. */
export async function listItems(db: SqlExecutor, jobId: string, status?: ItemStatus): Promise<JobItemRow[]> {
  const { rows } = await db.query<JobItemRow>(
    `SELECT ordinal, uri, status, code, reason, documents, chunks, bytes, duration_ms AS "durationMs"
     FROM ingest_job_items WHERE job_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY ordinal`,
    [jobId, status ?? null],
  );
  return rows;
}

/** Records an item's outcome. */
export async function finishItem(
  db: SqlExecutor,
  jobId: string,
  ordinal: number,
  outcome: {
    status: ItemStatus;
    code?: string;
    reason?: string;
    documents?: number;
    chunks?: number;
    bytes?: number;
    durationMs?: number;
  },
): Promise<void> {
  await db.query(
    `UPDATE ingest_job_items SET status = $3, code = $4, reason = $5, documents = $6, chunks = $7, bytes = $8,
       duration_ms = $9 WHERE job_id = $1 AND ordinal = $2`,
    [
      jobId,
      ordinal,
      outcome.status,
      outcome.code ?? null,
      outcome.reason ?? null,
      outcome.documents ?? 0,
      outcome.chunks ?? 0,
      outcome.bytes ?? null,
      outcome.durationMs ?? null,
    ],
  );
}

/** Recomputes the job's counters from its items and refreshes its heartbeat. Returns the job. */
export async function refreshJob(db: SqlExecutor, jobId: string): Promise<JobRow> {
  const { rows } = await db.query<JobRow>(
    `UPDATE ingest_jobs SET heartbeat_at = now(), total = s.n_total, processed = s.n_processed,
       succeeded = s.n_succeeded, skipped = s.n_skipped, failed = s.n_failed, removed = s.n_removed,
       chunks = s.n_chunks
     FROM (SELECT count(*)::int AS n_total,
             count(*) FILTER (WHERE status <> 'pending')::int AS n_processed,
             count(*) FILTER (WHERE status IN ('done', 'updated'))::int AS n_succeeded,
             count(*) FILTER (WHERE status = 'unchanged')::int AS n_skipped,
             count(*) FILTER (WHERE status = 'failed')::int AS n_failed,
             count(*) FILTER (WHERE status = 'removed')::int AS n_removed,
             coalesce(sum(chunks), 0)::int AS n_chunks
           FROM ingest_job_items WHERE job_id = $1) s
     WHERE ingest_jobs.id = $1
     RETURNING ${JOB_COLUMNS}`,
    [jobId],
  );
  return rows[0]!;
}

/** Marks a job finished. */
export async function finishJob(
  db: SqlExecutor,
  jobId: string,
  status: JobStatus,
  error?: string,
): Promise<void> {
  await db.query(
    `UPDATE ingest_jobs SET status = $2, error = $3, finished_at = now(), heartbeat_at = now() WHERE id = $1`,
    [jobId, status, error ?? null],
  );
}

/** One job of a tenant. */
export async function getJob(db: SqlExecutor, tenantId: string, jobId: string): Promise<JobRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(jobId)) return undefined;
  const { rows } = await db.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM ingest_jobs WHERE id = $1 AND tenant_id = $2`,
    [jobId, tenantId],
  );
  return rows[0];
}

/** Recent jobs of a tenant, newest first. */
export async function listJobs(db: SqlExecutor, tenantId: string, limit = 20): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM ingest_jobs WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [tenantId, limit],
  );
  return rows;
}
