/**
 * One contract suite for every blob store adapter: a folder, and an S3-compatible bucket (moto, with
 * signatures checked). Each adapter must store staged files, return, stream, list and delete them, and
 * refuse keys that could escape its root.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import type { BlobStore } from '../spec/blob-store.ts';
import { motoServerBinary, type S3TestServer, startS3TestServer } from '../testing/s3-test-server.ts';
import { FilesystemBlobStore } from './filesystem-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

interface Adapter {
  readonly name: string;
  open(): Promise<{ store: BlobStore; close(): Promise<void> }>;
}

let moto: S3TestServer | undefined;
const motoBinary = motoServerBinary();

const adapters: Adapter[] = [
  {
    name: 'filesystem',
    open: async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'gw-blobs-'));
      return {
        store: new FilesystemBlobStore(root),
        close: () => rm(root, { recursive: true, force: true }),
      };
    },
  },
];
if (motoBinary) {
  adapters.push({
    name: 's3 (moto)',
    open: async () => {
      moto ??= await startS3TestServer(motoBinary);
      const server = moto;
      const prefix = `run-${Math.random().toString(36).slice(2, 8)}/`;
      return {
        store: new S3BlobStore({
          bucket: server.bucket,
          prefix,
          region: server.region,
          endpoint: server.endpoint,
          credentials: server.credentials,
        }),
        close: async () => {},
      };
    },
  });
}

afterAll(async () => {
  await moto?.close();
});

async function staged(store: BlobStore, bytes: Uint8Array): Promise<string> {
  const file = path.join(await store.stagingDir(), `staged-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, bytes);
  return file;
}

for (const adapter of adapters) {
  describe(`blob store contract: ${adapter.name}`, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await adapter.open());
    }, 60_000);
    afterAll(async () => {
      await close?.();
    });

    it('stores a staged file and returns the same bytes, whole and streamed', async () => {
      const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
      const info = await store.putFile('uploads/a/one', await staged(store, bytes), {
        contentType: 'application/pdf',
      });
      expect(info).toEqual({ key: 'uploads/a/one', size: bytes.byteLength });
      expect(Buffer.from((await store.get('uploads/a/one')) ?? []).equals(Buffer.from(bytes))).toBe(true);
      const streamed = await store.stream('uploads/a/one');
      expect(streamed?.size).toBe(bytes.byteLength);
      const parts: Uint8Array[] = [];
      for await (const part of streamed!.body) parts.push(part);
      expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
    });

    it('replaces a blob stored under the same key', async () => {
      await store.putFile('uploads/a/two', await staged(store, new Uint8Array([1, 2, 3])));
      await store.putFile('uploads/a/two', await staged(store, new Uint8Array([9])));
      expect([...((await store.get('uploads/a/two')) ?? [])]).toEqual([9]);
    });

    it('answers undefined for a missing blob, and deleting one twice is fine', async () => {
      expect(await store.get('uploads/none')).toBeUndefined();
      expect(await store.stream('uploads/none')).toBeUndefined();
      await store.putFile('uploads/a/three', await staged(store, new Uint8Array([7])));
      await store.delete('uploads/a/three');
      await store.delete('uploads/a/three');
      expect(await store.get('uploads/a/three')).toBeUndefined();
    });

    it('lists blobs under a prefix with their sizes', async () => {
      await store.putFile('listing/x/1', await staged(store, new Uint8Array(5)));
      await store.putFile('listing/x/2', await staged(store, new Uint8Array(6)));
      await store.putFile('listing/y/1', await staged(store, new Uint8Array(7)));
      const listed = [];
      for await (const entry of store.list('listing/x/')) listed.push([entry.key, entry.size]);
      expect(listed.sort()).toEqual([
        ['listing/x/1', 5],
        ['listing/x/2', 6],
      ]);
    });

    it('refuses keys that could escape its root', async () => {
      const file = await staged(store, new Uint8Array([1]));
      for (const key of ['../escape', 'a/../../b', '/absolute', 'a//b', '', 'a/./b', 'a\\b', 'a/b\u0000']) {
        const error = await store.putFile(key, file).catch((caught: unknown) => caught);
        expect(GroundworkError.isInstance(error) && error.code, key).toBe('invalid_blob_key');
        await expect(store.get(key)).rejects.toThrow(/Refusing the blob key/);
      }
    });
  });
}

describe.runIf(motoBinary)('S3 blob store against a server that checks signatures', () => {
  it('reports a wrong secret as blob_store_unavailable, not a crash', async () => {
    moto ??= await startS3TestServer(motoBinary as string);
    const store = new S3BlobStore({
      bucket: moto.bucket,
      region: moto.region,
      endpoint: moto.endpoint,
      credentials: { ...moto.credentials, secretAccessKey: 'wrong-secret' },
    });
    const error = await store.get('uploads/anything').catch((caught: unknown) => caught);
    expect(GroundworkError.isInstance(error) && error.code).toBe('blob_store_unavailable');
    expect((error as Error).message).toMatch(/SignatureDoesNotMatch/);
    expect(existsSync(await store.stagingDir())).toBe(true);
  });
});
