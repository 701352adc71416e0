/**
 * @module ingest/prepare/prepare-file
 * Turns a parsed file into what the store writes, short of embeddings: each document's content hash
 * and its chunks with their lexical postings. Pure CPU work with no I/O, so it runs wherever the
 * file's parser ran: in a worker thread of the parser sandbox for large or risky files (the API's
 * event loop stays free; ADR 0057), in-process for small ones. Postings travel packed (one string of
 * terms and one typed array of frequencies per chunk), which costs the receiving thread a fraction of
 * what millions of map entries would.
 */
import { createHash } from 'node:crypto';
import type { PiiType } from '../../guardrails/pii.ts';
import type { Chunker, ChunkingOptions } from '../../spec/chunk.ts';
import type { ParseResult } from '../../spec/document.ts';
import type { LexicalAnalyzer } from '../../spec/lexical.ts';
import type { ParserOptions } from '../../spec/parser.ts';
import { indexText } from '../index-text.ts';
import { redactDocument, redactionMarker } from '../redaction.ts';

/** Separates the terms of a chunk in `PreparedChunk.terms`; no analyzer term contains it. */
export const TERM_SEPARATOR = '\u0000';

/** The chunker and analyzer that prepare files; a worker builds its own from a module (see below). */
export interface PreparePipeline {
  readonly chunker: Chunker;
  readonly analyzer: LexicalAnalyzer;
}

/** What preparation needs besides the file (structured-cloneable: it crosses to workers). */
export interface PrepareSpec {
  readonly chunking: ChunkingOptions;
  /** The stored hash of the file when only its content can have changed: equal means unchanged. */
  readonly unchangedIfFileHash?: string;
  /** Stored content hash by document URI; documents with the same hash are not chunked again. */
  readonly storedDocumentHashes?: Readonly<Record<string, string>>;
  /** PII kinds taken out of every text before it is hashed, chunked or analysed (ADR 0032). */
  readonly redact?: readonly PiiType[];
}

/** One chunk ready to store. */
export interface PreparedChunk {
  readonly ordinal: number;
  readonly text: string;
  readonly headingPath: readonly string[];
  readonly page?: number;
  readonly tokenCount: number;
  readonly lexicalLength: number;
  /** The chunk's distinct terms joined by `TERM_SEPARATOR`, in the order of `frequencies`. */
  readonly terms: string;
  readonly frequencies: Uint32Array;
}

/** One document of the file. */
export interface PreparedDocument {
  readonly key?: string;
  readonly title?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly pageCount?: number;
  readonly contentHash: string;
  /** Null when the stored document has the same content hash (nothing to rewrite). */
  readonly chunks: readonly PreparedChunk[] | null;
}

/** A prepared file: unchanged (by its hash), or its documents. */
export type PreparedFile =
  | { readonly fileHash: string; readonly unchanged: true }
  | {
      readonly fileHash: string;
      readonly unchanged: false;
      readonly mediaType: string;
      readonly parser: string;
      readonly warnings: readonly string[];
      readonly documents: readonly PreparedDocument[];
    };

/** Hex SHA-256 of bytes or a string. */
export function sha256(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The hash a file is stored under. Redaction is part of what is stored, so turning it on or off (or
 * changing its kinds) must not look "unchanged": the kinds are folded into the hash.
 */
export function fileHashOf(bytes: Uint8Array, spec: Pick<PrepareSpec, 'redact'>): string {
  const marker = redactionMarker(spec.redact);
  return marker ? sha256(Buffer.concat([bytes, Buffer.from(`\0${marker}`)])) : sha256(bytes);
}

/** The URI a document of the file at `originUri` is stored under. */
export function documentUri(originUri: string, key: string | undefined): string {
  return key === undefined ? originUri : `${originUri}#${key}`;
}

/** Hashes, chunks and analyses every document of a parse result. */
export function prepareParsed(
  parsed: ParseResult,
  context: { readonly originUri: string; readonly fileHash: string },
  spec: PrepareSpec,
  pipeline: PreparePipeline,
): PreparedDocument[] {
  return parsed.documents.map((parsedDocument) => {
    const document = spec.redact ? redactDocument(parsedDocument, spec.redact) : parsedDocument;
    const contentHash = document.key === undefined ? context.fileHash : sha256(JSON.stringify(document));
    const stored = spec.storedDocumentHashes?.[documentUri(context.originUri, document.key)];
    const base = {
      key: document.key,
      title: document.title,
      metadata: document.metadata,
      pageCount: document.pageCount,
      contentHash,
    };
    if (stored === contentHash) return { ...base, chunks: null };
    const drafts = pipeline.chunker.chunk(document, spec.chunking);
    const chunks = drafts.map((draft): PreparedChunk => {
      const text = indexText(document.title, draft.headingPath, draft.text);
      const { frequencies, length } = pipeline.analyzer.termFrequencies(text);
      const counts = new Uint32Array(frequencies.size);
      let index = 0;
      for (const count of frequencies.values()) counts[index++] = count;
      return {
        ordinal: draft.ordinal,
        text: draft.text,
        headingPath: draft.headingPath,
        page: draft.page,
        tokenCount: draft.tokenCount,
        lexicalLength: length,
        terms: [...frequencies.keys()].join(TERM_SEPARATOR),
        frequencies: counts,
      };
    });
    return { ...base, chunks };
  });
}

/** The postings of a prepared chunk as `[term, frequency]` pairs, unpacked lazily. */
export function* postingsOf(chunk: PreparedChunk): Generator<[string, number]> {
  if (chunk.frequencies.length === 0) return;
  const terms = chunk.terms.split(TERM_SEPARATOR);
  for (let index = 0; index < terms.length; index++) {
    yield [terms[index] as string, chunk.frequencies[index] as number];
  }
}

/** One file to prepare (`IngestContext.preparer`). */
export interface FilePrepareInput {
  readonly bytes: Uint8Array;
  readonly uri: string;
  readonly fileName?: string;
  readonly declaredType?: string;
  readonly options?: ParserOptions;
  readonly spec: PrepareSpec;
}

/** Parses and prepares files; the composition root decides where (worker threads or in-process). */
export interface FilePreparer {
  /** Takes ownership of `bytes` (they may move to a worker thread). */
  prepare(input: FilePrepareInput): Promise<PreparedFile>;
}
