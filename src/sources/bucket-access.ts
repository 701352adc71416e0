/**
 * @module sources/bucket-access
 * A bucket source's access: its sealed credentials opened with the deployment's secret box.
 */
import type { S3Credentials } from '../blobs/s3-signer.ts';
import type { BucketAccess } from './s3-bucket.ts';
import type { SecretBox } from './secret-box.ts';
import type { SourceRow } from './store.ts';

/** The access of `source` (its credentials opened; unreadable ones throw `source_credentials_unreadable`). */
export function bucketAccess(
  source: Pick<SourceRow, 'credentials'>,
  box: SecretBox,
  access: Omit<BucketAccess, 'credentials'>,
): BucketAccess {
  const credentials = source.credentials
    ? (JSON.parse(box.open(source.credentials)) as S3Credentials)
    : { accessKeyId: '', secretAccessKey: '' };
  return { ...access, credentials };
}
