/**
 * @module blobs/s3-blob-store
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Cloudflare R2, …), for deployments whose
 * API and worker processes run on different machines. Four calls (PUT, GET, DELETE, ListObjectsV2),
 * signed with SigV4; bodies stream from and to disk, never whole in memory on upload.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GroundworkError } from '../errors.ts';
import type { BlobEntry, BlobInfo, BlobStore } from '../spec/blob-store.ts';
import { assertBlobKey } from './blob-key.ts';
import { decodeXml, s3ObjectUrl, xmlTag } from './s3-rest.ts';
import { EMPTY_SHA256, type S3Credentials, signRequest } from './s3-signer.ts';

/** Where the bucket is and how to reach it. */
export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** Key prefix inside the bucket (no leading slash), e.g. `groundwork/`. */
  readonly prefix?: string;
  readonly region: string;
  /** A custom endpoint (MinIO, R2, …); AWS's regional endpoint when absent. */
  readonly endpoint?: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; the default with a custom endpoint. */
  readonly pathStyle?: boolean;
  readonly credentials: S3Credentials;
  /** Local folder where uploads are staged before they are sent (the OS temp folder by default). */
  readonly stagingDir?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** A blob store in an S3-compatible bucket. */
export class S3BlobStore implements BlobStore {
  readonly specificationVersion = 'v1';
  readonly location: string;
  private readonly prefix: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.prefix = options.prefix ? options.prefix.replace(/^\/+/, '').replace(/\/*$/, '/') : '';
    this.location = `s3://${options.bucket}/${this.prefix}`;
    this.fetch = options.fetch ?? fetch;
  }

  async putFile(key: string, localPath: string, options: { contentType?: string } = {}): Promise<BlobInfo> {
    const { size } = await stat(localPath);
    // The payload hash is signed, so the store verifies the bytes it received against it.
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(localPath)) hash.update(chunk as Buffer);
    const body = Readable.toWeb(createReadStream(localPath)) as ReadableStream<Uint8Array>;
    await this.send('PUT', key, {
      body,
      payloadSha256: hash.digest('hex'),
      headers: {
        'content-length': String(size),
        ...(options.contentType ? { 'content-type': options.contentType } : {}),
      },
    });
    return { key, size };
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const response = await this.send('GET', key, { allowMissing: true });
    if (!response) return undefined;
    return new Uint8Array(await response.arrayBuffer());
  }

  async stream(key: string) {
    const response = await this.send('GET', key, { allowMissing: true });
    if (!response?.body) return undefined;
    return { body: response.body, size: Number(response.headers.get('content-length') ?? 0) };
  }

  async delete(key: string): Promise<void> {
    await this.send('DELETE', key, { allowMissing: true });
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    assertBlobKey(prefix, { prefix: true });
    let token: string | undefined;
    do {
      const url = s3ObjectUrl(this.options, '');
      url.searchParams.set('list-type', '2');
      url.searchParams.set('prefix', this.prefix + prefix);
      if (token) url.searchParams.set('continuation-token', token);
      const response = (await this.request('GET', url, { payloadSha256: EMPTY_SHA256 })) as Response;
      const xml = await response.text();
      for (const match of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const item = match[1] as string;
        const key = decodeXml(xmlTag(item, 'Key') ?? '').slice(this.prefix.length);
        yield {
          key,
          size: Number(xmlTag(item, 'Size') ?? 0),
          modifiedAt: new Date(xmlTag(item, 'LastModified') ?? 0),
        };
      }
      token =
        xmlTag(xml, 'IsTruncated') === 'true'
          ? decodeXml(xmlTag(xml, 'NextContinuationToken') ?? '')
          : undefined;
    } while (token);
  }

  async stagingDir(): Promise<string> {
    const folder = this.options.stagingDir ?? path.join(tmpdir(), 'groundwork-staging');
    await mkdir(folder, { recursive: true });
    return folder;
  }

  private async send(
    method: string,
    key: string,
    options: {
      body?: ReadableStream<Uint8Array>;
      payloadSha256?: string;
      headers?: Record<string, string>;
      allowMissing?: boolean;
    },
  ): Promise<Response | undefined> {
    assertBlobKey(key);
    const url = s3ObjectUrl(this.options, this.prefix + key);
    return this.request(method, url, { payloadSha256: EMPTY_SHA256, ...options });
  }

  private async request(
    method: string,
    url: URL,
    options: {
      body?: ReadableStream<Uint8Array>;
      payloadSha256: string;
      headers?: Record<string, string>;
      allowMissing?: boolean;
    },
  ): Promise<Response | undefined> {
    const headers = signRequest(
      {
        method,
        url,
        headers: options.headers,
        payloadSha256: options.payloadSha256,
        region: this.options.region,
      },
      this.options.credentials,
    );
    // `host` is set by fetch itself and may not be passed.
    delete headers.host;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        body: options.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        ...(options.body ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      throw new GroundworkError({
        code: 'blob_store_unavailable',
        category: 'system',
        retryable: true,
        message: `The blob store ${this.location} could not be reached: ${(error as Error).message}`,
        cause: error,
      });
    }
    if (response.status === 404 && options.allowMissing) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const code = xmlTag(text, 'Code') ?? `HTTP ${response.status}`;
      throw new GroundworkError({
        code: 'blob_store_unavailable',
        category: 'system',
        retryable: response.status >= 500 || response.status === 429,
        message: `The blob store ${this.location} refused ${method}: ${code}. Check the bucket, region and credentials.`,
      });
    }
    return response;
  }
}
