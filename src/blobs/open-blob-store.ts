/**
 * @module blobs/open-blob-store
 * Turns the `blobStore` setting into an adapter: a folder (the default, `<dataDir>/blobs`; a temporary
 * folder for an in-memory data dir) or an S3-compatible bucket named by an `s3://` URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.ts';
import type { BlobStore } from '../spec/blob-store.ts';
import { FilesystemBlobStore } from './filesystem-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

/** An open blob store and what closing it must clean up. */
export interface OpenedBlobStore {
  readonly store: BlobStore;
  close(): void;
}

/** Opens the blob store `spec` names (see the config's `blobStore`); fails with a ConfigError. */
export function openBlobStore(
  spec: string | undefined,
  options: { dataDir: string; env?: NodeJS.ProcessEnv; fetch?: typeof fetch },
): OpenedBlobStore {
  if (spec === undefined) {
    if (options.dataDir.startsWith('memory://')) {
      // An in-memory database keeps nothing after the process; neither do its blobs.
      const root = mkdtempSync(path.join(tmpdir(), 'groundwork-blobs-'));
      return {
        store: new FilesystemBlobStore(root),
        close: () => rmSync(root, { recursive: true, force: true }),
      };
    }
    return { store: new FilesystemBlobStore(path.join(options.dataDir, 'blobs')), close: () => {} };
  }
  if (spec.startsWith('s3://'))
    return { store: s3From(spec, options.env ?? process.env, options.fetch), close: () => {} };
  if (spec.startsWith('file://'))
    return { store: new FilesystemBlobStore(fileURLToPath(spec)), close: () => {} };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new ConfigError(
      `blobStore ${spec} is not supported: use a folder, file:///… or s3://bucket/prefix.`,
    );
  }
  return { store: new FilesystemBlobStore(path.resolve(spec)), close: () => {} };
}

function s3From(spec: string, env: NodeJS.ProcessEnv, fetchImpl?: typeof fetch): S3BlobStore {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new ConfigError(`blobStore ${spec} is not a valid s3:// URL.`);
  }
  const bucket = url.hostname;
  if (!bucket) throw new ConfigError('blobStore s3:// URL needs a bucket: s3://bucket/prefix.');
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError(
      `blobStore ${spec} needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones).`,
    );
  }
  const region = url.searchParams.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = url.searchParams.get('endpoint') ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const pathStyle = url.searchParams.get('pathStyle');
  return new S3BlobStore({
    bucket,
    prefix: decodeURIComponent(url.pathname.replace(/^\//, '')),
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(pathStyle !== null ? { pathStyle: pathStyle !== 'false' } : {}),
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
