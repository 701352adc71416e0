/**
 * @module blobs/s3-signer
 * AWS Signature Version 4 for S3-compatible stores (AWS S3, MinIO, Ceph RGW, R2, moto): the canonical
 * request, the string to sign and the derived signing key, as the SigV4 specification defines them.
 * Written here rather than pulling in an SDK: four S3 calls need ~100 lines, not a 10 MB dependency.
 */
import { createHash, createHmac } from 'node:crypto';

/** Credentials to sign with. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** One request to sign. */
export interface SigningInput {
  readonly method: string;
  readonly url: URL;
  /** Headers to send; `host`, `x-amz-date`, `x-amz-content-sha256` (and the token) are added. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body (`e3b0…` for none), or `UNSIGNED-PAYLOAD`. */
  readonly payloadSha256: string;
  readonly region: string;
  readonly service?: string;
  readonly now?: Date;
}

/** SHA-256 of the empty body, hex. */
export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** Returns the headers to send, including `authorization`. */
export function signRequest(input: SigningInput, credentials: S3Credentials): Record<string, string> {
  const service = input.service ?? 's3';
  const amzDate = (input.now ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.host = input.url.host;
  headers['x-amz-date'] = amzDate;
  headers['x-amz-content-sha256'] = input.payloadSha256;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names
    .map((name) => `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalPath(input.url.pathname),
    canonicalQuery(input.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    input.payloadSha256,
  ].join('\n');
  const scope = `${day}/${input.region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [input.region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** RFC 3986 encoding as SigV4 wants it: every byte but the unreserved characters is %XX. */
export function uriEncode(text: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char) || (keepSlash && char === '/')) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function canonicalPath(pathname: string): string {
  // S3 signs the path as sent, each segment encoded once: decode what URL encoded, then encode.
  return uriEncode(decodeURIComponent(pathname), true) || '/';
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
