/**
 * @module ingest/service
 * The ingestion service: validates and queues jobs, runs them (in this process or in any worker that
 * shares the database), reports progress as events, and answers status queries. The CLI and the HTTP
 * API are thin layers over it.
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { findDatabaseUnavailable, GroundworkError, InvalidRequestError } from '../errors.ts';
import { ensureTenant } from '../store/documents.ts';
import {
  claimJob,
  finishJob,
  getJob,
  insertJob,
  type JobFence,
  type JobItemRow,
  type JobRow,
  listItems,
  listJobs,
  openWork,
  releaseJob,
} from '../store/jobs.ts';
import type { IngestContext } from './ingest-file.ts';
import { type IngestRequestInput, ingestRequestSchema } from './request.ts';
import type { RetryPolicy, SourceObjectReader, UploadReader } from './run-job.ts';
import { DEFAULT_RETRY_POLICY, runJob } from './run-job.ts';
import { fetchTransport } from './sources/http-transport.ts';
import type { ReadLimits } from './sources/read-source.ts';
import { DEFAULT_URL_FETCHING, type UrlFetching } from './sources/read-url.ts';
import { canonicalAll, resolveRequestedPath } from './sources/roots.ts';
import { EMPTY_ALLOW_LIST, type UrlAllowList } from './sources/url-allow-list.ts';
import { checkUrlShape, type HostResolver } from './sources/url-policy.ts';

/** Events the service emits while jobs run. */
export interface IngestEvents {
  'job-progress': [job: JobRow];
  'item-end': [jobId: string, item: JobItemRow];
  'job-end': [job: JobRow];
  'worker-error': [error: unknown];
}

/** Options of the service. */
export interface IngestionServiceOptions {
  readonly context: IngestContext;
  readonly limits: ReadLimits;
  /** Where uploaded files wait for their job (and stay, as the originals of their documents). */
  readonly uploads: UploadReader;
  /** Reads the objects of server-side sources (src/sources) for their syncs. */
  readonly sourceObjects?: SourceObjectReader;
  /** Folders API requests may ingest by path. */
  readonly allowedRoots: readonly string[];
  /**
   * Folders no API request may read even inside an allowed root, and no folder walk enters: the data
   * directory (database, session secret) and the models directory.
   */
  readonly protectedPaths?: readonly string[];
  /** Internal hosts and networks URL ingestion may reach (`ingest.allowedUrlHosts`); default none. */
  readonly allowedUrls?: UrlAllowList;
  /** Resolves URL hosts (tests inject one); default the system resolver. */
  readonly resolveHost?: HostResolver;
  /** Items processed at once within a job. */
  readonly concurrency: number;
  /**
   * The lease: a running job whose heartbeat is older than this is taken over by another worker
   * (GROUNDWORK_INGEST_LEASE_MS, default 60 s).
   */
  readonly staleAfterMs?: number;
  /** How often a running job's lease is renewed; default a quarter of the lease. */
  readonly heartbeatMs?: number;
  /** Retries of items that failed transiently (default 3 attempts, 5 s doubling backoff). */
  readonly retry?: RetryPolicy;
  /**
   * Leases of one job that may expire (its worker died or hung) before the job fails with a reason;
   * default 5. Each reclaim after the first waits a doubling backoff on top of the lease.
   */
  readonly maxWorkerLosses?: number;
  /** Jobs one tenant may have running at once, over all workers; default 1. */
  readonly tenantConcurrency?: number;
  /** Jobs this worker runs at once (each with `concurrency` items); default 2. */
  readonly jobSlots?: number;
  /** Work one tenant may have queued or running through the API (429 `ingest_queue_full` beyond). */
  readonly tenantQueue?: TenantQueueLimits;
  /**
   * Fetches URLs instead of the pinned node:http transport (tests that must not reach the network).
   * Every hop is still checked, but the connection cannot be pinned to the checked address.
   */
  readonly fetch?: typeof fetch;
  /** Runs a job inside its own trace (the composition root's tracing); without it, jobs run as they are. */
  readonly traceJob?: (job: JobRow, run: () => Promise<JobRow>) => Promise<JobRow>;
}

/** Per-tenant queue limits of API submissions. */
export interface TenantQueueLimits {
  /** Jobs queued or running. */
  readonly maxJobs: number;
  /** Items (files, URLs, uploads) not yet processed in those jobs. */
  readonly maxItems: number;
  /** What `Retry-After` says. */
  readonly retryAfterSeconds: number;
}

