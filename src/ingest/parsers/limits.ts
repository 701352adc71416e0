/**
 * @module ingest/parsers/limits
 * The limits that keep one bad file from hurting the ingestion process, and their defaults.
 */
import { availableParallelism } from 'node:os';
import { IngestError } from '../../errors.ts';
import { formatBytes } from '../../text/format-bytes.ts';

const MB = 1024 * 1024;

/** Per-file limits of parsing. Every field has a default; pass only what you change. */
export interface ParserLimits {
  /** Largest input accepted, checked against the size before the file is read. Default 100 MB. */
  readonly maxInputBytes: number;
  /** PDFs with more pages fail with `limit_exceeded`. Default 2,000. */
  readonly maxPages: number;
  /**
   * Wall-clock limit per file. Sandboxed parsers (PDF, DOCX) are terminated when it passes; the
   * in-process ones only get an aborted signal. OCR shares this budget. Default 60 s.
   */
  readonly timeoutMs: number;
  /** V8 heap limit of each sandbox worker. Default 512 MB. */
  readonly memoryLimitMb: number;
  /** Growth of resident memory allowed per busy worker (heap plus buffers). Default 2 × `memoryLimitMb`. */
  readonly rssAllowanceMb?: number;
  /** Sandbox workers. Default `availableParallelism() - 1`, at least 1. */
  readonly poolSize: number;
  /** DOCX: total declared uncompressed size of the archive. Default 512 MB. */
  readonly maxUnzippedBytes: number;
  /** DOCX: largest compression ratio accepted for an entry over 1 MB. Default 200. */
  readonly maxCompressionRatio: number;
  /** Limit of each OCR tool run on one page. Default 60 s. */
  readonly ocrPageTimeoutMs: number;
  /**
   * Files of at least this many bytes are parsed, chunked and analysed in a sandbox worker even when
   * their parser is light (text, HTML, Markdown, records), so the process's event loop stays free
   * (ADR 0057); smaller ones take a few milliseconds in-process. PDF and DOCX always use a worker.
   * Default 64 KiB; 0 sends every file to a worker.
   */
  readonly offThreadBytes: number;
}

/** The defaults, as documented on {@link ParserLimits}. */
export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxInputBytes: 100 * MB,
  maxPages: 2000,
  timeoutMs: 60_000,
  memoryLimitMb: 512,
  poolSize: Math.max(1, availableParallelism() - 1),
  maxUnzippedBytes: 512 * MB,
  maxCompressionRatio: 200,
  ocrPageTimeoutMs: 60_000,
  offThreadBytes: 64 * 1024,
};

/** Fills in defaults. */
export function resolveLimits(limits: Partial<ParserLimits> = {}): ParserLimits {
  return { ...DEFAULT_PARSER_LIMITS, ...limits };
}

/** Throws `too_large` when `size` bytes exceed the input limit; call it before reading a file. */
export function assertInputSize(size: number, limits: Pick<ParserLimits, 'maxInputBytes'>): void {
  if (size <= limits.maxInputBytes) return;
  throw new IngestError(
    'too_large',
    `The file is ${formatBytes(size)}, more than the limit of ${formatBytes(limits.maxInputBytes)}; split it or raise maxInputBytes`,
  );
}
