/**
 * @module ingest/parsers
 * The parser registry: detects a file's type, enforces the limits, and hands the file to the
 * right parser. PDF and DOCX (large in-memory libraries, hostile inputs in the wild) run in the
 * worker sandbox; HTML, Markdown, text and records run in-process. `prepare` also chunks and
 * analyses the file, in the same worker for PDF, DOCX and every file of `offThreadBytes` or more
 * (ADR 0057), so large items never occupy the event loop.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError, GroundworkError, IngestError } from '../../errors.ts';
import type { ParseResult } from '../../spec/document.ts';
import type { DocumentParser, ParserOptions } from '../../spec/parser.ts';
import {
  fileHashOf,
  type PreparedFile,
  type PreparePipeline,
  type PrepareSpec,
  prepareParsed,
} from '../prepare/prepare-file.ts';
import { detectMediaType } from './detect-media-type.ts';
import { HtmlParser } from './html.ts';
import { assertInputSize, type ParserLimits, resolveLimits } from './limits.ts';
import { MarkdownParser } from './markdown.ts';
import { MEDIA_TYPE } from './media-types.ts';
import { RecordsParser } from './records.ts';
import { type ParserModuleRef, ParserSandbox } from './sandbox.ts';
import { TextParser } from './text.ts';

export { detectMediaType } from './detect-media-type.ts';
export { DEFAULT_PARSER_LIMITS, type ParserLimits } from './limits.ts';
export { MEDIA_TYPE } from './media-types.ts';

/** Where the bytes come from: in memory, or a reader called only after `size` passed the limit. */
export type ParseSource =
  | { readonly bytes: Uint8Array }
  | { readonly size: number; readonly read: () => Promise<Uint8Array> };

/** One file to parse. */
export type ParseRequest = ParseSource & {
  /** Where the file came from; used in messages, and for its extension unless `fileName` is given. */
  readonly uri: string;
  readonly fileName?: string;
  /** Content type a server declared, if any. */
  readonly declaredType?: string;
  readonly options?: ParserOptions;
  readonly signal?: AbortSignal;
};

/** A parse result, with the detected media type and the parser that produced it. */
export interface ParsedFile extends ParseResult {
  readonly mediaType: string;
  readonly parser: string;
}

/** Parses files of every supported type. */
export interface ParserRegistry {
  /**
   * Detects the type and parses. Takes ownership of in-memory `bytes` (they may be moved to a
   * worker). Failures throw `IngestError` with a stable code.
   */
  parse(request: ParseRequest): Promise<ParsedFile>;
  /**
   * Parses the file and prepares it for storage (hash, chunk, analyse): in a sandbox worker for PDF,
   * DOCX and files of `limits.offThreadBytes` or more, in-process otherwise. An unchanged file (its
   * hash equals `spec.unchangedIfFileHash`) is not parsed. Takes ownership of in-memory bytes.
   */
  prepare(request: ParseRequest, prepare: PrepareRequest): Promise<PreparedFile>;
  /** Parses a file from disk, checking its size before reading it. */
  parseFile(filePath: string, options?: ParserOptions, signal?: AbortSignal): Promise<ParsedFile>;
  /** Stops the sandbox workers. */
  close(): Promise<void>;
  readonly limits: ParserLimits;
}

/** How to prepare: the spec, and the pipeline in-process and by name for a worker. */
export interface PrepareRequest {
  readonly spec: PrepareSpec;
  /** The in-process pipeline (small files). */
  readonly pipeline: PreparePipeline;
  /** The same pipeline as a worker builds it. */
  readonly pipelineRef: ParserModuleRef;
}

const MODULE_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

function sibling(name: string): string {
  return new URL(`./${name}${MODULE_EXTENSION}`, import.meta.url).href;
}

/**
 * Creates the registry; the sandbox starts lazily with the first PDF or DOCX.
 * @example
 * const parsers = createParserRegistry({ timeoutMs: 120_000 });
 * const { documents, warnings } = await parsers.parseFile('manual.pdf');
 * await parsers.close();
 */