/** The default queue limits per tenant. */
export const DEFAULT_TENANT_QUEUE: TenantQueueLimits = {
  maxJobs: 500,
  maxItems: 20_000,
  retryAfterSeconds: 10,
};

/** A tenant's ingestion queue is full: 429 `ingest_queue_full` with `Retry-After`. */
export class IngestQueueFullError extends GroundworkError {
  readonly retryAfterSeconds: number;
  constructor(details: Record<string, unknown>, retryAfterSeconds: number) {
    super({
      code: 'ingest_queue_full',
      category: 'user',
      kind: 'limited',
      retryable: true,
      message:
        'This tenant has too much ingestion queued; wait for its jobs to progress (GET /v1/jobs) and retry.',
      details,
    });
    this.name = 'IngestQueueFullError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The worker side of a process, for shutdown (ADR 0034). `drain(graceMs)` stops claiming at once, lets
 * the items in flight finish within `graceMs` and hands their jobs back to the queue (another worker
 * resumes them at once, without waiting for the lease); jobs still busy after `graceMs` are handed back
 * anyway, their fencing token bumped so the abandoned items' late writes are refused. It resolves then.
 */
export interface IngestWorker {
  drain(graceMs: number): Promise<void>;
  readonly draining: boolean;
}

/** How a request reached the service: the CLI operator may read any path, API callers only allowed roots. */
export interface SubmitOptions {
  readonly trusted?: boolean;
  /**
   * A server-side source's sync (src/sources): it alone may queue `object` items and `remove` lists.
   * Paths are still checked against the allowed roots unless `trusted`.
   */
  readonly sourceSync?: boolean;
}

/** Queues and runs ingestion jobs. */
export class IngestionService {
  readonly events = new EventEmitter<IngestEvents>();
  readonly workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  /** Shutdown of this process's worker (`worker.drain(graceMs)`). */
  readonly worker: IngestWorker;
  private running: Promise<void> | undefined;
  /** Jobs this worker gave up during a database outage; queued again before the next claim. */
  private readonly abandoned = new Map<string, JobFence>();
  /** Jobs this worker is running now, with their claims. */
  private readonly active = new Map<string, JobFence>();
  private readonly wakers = new Set<() => void>();
  private stopped = true;
  private draining = false;
  private abort = new AbortController();

  private readonly urlFetching: UrlFetching;

  constructor(readonly options: IngestionServiceOptions) {
    const service = this;
    this.worker = {
      drain: (graceMs) => service.drainWorker(graceMs),
      get draining() {
        return service.draining;
      },
    };
    this.urlFetching = {
      allowList: options.allowedUrls ?? EMPTY_ALLOW_LIST,
      resolveHost: options.resolveHost ?? DEFAULT_URL_FETCHING.resolveHost,
      transport: options.fetch ? fetchTransport(options.fetch) : DEFAULT_URL_FETCHING.transport,
    };
  }

  /**
   * Validates and queues a job; returns it. For API callers, paths outside the allowed roots (or in
   * the data or models directory) and URLs that can only name a non-public address are refused here
   * with 400; the worker checks again what it opens and connects to.
   */
  async submit(tenantId: string, input: IngestRequestInput, submit: SubmitOptions = {}): Promise<JobRow> {
    const stored = await this.prepare(tenantId, input, submit);
    const db = this.options.context.db;
    await ensureTenant(db, tenantId);
    const jobId = await insertJob(db, tenantId, stored);
    this.wakeAll();
    return (await getJob(db, tenantId, jobId))!;
  }

  /**
   * An unfinished job of the tenant with this very request whose worker is gone (the CLI re-run after
   * a crash), handed back to the queue so this process resumes it at its first pending item; or
   * undefined. On the embedded database this process holds the data directory's lock, so a running
   * job's worker is gone whatever its heartbeat says; on a server, only once its lease expired.
   */
  async findResumable(
    tenantId: string,
    input: IngestRequestInput,
    submit: SubmitOptions = {},
  ): Promise<JobRow | undefined> {
    const stored = await this.prepare(tenantId, input, submit);
    const db = this.options.context.db;
    const { rows } = await db.query<{ id: string }>(
      `UPDATE ingest_jobs SET status = 'queued', worker = NULL, claim_epoch = claim_epoch + 1,
         next_attempt_at = NULL,
         worker_losses = worker_losses + CASE WHEN status = 'running' THEN 1 ELSE 0 END
       WHERE id = (
         SELECT id FROM ingest_jobs
         WHERE tenant_id = $1 AND request = $2::jsonb
           AND (status = 'queued' OR (status = 'running'
             AND ($3 OR heartbeat_at < now() - make_interval(secs => $4::float8 / 1000))))
         ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [tenantId, JSON.stringify(stored), db.dialect === 'pglite', this.options.staleAfterMs ?? 60_000],
    );
    return rows[0] ? getJob(db, tenantId, rows[0].id) : undefined;
  }

  /** Validates a request and returns it as a job stores it (canonical paths), or throws a 4xx error. */
  private async prepare(tenantId: string, input: IngestRequestInput, submit: SubmitOptions) {
    const parsed = ingestRequestSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidRequestError('invalid_ingest_request', 'The ingest request is invalid.', {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    }
    const request = parsed.data;
    if (
      !submit.sourceSync &&
      (request.remove || request.sources.some((source) => source.kind === 'object'))
    ) {
      throw new InvalidRequestError(
        'invalid_ingest_request',
        'Objects of sources and removals are queued by source syncs only (POST /v1/sources/{id}/sync).',
      );
    }
    if (!submit.trusted) await this.checkQueue(tenantId, request.sources.length);
    const sources = [];
    const policy = {
      roots: submit.trusted ? ('any' as const) : this.options.allowedRoots,
      protectedPaths: this.options.protectedPaths ?? [],
    };
    for (const source of request.sources) {
      try {
        if (source.kind === 'path') {
          // The job stores the canonical path; the worker reads exactly that file or refuses.
          sources.push({ ...source, path: await resolveRequestedPath(source.path, policy) });
          continue;
        }
        if (source.kind === 'url') checkUrlShape(source.url, this.urlFetching.allowList);
        sources.push(source);
      } catch (error) {
        if (GroundworkError.isInstance(error)) throw new InvalidRequestError(error.code, error.message);
        throw error;
      }
    }
    return { ...request, sources };
  }

  /**
   * Runs queued jobs until none is claimable (one at a time, in turn across tenants). Returns the
   * jobs it ran, as they ended (done, failed, cancelled, or queued again for item retries).
   */
  async drain(): Promise<JobRow[]> {
    const finished: JobRow[] = [];
    await this.requeueAbandoned();
    for (;;) {
      if (this.abort.signal.aborted) return finished;
      const job = await this.claim();
      if (!job) return finished;
      finished.push(await this.run(job));
    }
  }

  /**
   * Starts the background worker: `jobSlots` loops that claim jobs as they are queued, in turn
   * across tenants.
   */
  start(pollMs = 1000): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.draining = false;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    const slot = async () => {
      while (!this.stopped) {
        // A database outage must not kill the loop; it is reported and retried on the next poll.
        const ran = await this.runOne().catch((error) => {
          this.events.emit('worker-error', error);
          return false;
        });
        if (this.stopped) break;
        if (!ran) await this.sleep(pollMs);
      }
    };
    this.running = Promise.all(
      Array.from({ length: Math.max(1, this.options.jobSlots ?? 2) }, () => slot()),
    ).then(() => {});
  }

  /** Stops the worker: the items in flight finish, and their jobs go back to the queue. */
  async stop(): Promise<void> {
    await this.drainWorker(Number.POSITIVE_INFINITY);
  }

  private async drainWorker(graceMs: number): Promise<void> {
    this.draining = true;
    this.stopped = true;
    this.abort.abort();
    this.wakeAll();
    const running = this.running ?? Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = Number.isFinite(graceMs)
      ? new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), Math.max(0, graceMs));
        })
      : new Promise<'late'>(() => {});
    const outcome = await Promise.race([running.then(() => 'done' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'late') {
      // Hand the busy jobs back now: their epoch moves on, so whatever the abandoned items still
      // write is refused, and any worker may claim them at once.
      for (const fence of this.active.values())
        await releaseJob(this.options.context.db, fence).catch(() => {});
    }
  }

  private wakeAll(): void {
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  /** Claims and runs one job; false when there was none. */
  private async runOne(): Promise<boolean> {
    await this.requeueAbandoned();
    if (this.abort.signal.aborted) return false;
    const job = await this.claim();
    if (!job) return false;
    await this.run(job);
    return true;
  }

  /** Claims the next job, failing (not running) one whose workers kept dying. */
  private async claim(): Promise<JobRow | undefined> {
    const db = this.options.context.db;
    const staleAfterMs = this.options.staleAfterMs ?? 60_000;
    const retry = this.options.retry ?? DEFAULT_RETRY_POLICY;
    for (;;) {
      const job = await claimJob(db, this.workerId, {
        staleAfterMs,
        tenantConcurrency: this.options.tenantConcurrency ?? 1,
        lossBackoffMs: retry.baseDelayMs,
        lossBackoffMaxMs: retry.maxDelayMs,
      });
      if (!job) return undefined;
      const maxLosses = this.options.maxWorkerLosses ?? 5;
      if (job.workerLosses <= maxLosses) return job;
      const reason = `Its worker stopped (died or hung past the ${Math.round(staleAfterMs / 1000)} s lease) ${job.workerLosses} times while running it; giving up.`;
      await finishJob(db, { jobId: job.id, epoch: job.claimEpoch }, 'failed', reason);
      const failed = await getJob(db, job.tenantId, job.id);
      if (failed) this.events.emit('job-end', failed);
    }
  }

  /** Refuses an API submission over the tenant's queue limits (429 with Retry-After). */
  private async checkQueue(tenantId: string, newItems: number): Promise<void> {
    const limits = this.options.tenantQueue ?? DEFAULT_TENANT_QUEUE;
    const open = await openWork(this.options.context.db, tenantId);
    if (open.jobs + 1 > limits.maxJobs || open.items + newItems > limits.maxItems) {
      throw new IngestQueueFullError(
        {
          queuedJobs: open.jobs,
          queuedItems: open.items,
          maxJobs: limits.maxJobs,
          maxItems: limits.maxItems,
        },
        limits.retryAfterSeconds,
      );
    }
  }

  /** One job of a tenant (404-style `undefined` for another tenant's id). */
  getJob(tenantId: string, jobId: string): Promise<JobRow | undefined> {
    return getJob(this.options.context.db, tenantId, jobId);
  }

  listJobs(tenantId: string, limit?: number): Promise<JobRow[]> {
    return listJobs(this.options.context.db, tenantId, limit);
  }

  listItems(jobId: string, status?: JobItemRow['status']): Promise<JobItemRow[]> {
    return listItems(this.options.context.db, jobId, status);
  }

  /** Requests cancellation; the worker stops before its next item. */
  async cancel(tenantId: string, jobId: string): Promise<boolean> {
    const { affectedRows } = await this.options.context.db.query(
      `UPDATE ingest_jobs SET status = 'cancelled', finished_at = now()
       WHERE id = $1 AND tenant_id = $2 AND status IN ('queued', 'running')`,
      [jobId, tenantId],
    );
    return (affectedRows ?? 0) > 0;
  }

  /**
   * Puts jobs given up during an outage back in the queue (if still ours and running), so they resume
   * as soon as the database is back rather than when their heartbeat goes stale.
   */
  private async requeueAbandoned(): Promise<void> {
    for (const [id, fence] of [...this.abandoned]) {
      await releaseJob(this.options.context.db, fence);
      this.abandoned.delete(id);
    }
  }

  private async run(job: JobRow): Promise<JobRow> {
    const fence = { jobId: job.id, epoch: job.claimEpoch };
    this.active.set(job.id, fence);
    try {
      return await this.runClaimed(job);
    } catch (error) {
      if (findDatabaseUnavailable(error)) this.abandoned.set(job.id, fence);
      throw error;
    } finally {
      this.active.delete(job.id);
    }
  }

  private async runClaimed(job: JobRow): Promise<JobRow> {
    const protectedPaths = await canonicalAll(this.options.protectedPaths ?? []);
    const run = () =>
      runJob(job, {
        ...this.options,
        protectedPaths,
        urlFetching: this.urlFetching,
        workerId: this.workerId,
        heartbeatMs:
          this.options.heartbeatMs ?? Math.max(50, Math.floor((this.options.staleAfterMs ?? 60_000) / 4)),
        signal: this.abort.signal,
        onProgress: (row) => this.events.emit('job-progress', row),
        onItem: (item) => this.events.emit('item-end', job.id, item),
      });
    const finished = await (this.options.traceJob ? this.options.traceJob(job, run) : run());
    // The end of the job, if this claim ended it (not a hand-back, nor a job another worker took over).
    if (finished.claimEpoch === job.claimEpoch && ['done', 'failed', 'cancelled'].includes(finished.status))
      this.events.emit('job-end', finished);
    return finished;
  }
}
