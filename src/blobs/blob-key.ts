/**
 * @module blobs/blob-key
 * Blob keys are chosen by the product, but every adapter still checks them: a key becomes a path on
 * disk or in a bucket, so one with `..`, an absolute start or odd characters must never get that far.
 */
import { GroundworkError } from '../errors.ts';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Throws unless `key` is one or more safe segments joined by `/` (a prefix may end with `/`). */
export function assertBlobKey(key: string, options: { prefix?: boolean } = {}): void {
  const body = options.prefix && key.endsWith('/') ? key.slice(0, -1) : key;
  if (options.prefix && body === '') return;
  const valid =
    body.length > 0 && body.length <= 512 && body.split('/').every((segment) => SEGMENT.test(segment));
  if (!valid) {
    throw new GroundworkError({
      code: 'invalid_blob_key',
      category: 'system',
      message: `Refusing the blob key ${JSON.stringify(key.slice(0, 80))}.`,
    });
  }
}
