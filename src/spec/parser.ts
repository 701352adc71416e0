/**
 * @module spec/parser
 * The port every document parser implements.
 */
import type { ParseResult } from './document.ts';

/** The bytes to parse and what is known about them. */
export interface ParserInput {
  readonly bytes: Uint8Array;
  /** Where the bytes came from (file path or URL); used in messages only. */
  readonly uri: string;
  /** Media type after detection, e.g. `application/pdf`. */
  readonly mediaType: string;
  /** Options that only some parsers read (record field mapping, OCR switch). */
  readonly options?: ParserOptions;
  /** Aborted when the per-file time limit is reached. */
  readonly signal?: AbortSignal;
}

/** Options for parsers; each parser reads the part it understands. */
export interface ParserOptions {
  /** For CSV/JSON records: which field is the record id, which is the title, which hold the text. */
  readonly records?: {
    readonly idField?: string;
    readonly titleField?: string;
    readonly textFields?: readonly string[];
  };
  /** Run OCR on pages with no text layer when an OCR engine is installed. Default true. */
  readonly ocr?: boolean;
}

/** Implemented by each format adapter in `ingest/parsers/`. */
export interface DocumentParser {
  readonly specificationVersion: 'v1';
  /** Stable name, e.g. `pdf`, used in job reports. */
  readonly name: string;
  /** Media types this parser accepts. */
  readonly mediaTypes: readonly string[];
  /**
   * Parses the input. Throws an `IngestError` (with a stable code and a reason a user can act on) for
   * input it cannot read; never returns a half-parsed document without saying so in `warnings`.
   */
  parse(input: ParserInput): Promise<ParseResult>;
}
