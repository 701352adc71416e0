/**
 * @module sources/bucket-events
 * Bucket event notifications posted to `POST /v1/sources/{id}/events`: the body is S3 event JSON
 * (`{ Records: [{ eventName, s3: { bucket: { name }, object: { key } } }] }`, keys URL-encoded with
 * `+` for spaces, as S3, MinIO and R2 send them), signed by the relay with the source's webhook
 * secret: `X-Groundwork-Timestamp: <unix seconds>` and `X-Groundwork-Signature: sha256=<hex HMAC-SHA256
 * of "<timestamp>.<body>">`. A signature older or newer than five minutes is refused, so a captured
 * request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidRequestError } from '../errors.ts';

/** How far a signature's timestamp may be from now. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The signature header value of `body` at `timestamp` (what a relay sends). */
export function signEvent(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Refuses a missing, stale or wrong signature with 401 `invalid_signature`. */
export function verifyEvent(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  body: string,
  now = Date.now(),
): void {
  const refuse = (why: string) =>
    new InvalidRequestError(
      'invalid_signature',
      `The event is not signed correctly: ${why}.`,
      {},
      'unauthorized',
    );
  if (!headers.timestamp || !headers.signature)
    throw refuse('send X-Groundwork-Timestamp and X-Groundwork-Signature');
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp)) throw refuse('the timestamp is not a number of seconds');
  if (Math.abs(now / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS)
    throw refuse('the timestamp is more than five minutes from now');
  const expected = Buffer.from(signEvent(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw refuse('the signature does not match');
}

/** Keys created or changed and keys removed, as the notification lists them. */
export interface BucketChanges {
  readonly changed: string[];
  readonly removed: string[];
}

/** Reads S3 event JSON; refuses anything else with 400 `invalid_event`. */
export function parseBucketEvents(body: string, bucket: string): BucketChanges {
  const invalid = (why: string) =>
    new InvalidRequestError('invalid_event', `The body is not an S3 event notification: ${why}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('it is not JSON');
  }
  const records = (parsed as { Records?: unknown })?.Records;
  if (!Array.isArray(records)) throw invalid('it has no "Records" array');
  if (records.length > 10_000) throw invalid('it has more than 10,000 records');
  const last = new Map<string, 'changed' | 'removed'>();
  for (const record of records) {
    const name = (record as { eventName?: unknown })?.eventName;
    const s3 = (record as { s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } } })?.s3;
    const key = s3?.object?.key;
    if (typeof name !== 'string' || typeof key !== 'string' || key.length === 0)
      throw invalid('a record has no eventName or s3.object.key');
    if (typeof s3?.bucket?.name === 'string' && s3.bucket.name !== bucket)
      throw invalid(`a record is about bucket ${s3.bucket.name}, not ${bucket}`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      throw invalid(`the key ${key} is not URL-encoded`);
    }
    if (decoded.includes('\u0000')) throw invalid('a key contains a NUL character');
    // Records arrive in order; the last one about a key decides.
    if (name.startsWith('ObjectCreated:')) last.set(decoded, 'changed');
    else if (name.startsWith('ObjectRemoved:')) last.set(decoded, 'removed');
  }
  const changed = [...last].filter(([, what]) => what === 'changed').map(([key]) => key);
  const removed = [...last].filter(([, what]) => what === 'removed').map(([key]) => key);
  return { changed, removed };
}
