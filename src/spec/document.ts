/**
 * @module spec/document
 * The normalised shape every parser produces and every chunker consumes. Parsers keep the structure
 * (headings, pages, list items, tables, code) so chunking can respect it and citations can point to it.
 */

/** The kinds of block a parser can emit. */
export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'table' | 'code' | 'quote';

/** One structural unit of a document, in reading order. */
export interface Block {
  readonly kind: BlockKind;
  /** Plain text of the block; tables are rendered as one row per line with cells separated by ` | `. */
  readonly text: string;
  /** Heading level 1–6; only for `heading` blocks. */
  readonly level?: number;
  /** 1-based page number, for paged formats (PDF). */
  readonly page?: number;
}

/** A parsed document, before chunking. */
export interface ParsedDocument {
  /**
   * Distinguishes several documents parsed from one file (CSV/JSON records). Undefined for a file that
   * is one document. The document's source URI becomes `<file uri>#<key>`.
   */
  readonly key?: string;
  readonly title?: string;
  readonly blocks: readonly Block[];
  /** Fields the parser found (record fields, PDF info, HTML meta); merged into the document metadata. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly pageCount?: number;
  /** Pages that had no text layer; `ocr` tells whether OCR recovered their text. */
  readonly scannedPages?: readonly { page: number; ocr: boolean }[];
}

/** What a parser returns: the documents, plus non-fatal remarks worth showing to the user. */
export interface ParseResult {
  readonly documents: readonly ParsedDocument[];
  readonly warnings: readonly string[];
}
