/**
 * @module ingest/uploads
 * Uploaded originals: the `uploads` table and the blob store behind it. An upload is stored before
 * its job is queued (a staged file moves into the blob store; a row records name, type, size, hash and
 * key), read by the worker that ingests it, kept as the original of the documents made from it (so
 * they can be downloaded and re-indexed), and collected once no document and no unfinished job needs
 * it any more.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { IngestError } from '../errors.ts';
import type { BlobStore } from '../spec/blob-store.ts';
import type { Database } from '../store/database.ts';
import { type ReadLimits, type SourceBytes, tooLarge } from './sources/read-source.ts';

/** A file staged on local disk, ready to be stored. */
export interface StagedFile {
  readonly fileName: string;
  readonly mediaType?: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** A stored upload, as an ingestion source. */
export interface StoredUpload {
  readonly kind: 'upload';
  readonly uploadId: string;
  readonly fileName: string;
}

/** The original file of an upload, for downloads. */
export interface UploadOriginal {
  readonly fileName: string;
  readonly mediaType: string | null;
  readonly size: number;
  readonly body: ReadableStream<Uint8Array>;
}

/** How long an upload nobody needs is kept before it is collected (retries, late jobs). */
const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;

/** Stores, reads and collects uploads. */
export class UploadService {
  constructor(
    private readonly db: Database,
    readonly blobs: BlobStore,
  ) {}

