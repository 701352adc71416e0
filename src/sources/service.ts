/**
 * @module sources/service
 * Server-side sources (ADR 0093): a folder under an allowed root, a list of URLs, or an S3-compatible
 * bucket prefix, each with the ACL and metadata of its documents. A sync is an ingestion job: a folder
 * is queued as a path with `sync` (the folder walk adds, updates and removes); URLs and bucket objects
 * are compared with the last listing (`content_source_objects`, ETags for buckets), so only new or changed
 * objects are fetched and documents of vanished ones are removed by the job. A source that cannot be
 * read (access denied, bucket missing, credentials expired) records why instead of queuing a job.
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, GroundworkError, InvalidRequestError, NotFoundError } from '../errors.ts';
import { sourceObjectUri } from '../ingest/item-uri.ts';
import type { IngestRequestInput } from '../ingest/request.ts';
import type { IngestionService } from '../ingest/service.ts';
import { type PathPolicy, resolveRequestedPath } from '../ingest/sources/roots.ts';
import type { UrlAllowList } from '../ingest/sources/url-allow-list.ts';
import { checkUrlShape, type HostResolver } from '../ingest/sources/url-policy.ts';
import type { Database } from '../store/database.ts';
import type { JobRow } from '../store/jobs.ts';
import { bucketAccess } from './bucket-access.ts';
import { type BucketChanges, parseBucketEvents, verifyEvent } from './bucket-events.ts';
import { forgetKeys, type ListingChanges, markIngested, recordListing } from './objects.ts';
import { listBucket } from './s3-bucket.ts';
import { startSourceSchedule } from './schedule.ts';
import {
  type CreateSourceInput,
  createSourceSchema,
  durationSeconds,
  type SourceBody,
  type SourceConfig,
  updateSourceSchema,
} from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import { toSourceBody } from './source-body.ts';
import {
  deleteSourceRow,
  insertSource,
  listSourceRows,
  recordSync,
  type SourceRow,
  sourceById,
  updateSourceRow,
} from './store.ts';
import { applyUpdate } from './update.ts';

/** Most objects one sync fetches; the rest are fetched by the next sync. */
export const MAX_OBJECTS_PER_SYNC = 10_000;

/** What the service needs. */
export interface SourceServiceOptions {
  readonly db: Database;
  readonly ingestion: IngestionService;
  readonly box: SecretBox;
  /** Where folder sources may point (the API's rule for path sources). */
  readonly paths: PathPolicy;
  /** Internal hosts URL and bucket sources may reach (ingest.allowedUrlHosts). */
  readonly allowList: UrlAllowList;
  readonly resolveHost: HostResolver;
  readonly fetch?: typeof fetch;
  /** Keys per bucket listing page. */
  readonly pageSize?: number;
}

/** The outcome of a sync: the job queued, or none (nothing changed, or the source could not be read). */
export interface SyncOutcome {
  readonly source: SourceBody;
  readonly job: JobRow | null;
}

/** Sources of each tenant and their syncs. */
export class SourceService {
  private stopSchedule: (() => Promise<void>) | undefined;

  constructor(private readonly options: SourceServiceOptions) {
    // The worker reports each finished item: an ingested object's ETag is remembered, so the next
    // listing does not fetch it again unless it changed.
    options.ingestion.events.on('item-end', (_jobId, item) => {
      const match = /^source:\/\/([0-9a-f-]{36})\/(.*)$/.exec(item.uri);
      if (!match || !['done', 'updated', 'unchanged'].includes(item.status)) return;
      void markIngested(options.db, match[1] as string, decodeURIComponent(match[2] as string)).catch(
        () => {},
      );
    });
  }

  /** Starts running scheduled syncs in this process (the processes that run the ingestion worker). */
  startSchedule(options: { pollMs?: number; onError?: (error: unknown) => void } = {}): void {
    this.stopSchedule ??= startSourceSchedule(this.options.db, this, options);
  }

  /** Stops the schedule, waiting for the poll in progress. */
  async stop(): Promise<void> {
    await this.stopSchedule?.();
    this.stopSchedule = undefined;
  }

