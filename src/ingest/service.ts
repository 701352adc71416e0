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
  getJob,
  insertJob,
  type JobItemRow,
  type JobRow,
  listItems,
  listJobs,
} from '../store/jobs.ts';
import type { IngestContext } from './ingest-file.ts';
import { type IngestRequestInput, ingestRequestSchema } from './request.ts';
import type { UploadReader } from './run-job.ts';
import { runJob } from './run-job.ts';
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
  /** A running job whose heartbeat is older than this is taken over by another worker. */
  readonly staleAfterMs?: number;
  /**
   * Fetches URLs instead of the pinned node:http transport (tests that must not reach the network).
   * Every hop is still checked, but the connection cannot be pinned to the checked address.
   */
  readonly fetch?: typeof fetch;
  /** Runs a job inside its own trace (the composition root's tracing); without it, jobs run as they are. */
  readonly traceJob?: (job: JobRow, run: () => Promise<JobRow>) => Promise<JobRow>;
}

/** How a request reached the service: the CLI operator may read any path, API callers only allowed roots. */
export interface SubmitOptions {
  readonly trusted?: boolean;
}

/** Queues and runs ingestion jobs. */
export class IngestionService {
  readonly events = new EventEmitter<IngestEvents>();
  readonly workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private running: Promise<void> | undefined;
  /** Jobs this worker gave up during a database outage; queued again before the next claim. */
  private readonly abandoned = new Set<string>();
  private wake: (() => void) | undefined;
  private stopped = true;

  private readonly urlFetching: UrlFetching;

  constructor(private readonly options: IngestionServiceOptions) {
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
    const parsed = ingestRequestSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidRequestError('invalid_ingest_request', 'The ingest request is invalid.', {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    }
    const request = parsed.data;
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
    const db = this.options.context.db;
    await ensureTenant(db, tenantId);
    const jobId = await insertJob(db, tenantId, { ...request, sources });
    this.wake?.();
    return (await getJob(db, tenantId, jobId))!;
  }

  /** Runs queued jobs until none is left. Returns the jobs it finished. */
  async drain(): Promise<JobRow[]> {
    const finished: JobRow[] = [];
    await this.requeueAbandoned();
    for (;;) {
      const job = await claimJob(this.options.context.db, this.workerId, this.options.staleAfterMs ?? 60_000);
      if (!job) return finished;
      finished.push(await this.run(job));
    }
  }

  /** Starts a background worker loop that picks up jobs as they are queued. */
  start(pollMs = 1000): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = (async () => {
      while (!this.stopped) {
        // A database outage must not kill the loop; it is reported and retried on the next poll.
        await this.drain().catch((error) => this.events.emit('worker-error', error));
        if (this.stopped) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  /** Stops the loop after the current item. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
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
    if (this.abandoned.size === 0) return;
    const ids = [...this.abandoned];
    await this.options.context.db.query(
      `UPDATE ingest_jobs SET status = 'queued' WHERE id = ANY($1::uuid[]) AND status = 'running' AND worker = $2`,
      [ids, this.workerId],
    );
    for (const id of ids) this.abandoned.delete(id);
  }

  private async run(job: JobRow): Promise<JobRow> {
    try {
      return await this.runClaimed(job);
    } catch (error) {
      if (findDatabaseUnavailable(error)) this.abandoned.add(job.id);
      throw error;
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
        onProgress: (row) => this.events.emit('job-progress', row),
        onItem: (item) => this.events.emit('item-end', job.id, item),
      });
    const finished = await (this.options.traceJob ? this.options.traceJob(job, run) : run());
    this.events.emit('job-end', finished);
    return finished;
  }
}