  /** Moves staged files into the blob store and records them; on failure nothing is left behind. */
  async store(tenantId: string, files: readonly StagedFile[]): Promise<StoredUpload[]> {
    const stored: StoredUpload[] = [];
    const keys: string[] = [];
    try {
      for (const file of files) {
        const uploadId = randomUUID();
        const key = `uploads/${uploadId}`;
        await this.blobs.putFile(key, file.path, { contentType: file.mediaType });
        keys.push(key);
        await rm(file.path, { force: true });
        await this.db.query(
          `INSERT INTO uploads (id, tenant_id, file_name, media_type, blob_key, byte_size, sha256)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [uploadId, tenantId, file.fileName, file.mediaType ?? null, key, file.size, file.sha256],
        );
        stored.push({ kind: 'upload', uploadId, fileName: file.fileName });
      }
      return stored;
    } catch (error) {
      await Promise.all(files.map((file) => rm(file.path, { force: true })));
      await this.forget(
        tenantId,
        stored.map((upload) => upload.uploadId),
      ).catch(() => {});
      await Promise.all(keys.map((key) => this.blobs.delete(key).catch(() => {})));
      throw error;
    }
  }

  /** Records the job that will ingest these uploads (they are kept while it is unfinished). */
  async attachJob(tenantId: string, uploadIds: readonly string[], jobId: string): Promise<void> {
    await this.db.query('UPDATE uploads SET job_id = $3 WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [
      tenantId,
      uploadIds,
      jobId,
    ]);
  }

  /** Removes uploads whose job could not be queued. */
  async forget(tenantId: string, uploadIds: readonly string[]): Promise<void> {
    if (uploadIds.length === 0) return;
    const { rows } = await this.db.query<{ key: string | null }>(
      'DELETE FROM uploads WHERE tenant_id = $1 AND id = ANY($2::uuid[]) RETURNING blob_key AS key',
      [tenantId, uploadIds],
    );
    for (const row of rows) if (row.key) await this.blobs.delete(row.key);
  }

  /** The bytes of an upload, for the worker that ingests it. */
  async read(tenantId: string, uploadId: string, limits: ReadLimits): Promise<SourceBytes> {
    const { rows } = await this.db.query<{
      key: string | null;
      content: Uint8Array | null;
      fileName: string;
      mediaType: string | null;
      size: number | null;
    }>(
      `SELECT blob_key AS key, CASE WHEN blob_key IS NULL THEN content END AS content,
              file_name AS "fileName", media_type AS "mediaType", byte_size AS size
       FROM uploads WHERE id = $1 AND tenant_id = $2`,
      [uploadId, tenantId],
    );
    const row = rows[0];
    if (!row) throw new IngestError('not_found', `Upload ${uploadId} no longer exists.`);
    if (!row.key && !row.content) {
      throw new IngestError(
        'not_found',
        'The original of this upload was discarded once its text was stored redacted; upload the file again to re-index it.',
      );
    }
    if ((row.size ?? 0) > limits.maxFileBytes) throw tooLarge(row.size ?? 0, limits.maxFileBytes);
    const bytes = row.key ? await this.blobs.get(row.key) : (row.content ?? undefined);
    if (!bytes) {
      throw new IngestError(
        'not_found',
        `The uploaded file is missing from the blob store (${this.blobs.location}); API and worker processes must share it.`,
        { retryable: true },
      );
    }
    if (bytes.byteLength > limits.maxFileBytes) throw tooLarge(bytes.byteLength, limits.maxFileBytes);
    if (bytes.byteLength === 0) throw new IngestError('empty_file', 'The uploaded file is empty.');
    return { bytes, fileName: row.fileName, declaredType: row.mediaType ?? undefined };
  }

  /**
   * Deletes the original bytes of an upload whose text was stored redacted (ingest/redaction.ts), so
   * the blob store keeps no unredacted copy; the row stays (name, size, hash) until it is collected.
   */
  async discardOriginal(tenantId: string, uploadId: string): Promise<void> {
    const { rows } = await this.db.query<{ key: string | null }>(
      `UPDATE uploads u SET blob_key = NULL, content = NULL
       FROM (SELECT id, blob_key FROM uploads WHERE id = $1 AND tenant_id = $2 FOR UPDATE) old
       WHERE u.id = old.id RETURNING old.blob_key AS key`,
      [uploadId, tenantId],
    );
    for (const row of rows) if (row.key) await this.blobs.delete(row.key);
  }

  /** The original of a document made from an upload, or undefined (not an upload, or collected). */
  async original(tenantId: string, originUri: string): Promise<UploadOriginal | undefined> {
    const uploadId = /^upload:\/\/([0-9a-f-]{36})\//.exec(originUri)?.[1];
    if (!uploadId) return undefined;
    const { rows } = await this.db.query<{ key: string | null; fileName: string; mediaType: string | null }>(
      'SELECT blob_key AS key, file_name AS "fileName", media_type AS "mediaType" FROM uploads WHERE id = $1 AND tenant_id = $2',
      [uploadId, tenantId],
    );
    const row = rows[0];
    if (!row?.key) return undefined;
    const blob = await this.blobs.stream(row.key);
    if (!blob) return undefined;
    return { fileName: row.fileName, mediaType: row.mediaType, size: blob.size, body: blob.body };
  }

  /**
   * Deletes uploads that no document comes from and no unfinished job will read, once older than the
   * grace period; then blobs under `uploads/` that no row names (a crash between storing a blob and
   * recording it). Returns how many blobs went.
   */
  async collectGarbage(options: { now?: Date; graceMs?: number } = {}): Promise<number> {
    const cutoff = new Date((options.now ?? new Date()).getTime() - (options.graceMs ?? DEFAULT_GRACE_MS));
    const { rows } = await this.db.query<{ key: string | null }>(
      `DELETE FROM uploads u
       WHERE u.created_at < $1
         AND NOT EXISTS (SELECT 1 FROM ingest_jobs j
                         WHERE j.id = u.job_id AND j.status IN ('queued', 'running'))
         AND NOT EXISTS (SELECT 1 FROM documents d
                         WHERE d.tenant_id = u.tenant_id
                           AND starts_with(d.origin_uri, 'upload://' || u.id::text || '/'))
       RETURNING u.blob_key AS key`,
      [cutoff],
    );
    let removed = 0;
    for (const row of rows) {
      if (!row.key) continue;
      await this.blobs.delete(row.key);
      removed++;
    }
    for await (const entry of this.blobs.list('uploads/')) {
      if (entry.modifiedAt >= cutoff) continue;
      const uploadId = /^uploads\/([0-9a-f-]{36})$/.exec(entry.key)?.[1];
      if (uploadId) {
        const { rows: named } = await this.db.query('SELECT 1 FROM uploads WHERE id = $1', [uploadId]);
        if (named.length > 0) continue;
      }
      await this.blobs.delete(entry.key);
      removed++;
    }
    return removed;
  }
}
