/**
 * @module store/jobs
 * The durable ingestion queue. A job is a row; its files are item rows. Workers claim jobs with
 * `FOR UPDATE SKIP LOCKED`, so any number of workers on any number of machines share one queue, and a
 * job whose worker stopped heartbeating is claimed again and resumes at its first unfinished item.
 *
 * Fencing (ADR 0034): every claim increments the job's `claim_epoch`, and every write a worker makes
 * for the job (items, counters, the end state, its documents through `fencedDatabase`) is conditioned
 * on the epoch it claimed with. A worker whose lease was taken over (or handed back) finds its writes
 * refused with `lease_lost` and stops; a cancel is never overwritten by the end of a run.
 */
import { GroundworkError } from '../errors.ts';
import type { Database, SqlExecutor, TransactionOptions } from './database.ts';

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
  /** Claims so far (each run, resume or retry of the job is one). */
  readonly attempts: number;
  /** The fencing token of the current (or last) claim. */
  readonly claimEpoch: number;
  /** Leases that expired while a worker held the job (it died or hung); past a cap the job fails. */
  readonly workerLosses: number;
  /** A queued job waiting for its items' retries is not claimed before this. */
  readonly nextAttemptAt: string | null;
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
  /** Times the item was started (a transient failure or a lost worker lets it start again). */
  readonly attempts: number;
  /** A pending item that failed transiently waits until then for its next attempt. */
  readonly nextRetryAt: string | null;
}

const JOB_COLUMNS = `id, tenant_id AS "tenantId", status, request, total, processed, succeeded, skipped, failed,
  removed, chunks, error, attempts, claim_epoch AS "claimEpoch", worker_losses AS "workerLosses",
  next_attempt_at::text AS "nextAttemptAt", created_at::text AS "createdAt", started_at::text AS "startedAt",
  finished_at::text AS "finishedAt"`;

const ITEM_COLUMNS = `ordinal, uri, status, code, reason, documents, chunks, bytes, duration_ms AS "durationMs",
  attempts, next_retry_at::text AS "nextRetryAt"`;

/** A job claim: the job and the token its writes are conditioned on. */
export interface JobFence {
  readonly jobId: string;
  readonly epoch: number;
}

/** A write refused because another worker took over the job (or it was handed back). */
export class LeaseLostError extends GroundworkError {
  constructor(jobId: string) {
    super({
      code: 'lease_lost',
      category: 'system',
      message: `The claim on job ${jobId} was taken over by another worker; this worker stops working on it.`,
      details: { jobId },
    });
    this.name = 'LeaseLostError';
  }
}

/** The `lease_lost` error in `error` or its causes, or undefined. */
export function findLeaseLost(error: unknown): GroundworkError | undefined {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (GroundworkError.isInstance(current) && current.code === 'lease_lost') return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Locks the job row in share mode if it is still held with this epoch, else throws `lease_lost`. A
 * claim (an UPDATE of the row) waits for the transactions holding the lock, and their writes for a
 * claim in progress, so a write either commits before the job changes hands or is refused.
 */
export async function checkFence(tx: SqlExecutor, fence: JobFence): Promise<void> {
  const { rows } = await tx.query('SELECT 1 FROM ingest_jobs WHERE id = $1 AND claim_epoch = $2 FOR SHARE', [
    fence.jobId,
    fence.epoch,
  ]);
  if (rows.length === 0) throw new LeaseLostError(fence.jobId);
}

/**
 * The database as one claim of a job sees it: every transaction, and every statement that is not a
 * plain SELECT, runs only while the claim holds (`checkFence` first, in the same transaction).
 */
export function fencedDatabase(db: Database, fence: JobFence): Database {
  const transaction = <T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions) =>
    db.transaction(async (tx) => {
      await checkFence(tx, fence);
      return fn(tx);
    }, options);
  return {
    dialect: db.dialect,
    capabilities: db.capabilities,
    read: db.read,
    transaction,
    query: (text, params) =>
      /^\s*select\b/i.test(text) ? db.query(text, params) : transaction((tx) => tx.query(text, params)),
    exec: (sql) => db.exec(sql),
    sizeBytes: () => db.sizeBytes(),
    close: () => db.close(),
  };
}

