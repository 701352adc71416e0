/**
 * @module server/multipart-upload
 * Receives a multipart upload as a stream: each file goes straight to a staging file on disk while its
 * size is counted and its SHA-256 computed, so a request never holds a file in memory and a file over
 * the limit is cut off at the limit, not after it has been read. Fields are small and kept as text.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import {
  findStorageFull,
  InvalidRequestError,
  StorageFullError,
  TooLargeError,
  UnsupportedMediaError,
} from '../errors.ts';
import { formatBytes } from '../text/format-bytes.ts';

/** One received file, staged on disk. */
export interface ReceivedFile {
  readonly fileName: string;
  /** The type the client declared, if any. */
  readonly mediaType?: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** A whole received request. */
export interface ReceivedUpload {
  readonly files: readonly ReceivedFile[];
  /** Text fields; a repeated field keeps every value. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

/** Limits of one request. */
export interface UploadLimits {
  readonly maxFileBytes: number;
  /** Files per request. */
  readonly maxFiles: number;
  /** All files of the request together. */
  readonly maxTotalBytes: number;
  readonly stagingDir: string;
  /** The form field that carries files (others are refused). */
  readonly fileField?: string;
}

const MAX_FIELDS = 50;
const OVER_LIMIT = new Set(['payload_too_large', 'too_many_files']);
const MAX_FIELD_BYTES = 64 * 1024;

/** Streams `request`'s multipart body to staging files; on any failure nothing stays on disk. */
export async function receiveUpload(request: Request, limits: UploadLimits): Promise<ReceivedUpload> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(contentType) || !request.body) {
    throw new UnsupportedMediaError(
      'unsupported_media_type',
      'Upload files as multipart/form-data (field "file").',
    );
  }
  const fileField = limits.fileField ?? 'file';
  const files: ReceivedFile[] = [];
  const staged: string[] = [];
  const fields: Record<string, string[]> = {};
  const writes: Promise<void>[] = [];
  let total = 0;
  let failure: Error | undefined;
  const source = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream);
  const fail = (error: Error) => {
    failure ??= error;
    // Over a limit: stop reading now rather than swallow the rest of an oversize body.
    if (InvalidRequestError.isInstance(error) && OVER_LIMIT.has(error.code)) source.destroy();
  };

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      limits: {
        fileSize: limits.maxFileBytes,
        files: limits.maxFiles,
        fields: MAX_FIELDS,
        fieldSize: MAX_FIELD_BYTES,
      },
    });
  } catch {
    throw new InvalidRequestError('invalid_multipart', 'The multipart body could not be read.');
  }
  parser.on('file', (name, stream, info) => {
    if (failure || name !== fileField) {
      if (!failure && name !== fileField)
        fail(
          new InvalidRequestError(
            'invalid_multipart',
            `Unexpected file field "${name}"; use "${fileField}".`,
          ),
        );
      stream.resume();
      return;
    }
    const fileName = info.filename || 'upload';
    if (!isPrintable(fileName) || fileName.length > 1024) {
      fail(
        new InvalidRequestError('invalid_file_name', 'A file name has control characters or is too long.'),
      );
      stream.resume();
      return;
    }
    const target = path.join(limits.stagingDir, `upload-${randomUUID()}`);
    staged.push(target);
    const hash = createHash('sha256');
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      total += chunk.byteLength;
      hash.update(chunk);
      if (total > limits.maxTotalBytes)
        fail(
          new TooLargeError(
            'payload_too_large',
            `The files of one request may total ${formatBytes(limits.maxTotalBytes)}; send them in several requests.`,
          ),
        );
    });
    stream.on('limit', () =>
      fail(
        new TooLargeError(
          'payload_too_large',
          `${fileName} is larger than the ${formatBytes(limits.maxFileBytes)} limit (limits.maxFileBytes).`,
        ),
      ),
    );
    writes.push(
      new Promise<void>((resolve) => {
        const out = createWriteStream(target, { flags: 'wx' });
        let broken = false;
        out.on('error', (error) => {
          if (broken) return;
          broken = true;
          // A staging file that cannot be written (a full disk): the rest of this file is read and
          // dropped, so the parser reaches the end of the request and the caller gets an answer
          // (a client that is still sending would otherwise see only a closed socket).
          stream.unpipe(out);
          stream.resume();
          fail(new StagingWriteError(error));
          resolve();
        });
        out.on('finish', () => {
          if (!broken) {
            const mediaType =
              info.mimeType && info.mimeType !== 'application/octet-stream' ? info.mimeType : undefined;
            files.push({ fileName, mediaType, path: target, size, sha256: hash.digest('hex') });
          }
          resolve();
        });
        // The request was cut short (a refusal destroyed it, or the client went away): nothing of
        // this file is kept, and whatever stopped it is the request's failure.
        stream.on('error', (error) => {
          if (broken) return;
          broken = true;
          out.destroy();
          fail(error);
          resolve();
        });
        stream.pipe(out);
      }),
    );
  });
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(new TooLargeError('payload_too_large', `The field "${name}" is too long.`));
    fields[name] = [...(fields[name] ?? []), value];
  });
  parser.on('filesLimit', () =>
    fail(new TooLargeError('too_many_files', `Send at most ${limits.maxFiles} files per request.`)),
  );
  parser.on('fieldsLimit', () => fail(new InvalidRequestError('invalid_multipart', 'Too many form fields.')));

  try {
    await pipeline(source, parser);
    await Promise.all(writes);
  } catch (error) {
    fail(
      failure ??
        (error instanceof InvalidRequestError
          ? error
          : new InvalidRequestError('invalid_multipart', 'The multipart body could not be read.')),
    );
    await Promise.allSettled(writes);
  }
  if (failure) {
    await Promise.all(staged.map((file) => rm(file, { force: true })));
    if (InvalidRequestError.isInstance(failure)) throw failure;
    if (failure instanceof StagingWriteError) {
      // The server's own failure, not the body's: a full disk is a 507, anything else a 500.
      throw findStorageFull(failure.cause) ? new StorageFullError({ cause: failure.cause }) : failure;
    }
    throw new InvalidRequestError('invalid_multipart', 'The multipart body could not be read.');
  }
  // Files in the order they were sent.
  files.sort((left, right) => staged.indexOf(left.path) - staged.indexOf(right.path));
  return { files, fields };
}

/** A staging file could not be written: the server's failure, not the request's. */
class StagingWriteError extends Error {
  constructor(cause: Error) {
    super(`Could not write an upload's staging file: ${cause.message}`, { cause });
    this.name = 'StagingWriteError';
  }
}

/** Removes staged files that were not stored (a later failure in the request). */
export async function discardUpload(upload: ReceivedUpload): Promise<void> {
  await Promise.all(upload.files.map((file) => rm(file.path, { force: true })));
}

function isPrintable(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  return !/[\u0000-\u001f\u007f]/.test(text) && !text.includes('\uFFFD');
}
