/**
 * @module spec/blob-store
 * The blob store port: where original files live (uploads today; bucket sources later), outside the
 * database and outside the request's memory. Keys are relative, slash-separated names chosen by the
 * product (`uploads/<tenant>/<id>`), never by a caller.
 */

/** What is known about a stored blob. */
export interface BlobInfo {
  readonly key: string;
  readonly size: number;
}

/** A stored blob's listing entry (for garbage collection). */
export interface BlobEntry extends BlobInfo {
  readonly modifiedAt: Date;
}

/** Where blobs live. Adapters: a folder (embedded default, or a shared volume) and S3-compatible stores. */
export interface BlobStore {
  readonly specificationVersion: 'v1';
  /** `file:///…` or `s3://bucket/prefix` (no credentials), for banners and errors. */
  readonly location: string;
  /**
   * Stores the file at `localPath` under `key`. The file is consumed: a folder store moves it into
   * place, a remote store uploads it and the caller deletes it. Replaces an existing blob.
   */
  putFile(key: string, localPath: string, options?: { readonly contentType?: string }): Promise<BlobInfo>;
  /** The whole blob, or undefined when there is none. Callers bound sizes (`limits.maxFileBytes`). */
  get(key: string): Promise<Uint8Array | undefined>;
  /** The blob as a stream (downloads), or undefined when there is none. */
  stream(
    key: string,
  ): Promise<{ readonly body: ReadableStream<Uint8Array>; readonly size: number } | undefined>;
  /** Removes a blob; removing one that is gone is not an error. */
  delete(key: string): Promise<void>;
  /** Blobs whose key starts with `prefix`, for garbage collection. */
  list(prefix: string): AsyncIterable<BlobEntry>;
  /** A folder on this machine where incoming files are staged before `putFile` (same volume when local). */
  stagingDir(): Promise<string>;
}