  /** Creates a source; the answer carries its webhook secret, shown this once. */
  async create(
    tenantId: string,
    input: CreateSourceInput,
  ): Promise<{ source: SourceBody; webhookSecret: string }> {
    const parsed = createSourceSchema.safeParse(input);
    if (!parsed.success) throw invalidSource(parsed.error.issues);
    const request = parsed.data;
    const config = await this.checkConfig(configOf(request));
    const webhookSecret = randomBytes(32).toString('hex');
    const id = await insertSource(this.options.db, {
      tenantId,
      name: request.name,
      config,
      credentials: request.kind === 's3' ? this.options.box.seal(JSON.stringify(request.credentials)) : null,
      webhookSecret: this.options.box.seal(webhookSecret),
      acl: request.acl,
      metadata: request.metadata,
      syncEverySeconds: request.syncEvery ? durationSeconds(request.syncEvery) : null,
    });
    if (!id) throw new ConflictError('source_exists', `A source named "${request.name}" exists already.`);
    return { source: await this.get(tenantId, id), webhookSecret };
  }

  /** The tenant's sources. */
  async list(tenantId: string): Promise<SourceBody[]> {
    return (await listSourceRows(this.options.db, tenantId)).map(toSourceBody);
  }

  /** One source, or 404 `source_not_found`. */
  async get(tenantId: string, id: string): Promise<SourceBody> {
    return toSourceBody(await this.row(tenantId, id));
  }

  /** Changes settings of a source (only fields of its kind). */
  async update(tenantId: string, id: string, input: unknown): Promise<SourceBody> {
    const parsed = updateSourceSchema.safeParse(input);
    if (!parsed.success) throw invalidSource(parsed.error.issues);
    const current = await this.row(tenantId, id);
    const next = applyUpdate(current, parsed.data, this.options.box);
    const checked = { ...next, config: await this.checkConfig(next.config) };
    const scheduleChanged = parsed.data.syncEvery !== undefined;
    if (!(await updateSourceRow(this.options.db, checked, scheduleChanged)))
      throw new ConflictError('source_exists', `A source named "${checked.name}" exists already.`);
    return this.get(tenantId, id);
  }

  /**
   * Deletes a source. With `removeDocuments` its documents are removed too, by an ingestion job
   * (returned); otherwise they stay, no longer synced.
   */
  async remove(tenantId: string, id: string, removeDocuments = false): Promise<{ job: JobRow | null }> {
    const source = await this.row(tenantId, id);
    let job: JobRow | null = null;
    if (removeDocuments) {
      const uris = await this.documentOrigins(source);
      if (uris.length > 0)
        job = await this.options.ingestion.submit(
          tenantId,
          { sources: [], remove: uris },
          { sourceSync: true },
        );
    }
    await deleteSourceRow(this.options.db, tenantId, id);
    return { job };
  }

  /** Syncs a source now: everything it holds, or only `keys` (a bucket notification). */
  async sync(tenantId: string, id: string, keys?: BucketChanges): Promise<SyncOutcome> {
    const source = await this.row(tenantId, id);
    let job: JobRow | null;
    try {
      job = await this.startSync(source, keys);
    } catch (error) {
      if (!GroundworkError.isInstance(error) || error.code.startsWith('database_')) throw error;
      await recordSync(this.options.db, source.id, { jobId: null, code: error.code, error: error.message });
      if (error.code === 'ingest_queue_full') throw error;
      return { source: await this.get(tenantId, id), job: null };
    }
    await recordSync(this.options.db, source.id, { jobId: job?.id ?? null, code: null, error: null });
    return { source: await this.get(tenantId, id), job };
  }

  /** A signed bucket notification: syncs just the keys it names. */
  async notify(
    tenantId: string,
    id: string,
    body: string,
    signature: { timestamp?: string; signature?: string },
  ): Promise<SyncOutcome> {
    const source = await this.row(tenantId, id);
    verifyEvent(this.options.box.open(source.webhookSecret), signature, body);
    if (source.config.kind !== 's3')
      throw new InvalidRequestError('invalid_event', 'Only bucket sources take event notifications.');
    return this.sync(tenantId, id, parseBucketEvents(body, source.config.bucket));
  }

