/**
 * @module sources/object-reader
 * Reads the `object` items of source syncs for the ingestion worker (ingest/run-job.ts): the bucket
 * object under its source's credentials, with the ETag fetched noted so a later listing can skip it.
 */
import path from 'node:path';
import { IngestError } from '../errors.ts';
import type { SourceObjectReader } from '../ingest/run-job.ts';
import type { ReadLimits, SourceBytes } from '../ingest/sources/read-source.ts';
import type { Database } from '../store/database.ts';
import { bucketAccess } from './bucket-access.ts';
import { recordFetched } from './objects.ts';
import { type BucketAccess, getObject } from './s3-bucket.ts';
import type { SecretBox } from './secret-box.ts';
import { sourceById } from './store.ts';

/** How the reader reaches buckets. */
export type ReaderAccess = Omit<BucketAccess, 'credentials'>;

/** The reader of a deployment. */
export function createSourceObjectReader(
  db: Database,
  box: SecretBox,
  access: ReaderAccess,
): SourceObjectReader {
  return {
    async read(tenantId: string, sourceId: string, key: string, limits: ReadLimits): Promise<SourceBytes> {
      const source = await sourceById(db, tenantId, sourceId);
      if (!source) throw new IngestError('not_found', 'The source of this object was deleted.');
      if (source.config.kind !== 's3') throw new IngestError('invalid_item', 'The source is not a bucket.');
      const object = await getObject(
        source.config,
        bucketAccess(source, box, { ...access, timeoutMs: limits.fetchTimeoutMs }),
        key,
        limits.maxFileBytes,
      );
      if (object.bytes.byteLength === 0) throw new IngestError('empty_file', 'The object is empty.');
      await recordFetched(db, sourceId, key, object.etag);
      return {
        bytes: object.bytes,
        fileName: path.posix.basename(key),
        ...(object.contentType && object.contentType !== 'binary/octet-stream'
          ? { declaredType: object.contentType }
          : {}),
      };
    },
  };
}