/** Queues a job. */
export async function insertJob(db: SqlExecutor, tenantId: string, request: unknown): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO ingest_jobs (tenant_id, status, request) VALUES ($1, 'queued', $2::jsonb) RETURNING id`,
    [tenantId, JSON.stringify(request)],
  );
  return rows[0]!.id;
}

/** How claims are made. */
export interface ClaimPolicy {
  /** A running job whose heartbeat is older than this is taken over. */
  readonly staleAfterMs: number;
  /** Running jobs one tenant may have at once (over all workers); default unlimited. */
  readonly tenantConcurrency?: number;
  /**
   * After a job's first lost lease, each further reclaim waits this (doubled per loss, up to
   * `lossBackoffMaxMs`) on top of the lease, so a job that kills its workers is not retried hot.
   */
  readonly lossBackoffMs?: number;
  readonly lossBackoffMaxMs?: number;
}

const CLAIM_LOCK_KEY = 4_247_034;

/**
 * Claims a job: a queued one whose retry time (if any) has come, or a running one whose worker went
 * silent for `staleAfterMs` (counted as a worker loss). Tenants take turns: the job comes from the
 * tenant whose last claim is oldest, among tenants below their concurrency, oldest job first. Claims
 * are serialised by an advisory lock so the per-tenant limit holds over all workers. The claim
 * increments the job's fencing token.
 */
export async function claimJob(
  db: Database,
  worker: string,
  policy: ClaimPolicy | number,
): Promise<JobRow | undefined> {
  const { staleAfterMs, tenantConcurrency, lossBackoffMs, lossBackoffMaxMs } =
    typeof policy === 'number' ? ({ staleAfterMs: policy } as ClaimPolicy) : policy;
  return db.transaction(
    async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK_KEY]);
      const { rows } = await tx.query<JobRow>(
        `WITH busy AS (
           SELECT tenant_id, count(*) AS n FROM ingest_jobs
           WHERE status = 'running' AND heartbeat_at >= now() - make_interval(secs => $2::float8 / 1000)
           GROUP BY tenant_id
         ), turn AS (
           SELECT tenant_id, max(claimed_at) AS last_claim FROM ingest_jobs
           WHERE tenant_id IN (SELECT tenant_id FROM ingest_jobs WHERE status IN ('queued', 'running'))
           GROUP BY tenant_id
         ), candidate AS (
           SELECT j.id AS candidate_id FROM ingest_jobs j
           LEFT JOIN turn t ON t.tenant_id = j.tenant_id
           WHERE ((j.status = 'queued' AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= now()))
               OR (j.status = 'running' AND j.heartbeat_at < now() - make_interval(secs => (
                     $2::float8 + CASE WHEN j.worker_losses = 0 THEN 0
                       ELSE least($5::float8, $4::float8 * 2 ^ (j.worker_losses - 1)) END) / 1000)))
             AND coalesce((SELECT n FROM busy b WHERE b.tenant_id = j.tenant_id), 0) < $3
           ORDER BY t.last_claim ASC NULLS FIRST, j.created_at
           LIMIT 1 FOR UPDATE OF j SKIP LOCKED)
         UPDATE ingest_jobs SET status = 'running', worker = $1, heartbeat_at = now(), claimed_at = now(),
           attempts = attempts + 1, claim_epoch = claim_epoch + 1, next_attempt_at = NULL,
           worker_losses = worker_losses + CASE WHEN ingest_jobs.status = 'running' THEN 1 ELSE 0 END,
           started_at = coalesce(started_at, now())
         FROM candidate WHERE ingest_jobs.id = candidate.candidate_id
         RETURNING ${JOB_COLUMNS}`,
        [worker, staleAfterMs, tenantConcurrency ?? 2_147_483_647, lossBackoffMs ?? 0, lossBackoffMaxMs ?? 0],
      );
      return rows[0];
    },
    { idempotent: true },
  );
}

/** Refreshes the heartbeat of a claim: `running` or `cancelled` while it holds, `lost` once it does not. */
export async function heartbeat(db: SqlExecutor, fence: JobFence): Promise<'running' | 'cancelled' | 'lost'> {
  const { rows } = await db.query<{ status: JobStatus }>(
    `UPDATE ingest_jobs SET heartbeat_at = now()
     WHERE id = $1 AND claim_epoch = $2 AND status IN ('running', 'cancelled') RETURNING status`,
    [fence.jobId, fence.epoch],
  );
  const status = rows[0]?.status;
  return status === 'running' || status === 'cancelled' ? status : 'lost';
}

/**
 * Hands a claimed job back to the queue (a drain, a wait for item retries): queued again, due at
 * `notBefore` (now by default), and its epoch incremented so writes still in flight are refused.
 * False when the claim no longer held (or the job was cancelled meanwhile).
 */
export async function releaseJob(db: SqlExecutor, fence: JobFence, notBefore?: Date): Promise<boolean> {
  const { affectedRows } = await db.query(
    `UPDATE ingest_jobs SET status = 'queued', worker = NULL, claim_epoch = claim_epoch + 1,
       next_attempt_at = $3::timestamptz
     WHERE id = $1 AND claim_epoch = $2 AND status = 'running'`,
    [fence.jobId, fence.epoch, notBefore?.toISOString() ?? null],
  );
  return (affectedRows ?? 0) > 0;
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
    `SELECT ${ITEM_COLUMNS}
     FROM ingest_job_items WHERE job_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY ordinal`,
    [jobId, status ?? null],
  );
  return rows;
}

/** Counts the start of an item's attempt; returns the attempts now recorded (this one included). */
export async function startItem(db: SqlExecutor, jobId: string, ordinal: number): Promise<number> {
  const { rows } = await db.query<{ attempts: number }>(
    `UPDATE ingest_job_items SET attempts = attempts + 1 WHERE job_id = $1 AND ordinal = $2 AND status = 'pending'
     RETURNING attempts`,
    [jobId, ordinal],
  );
  return rows[0]?.attempts ?? 0;
}

/** Leaves an item pending after a transient failure, to be tried again at `retryAt`. */
export async function deferItem(
  db: SqlExecutor,
  jobId: string,
  ordinal: number,
  retry: { code: string; reason: string; retryAt: Date },
): Promise<void> {
  await db.query(
    `UPDATE ingest_job_items SET code = $3, reason = $4, next_retry_at = $5::timestamptz
     WHERE job_id = $1 AND ordinal = $2 AND status = 'pending'`,
    [jobId, ordinal, retry.code, retry.reason, retry.retryAt.toISOString()],
  );
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
       duration_ms = $9, next_retry_at = NULL WHERE job_id = $1 AND ordinal = $2`,
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

