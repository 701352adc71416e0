/**
 * @module store/migrations/015-job-fencing
 * Job leases, fencing, retries (ADR 0034) and fair claiming (ADR 0069).
 *
 * - `claim_epoch` is the fencing token: every claim (and every hand-back) increments it, and a worker's
 *   writes of items, documents and counters are conditioned on the epoch it claimed with, so a worker
 *   whose lease was taken over cannot write any more.
 * - `next_attempt_at` holds a queued job back until its earliest item retry is due.
 * - `worker_losses` counts leases that expired (the worker died or hung); past a cap the job fails.
 * - `claimed_at` is when the job was last claimed: claiming is round-robin across tenants by it.
 * - Items count their `attempts` (started, then failed transiently or abandoned) and wait for
 *   `next_retry_at` before their next one.
 */
export const MIGRATION_015 = `
ALTER TABLE ingest_jobs ADD COLUMN claim_epoch integer NOT NULL DEFAULT 0;
ALTER TABLE ingest_jobs ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE ingest_jobs ADD COLUMN worker_losses integer NOT NULL DEFAULT 0;
ALTER TABLE ingest_jobs ADD COLUMN claimed_at timestamptz;
ALTER TABLE ingest_job_items ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE ingest_job_items ADD COLUMN next_retry_at timestamptz;
CREATE INDEX ingest_jobs_open ON ingest_jobs (tenant_id, created_at) WHERE status IN ('queued', 'running');
`;
