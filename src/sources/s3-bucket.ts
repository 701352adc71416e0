/**
 * @module sources/s3-bucket
 * Reads a bucket prefix of an S3-compatible store (AWS S3, MinIO, R2, GCS's S3 API, moto): ListObjectsV2
 * page by page with each object's ETag, and GET of one object under the size limit, signed with SigV4
 * (blobs/s3-signer.ts). The endpoint is checked like a URL source before every request (ingest's URL
 * policy: public addresses only unless allow-listed), so a source cannot be pointed at internal hosts.
 * Refusals become errors with stable codes the source reports: access denied, bucket missing,
 * credentials invalid or expired, unreachable.
 */
import { decodeXml, s3ObjectUrl, xmlTag } from '../blobs/s3-rest.ts';
import { EMPTY_SHA256, type S3Credentials, signRequest } from '../blobs/s3-signer.ts';
import { GroundworkError, IngestError } from '../errors.ts';
import { tooLarge } from '../ingest/sources/read-source.ts';
import type { UrlAllowList } from '../ingest/sources/url-allow-list.ts';
import { checkUrlShape, type HostResolver, resolveTarget } from '../ingest/sources/url-policy.ts';

/** One object of a listing. */
export interface BucketObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
}

/** Where the bucket is. */
export interface BucketLocation {
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly pathStyle?: boolean;
}

/** How requests are made and checked. */
export interface BucketAccess {
  readonly credentials: S3Credentials;
  readonly allowList: UrlAllowList;
  readonly resolveHost: HostResolver;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** Keys per listing page (S3 caps it at 1000). */
  readonly pageSize?: number;
}

/** A bucket refused or could not be reached; `code` is what the source reports. */
export class BucketError extends GroundworkError {
  constructor(code: string, message: string, retryable: boolean, cause?: unknown) {
    super({ code, message, category: retryable ? 'system' : 'user', retryable, cause });
    this.name = 'BucketError';
  }
}

/** Lists every object under the prefix (all pages), folders' placeholder keys left out. */
export async function* listBucket(
  location: BucketLocation,
  access: BucketAccess,
): AsyncIterable<BucketObject> {
  let token: string | undefined;
  do {
    const url = s3ObjectUrl(location, '');
    url.searchParams.set('list-type', '2');
    url.searchParams.set('prefix', location.prefix);
    url.searchParams.set('max-keys', String(access.pageSize ?? 1000));
    if (token) url.searchParams.set('continuation-token', token);
    const response = await send('GET', url, location, access);
    const xml = await response.text();
    for (const match of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
      const item = match[1] as string;
      const key = decodeXml(xmlTag(item, 'Key') ?? '');
      if (key.endsWith('/')) continue;
      yield { key, etag: decodeXml(xmlTag(item, 'ETag') ?? ''), size: Number(xmlTag(item, 'Size') ?? 0) };
    }
    token =
      xmlTag(xml, 'IsTruncated') === 'true'
        ? decodeXml(xmlTag(xml, 'NextContinuationToken') ?? '')
        : undefined;
  } while (token);
}

/** One object's bytes and ETag; a key gone since the listing is `not_found`, an oversize one `too_large`. */
export async function getObject(
  location: BucketLocation,
  access: BucketAccess,
  key: string,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; etag: string; contentType?: string }> {
  const response = await send('GET', s3ObjectUrl(location, key), location, access, { allowMissing: true });
  if (response.status === 404) {
    await response.body?.cancel();
    throw new IngestError('not_found', `The object ${key} is no longer in the bucket.`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(declared, maxBytes);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes);
  return {
    bytes,
    etag: response.headers.get('etag') ?? '',
    contentType: response.headers.get('content-type') ?? undefined,
  };
}

async function send(
  method: string,
  url: URL,
  location: BucketLocation,
  access: BucketAccess,
  options: { allowMissing?: boolean } = {},
): Promise<Response> {
  try {
    checkUrlShape(url.href, access.allowList);
    await resolveTarget(url, access.allowList, access.resolveHost);
  } catch (error) {
    if (GroundworkError.isInstance(error) && error.code === 'url_not_allowed') {
      throw new BucketError('source_endpoint_not_allowed', error.message, false, error);
    }
    throw new BucketError(
      'source_unreachable',
      `The endpoint ${url.host} could not be resolved.`,
      true,
      error,
    );
  }
  const headers = signRequest(
    { method, url, payloadSha256: EMPTY_SHA256, region: location.region },
    access.credentials,
  );
  delete headers.host;
  let response: Response;
  try {
    response = await (access.fetch ?? fetch)(url, {
      method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(access.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new BucketError(
      'source_unreachable',
      `The bucket ${location.bucket} at ${url.host} could not be reached: ${(error as Error).message}`,
      true,
      error,
    );
  }
  if (response.ok || (response.status === 404 && options.allowMissing && !(await isNoSuchBucket(response))))
    return response;
  throw await refusal(response, location);
}

/** A 404 of an object GET is a missing key unless the bucket itself is missing. */
async function isNoSuchBucket(response: Response): Promise<boolean> {
  const text = await response
    .clone()
    .text()
    .catch(() => '');
  return xmlTag(text, 'Code') === 'NoSuchBucket';
}

async function refusal(response: Response, location: BucketLocation): Promise<BucketError> {
  const body = await response.text().catch(() => '');
  const code = xmlTag(body, 'Code') ?? `HTTP ${response.status}`;
  const where = `s3://${location.bucket}/${location.prefix}`;
  if (code === 'NoSuchBucket')
    return new BucketError('source_not_found', `The bucket ${location.bucket} does not exist.`, false);
  if (
    [
      'ExpiredToken',
      'TokenRefreshRequired',
      'InvalidAccessKeyId',
      'SignatureDoesNotMatch',
      'InvalidToken',
    ].includes(code)
  )
    return new BucketError(
      'source_credentials_invalid',
      `The bucket refused the source's credentials (${code}): they are wrong or expired. Set new ones with PATCH /v1/sources/{id}.`,
      false,
    );
  if (response.status === 403)
    return new BucketError(
      'source_access_denied',
      `Access to ${where} was denied (${code}). Grant the credentials s3:ListBucket and s3:GetObject on it.`,
      false,
    );
  const retryable = response.status >= 500 || response.status === 429;
  return new BucketError('source_unreachable', `The bucket ${where} answered ${code}.`, retryable);
}