export function createParserRegistry(limits: Partial<ParserLimits> = {}): ParserRegistry {
  const resolved = resolveLimits(limits);
  const sandboxed: Record<string, { name: string; ref: ParserModuleRef }> = {
    [MEDIA_TYPE.pdf]: {
      name: 'pdf',
      ref: {
        module: sibling('pdf'),
        factory: 'createPdfParser',
        options: { maxPages: resolved.maxPages, ocrPageTimeoutMs: resolved.ocrPageTimeoutMs },
      },
    },
    [MEDIA_TYPE.docx]: {
      name: 'docx',
      ref: {
        module: sibling('docx'),
        factory: 'createDocxParser',
        options: {
          maxUnzippedBytes: resolved.maxUnzippedBytes,
          maxCompressionRatio: resolved.maxCompressionRatio,
        },
      },
    },
  };
  const inProcess = new Map<string, DocumentParser>();
  const light: Record<string, { name: string; ref: ParserModuleRef }> = {};
  for (const [parser, module, factory] of [
    [new HtmlParser(), 'html', 'createHtmlParser'],
    [new MarkdownParser(), 'markdown', 'createMarkdownParser'],
    [new TextParser(), 'text', 'createTextParser'],
    [new RecordsParser(), 'records', 'createRecordsParser'],
  ] as const) {
    for (const mediaType of parser.mediaTypes) {
      inProcess.set(mediaType, parser);
      light[mediaType] = { name: parser.name, ref: { module: sibling(module), factory } };
    }
  }
  let sandbox: ParserSandbox | undefined;
  const pool = () =>
    (sandbox ??= new ParserSandbox({
      poolSize: resolved.poolSize,
      timeoutMs: resolved.timeoutMs,
      memoryLimitMb: resolved.memoryLimitMb,
      rssAllowanceMb: resolved.rssAllowanceMb,
    }));

  /** The file's bytes (read after the size check) and its detected type. */
  const open = async (request: ParseRequest) => {
    let bytes: Uint8Array;
    if ('bytes' in request) bytes = request.bytes;
    else {
      assertInputSize(request.size, resolved);
      bytes = await request.read();
    }
    assertInputSize(bytes.byteLength, resolved);
    const fileName = request.fileName ?? path.basename(request.uri.split(/[?#]/)[0] ?? '');
    const mediaType = detectMediaType(bytes, fileName, request.declaredType);
    return { bytes, uri: request.uri, mediaType, options: request.options };
  };

  const parse = async (request: ParseRequest): Promise<ParsedFile> => {
    const input = await open(request);
    const { mediaType } = input;
    const heavy = sandboxed[mediaType];
    if (heavy) {
      const result = await pool().run(heavy.ref, { ...input, signal: request.signal });
      return { ...result, mediaType, parser: heavy.name };
    }
    return parseInProcess(input, request.signal);
  };

  const parseInProcess = async (
    input: Awaited<ReturnType<typeof open>>,
    callerSignal: AbortSignal | undefined,
  ): Promise<ParsedFile> => {
    const { mediaType } = input;
    const request = { signal: callerSignal };
    const parser = inProcess.get(mediaType)!;
    const timeout = AbortSignal.timeout(resolved.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      const result = await parser.parse({ ...input, signal });
      return { ...result, mediaType, parser: parser.name };
    } catch (error) {
      // A library tripping over odd input is still a per-file failure with a code, as in the sandbox.
      if (GroundworkError.isInstance(error) || request.signal?.aborted) throw error;
      throw new IngestError('corrupt', `The ${parser.name} parser failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  };

  const prepare = async (request: ParseRequest, how: PrepareRequest): Promise<PreparedFile> => {
    const input = await open(request);
    const { mediaType, bytes } = input;
    const worker =
      sandboxed[mediaType] ?? (bytes.byteLength >= resolved.offThreadBytes ? light[mediaType] : undefined);
    if (worker) {
      const prepared = await pool().runPrepared(
        worker.ref,
        { ...input, signal: request.signal },
        { pipeline: how.pipelineRef, spec: how.spec },
      );
      return prepared.unchanged ? prepared : { ...prepared, mediaType, parser: worker.name };
    }
    const fileHash = fileHashOf(bytes, how.spec);
    if (how.spec.unchangedIfFileHash === fileHash) return { fileHash, unchanged: true };
    const parsed = await parseInProcess(input, request.signal);
    const documents = prepareParsed(parsed, { originUri: request.uri, fileHash }, how.spec, how.pipeline);
    return {
      fileHash,
      unchanged: false,
      mediaType,
      parser: parsed.parser,
      warnings: parsed.warnings,
      documents,
    };
  };

  return {
    limits: resolved,
    parse,
    prepare,
    async parseFile(filePath, options, signal) {
      const { size } = await stat(filePath);
      return parse({ uri: filePath, size, read: () => readFile(filePath), options, signal });
    },
    async close() {
      await sandbox?.close();
      sandbox = undefined;
    },
  };
}