  private async startSync(source: SourceRow, keys?: BucketChanges): Promise<JobRow | null> {
    const metadata = { ...source.metadata, sourceId: source.id };
    const base = { acl: source.acl, metadata };
    const submit = (request: IngestRequestInput) =>
      this.options.ingestion.submit(source.tenantId, request, { sourceSync: true });
    const config = source.config;
    if (config.kind === 'folder')
      return submit({ ...base, sources: [{ kind: 'path', path: config.path }], sync: true });
    if (config.kind === 'urls') {
      const changes = await recordListing(
        this.options.db,
        source.id,
        new Map(config.urls.map((url) => [url, null])),
      );
      return submit({
        ...base,
        sources: config.urls.map((url) => ({ kind: 'url', url })),
        remove: changes.removed,
      });
    }
    const changes = keys ? await this.recordEvent(source, keys) : await this.listBucket(source, config);
    const changed = changes.changed.slice(0, MAX_OBJECTS_PER_SYNC);
    const remove = changes.removed
      .slice(0, MAX_OBJECTS_PER_SYNC)
      .map((key) => sourceObjectUri(source.id, key));
    if (changed.length === 0 && remove.length === 0) return null;
    return submit({
      ...base,
      sources: changed.map((key) => ({ kind: 'object', sourceId: source.id, key })),
      remove,
    });
  }

  private async listBucket(
    source: SourceRow,
    config: Extract<SourceConfig, { kind: 's3' }>,
  ): Promise<ListingChanges> {
    const access = bucketAccess(source, this.options.box, {
      allowList: this.options.allowList,
      resolveHost: this.options.resolveHost,
      fetch: this.options.fetch,
      pageSize: this.options.pageSize,
    });
    const listing = new Map<string, string | null>();
    for await (const object of listBucket(config, access)) listing.set(object.key, object.etag);
    return recordListing(this.options.db, source.id, listing);
  }

  private async recordEvent(source: SourceRow, keys: BucketChanges): Promise<ListingChanges> {
    const prefix = source.config.kind === 's3' ? source.config.prefix : '';
    const inPrefix = (key: string) => key.startsWith(prefix);
    await forgetKeys(this.options.db, source.id, keys.removed);
    return { changed: keys.changed.filter(inPrefix), removed: keys.removed.filter(inPrefix) };
  }

  /** Origins of the documents a source produced. */
  private async documentOrigins(source: SourceRow): Promise<string[]> {
    const config = source.config;
    const { rows } = await this.options.db.query<{ origin: string }>(
      config.kind === 'urls'
        ? `SELECT origin_uri AS origin FROM documents WHERE tenant_id = $1 AND origin_uri = ANY($2::text[])`
        : `SELECT origin_uri AS origin FROM documents WHERE tenant_id = $1 AND left(origin_uri, length($2)) = $2`,
      [
        source.tenantId,
        config.kind === 'urls'
          ? config.urls
          : config.kind === 'folder'
            ? `${config.path.replace(/\/$/, '')}/`
            : sourceObjectUri(source.id, ''),
      ],
    );
    return [...new Set(rows.map((row) => row.origin))];
  }

  /** Applies the API's rules: folders inside the allowed roots, URLs and endpoints not internal. */
  private async checkConfig(config: SourceConfig): Promise<SourceConfig> {
    try {
      if (config.kind === 'folder')
        return { ...config, path: await resolveRequestedPath(config.path, this.options.paths) };
      if (config.kind === 'urls') for (const url of config.urls) checkUrlShape(url, this.options.allowList);
      if (config.kind === 's3' && config.endpoint) checkUrlShape(config.endpoint, this.options.allowList);
      return config;
    } catch (error) {
      if (GroundworkError.isInstance(error)) throw new InvalidRequestError(error.code, error.message);
      throw error;
    }
  }

  private async row(tenantId: string, id: string): Promise<SourceRow> {
    const row = await sourceById(this.options.db, tenantId, id);
    if (!row) throw new NotFoundError('source_not_found', `No source ${id} in this tenant.`);
    return row;
  }
}

function configOf(request: ReturnType<typeof createSourceSchema.parse>): SourceConfig {
  if (request.kind === 'folder') return { kind: 'folder', path: request.path };
  if (request.kind === 'urls') return { kind: 'urls', urls: request.urls };
  const { bucket, prefix, region, endpoint, pathStyle } = request;
  return {
    kind: 's3',
    bucket,
    prefix,
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(pathStyle !== undefined ? { pathStyle } : {}),
  };
}

function invalidSource(issues: readonly { path: PropertyKey[]; message: string }[]): InvalidRequestError {
  return new InvalidRequestError('invalid_source', 'The source is invalid.', {
    issues: issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}
