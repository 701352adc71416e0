/**
 * @module blobs/filesystem-blob-store
 * Blobs as files under one folder: the embedded default (`<data dir>/blobs`), or a volume shared by
 * the API and worker processes. Incoming files are staged in `<root>/.staging`, on the same volume, so
 * storing one is a rename: no copy, no second read, atomic for readers.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { BlobEntry, BlobInfo, BlobStore } from '../spec/blob-store.ts';
import { assertBlobKey } from './blob-key.ts';

const STAGING = '.staging';

/** A blob store in a folder. */
export class FilesystemBlobStore implements BlobStore {
  readonly specificationVersion = 'v1';
  readonly location: string;

  constructor(private readonly root: string) {
    this.location = pathToFileURL(root).href;
  }

  async putFile(key: string, localPath: string): Promise<BlobInfo> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(localPath, target);
    return { key, size: (await stat(target)).size };
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async stream(key: string) {
    const file = this.pathOf(key);
    try {
      const { size } = await stat(file);
      return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    assertBlobKey(prefix, { prefix: true });
    // Walk the folder the prefix names (or its parent, for a partial last segment).
    const start = prefix.endsWith('/') || prefix === '' ? prefix : path.posix.dirname(prefix);
    const folder = path.join(this.root, start === '.' ? '' : start);
    for await (const entry of walk(folder)) {
      const key = path.relative(this.root, entry).split(path.sep).join('/');
      if (!key.startsWith(prefix) || key.startsWith(`${STAGING}/`)) continue;
      const info = await stat(entry).catch(() => undefined);
      if (info) yield { key, size: info.size, modifiedAt: info.mtime };
    }
  }

  async stagingDir(): Promise<string> {
    const folder = path.join(this.root, STAGING);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  private pathOf(key: string): string {
    assertBlobKey(key);
    return path.join(this.root, ...key.split('/'));
  }
}

async function* walk(folder: string): AsyncIterable<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
