/**
 * @module spec/file-parser
 * What the pipeline needs from the parsing layer as a whole: detect the type, route to the right
 * parser (sandboxed where the format is risky) and enforce the limits.
 */
import type { ParseResult } from './document.ts';
import type { ParserOptions } from './parser.ts';

/** Input of one file. */
export interface FileParseInput {
  readonly bytes: Uint8Array;
  readonly uri: string;
  readonly fileName?: string;
  readonly declaredType?: string;
  readonly options?: ParserOptions;
}

/** Parses whole files; throws `IngestError` with a code and a reason for files it cannot read. */
export interface FileParser {
  parse(input: FileParseInput): Promise<ParseResult & { readonly mediaType: string }>;
  /** Stops worker threads. */
  close(): Promise<void>;
}