/**
 * Recomputes the job's counters from its items and refreshes its heartbeat. Returns the job; with a
 * `fence`, only while that claim holds (else `lease_lost`).
 */
export async function refreshJob(db: SqlExecutor, jobId: string, fence?: JobFence): Promise<JobRow> {
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
     WHERE ingest_jobs.id = $1 AND ($2::int IS NULL OR ingest_jobs.claim_epoch = $2)
     RETURNING ${JOB_COLUMNS}`,
    [jobId, fence?.epoch ?? null],
  );
  if (!rows[0]) throw new LeaseLostError(jobId);
  return rows[0];
}

/**
 * Ends a running job (`done` or `failed`) if this claim still holds it. False when it does not: the
 * job was cancelled meanwhile (a cancel is never overwritten) or taken over by another worker.
 */
export async function finishJob(
  db: SqlExecutor,
  fence: JobFence,
  status: 'done' | 'failed',
  error?: string,
): Promise<boolean> {
  const { affectedRows } = await db.query(
    `UPDATE ingest_jobs SET status = $3, error = $4, finished_at = now(), heartbeat_at = now()
     WHERE id = $1 AND claim_epoch = $2 AND status = 'running'`,
    [fence.jobId, fence.epoch, status, error ?? null],
  );
  return (affectedRows ?? 0) > 0;
}

/** A job by id, whatever its tenant (workers). */
export async function jobById(db: SqlExecutor, jobId: string): Promise<JobRow | undefined> {
  const { rows } = await db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM ingest_jobs WHERE id = $1`, [jobId]);
  return rows[0];
}

/** What a tenant has waiting or running: jobs, and items still pending in them. */
export async function openWork(db: SqlExecutor, tenantId: string): Promise<{ jobs: number; items: number }> {
  const { rows } = await db.query<{ jobs: number; items: number }>(
    `SELECT count(*)::int AS jobs,
            coalesce(sum(CASE WHEN total = 0 THEN coalesce(jsonb_array_length(request->'sources'), 1)
                              ELSE total - processed END), 0)::int AS items
     FROM ingest_jobs WHERE tenant_id = $1 AND status IN ('queued', 'running')`,
    [tenantId],
  );
  return rows[0] ?? { jobs: 0, items: 0 };
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

/**
 * Puts jobs left `running` back in the queue. Only for the embedded database, whose one owning
 * process is the only worker: a job still running when it opens was cut short by a crash.
 */
export async function requeueInterruptedJobs(db: SqlExecutor): Promise<void> {
  await db.query(`UPDATE ingest_jobs SET status = 'queued' WHERE status = 'running'`);
}
