/**
 * @module ingest/parsers/pdf
 * PDF parser on pdf.js (through unpdf): text per page rebuilt into lines and paragraphs, headings
 * guessed from font sizes, pages kept on every block, OCR for pages without a text layer.
 * pdf.js runs on the calling thread here, so the registry runs this parser inside the sandbox.
 */
import { IngestError } from '../../errors.ts';
import type { ParsedDocument, ParseResult } from '../../spec/document.ts';
import type { DocumentParser, ParserInput } from '../../spec/parser.ts';
import { MEDIA_TYPE } from './media-types.ts';
import { findOcrTools, OCR_INSTALL_HINT, type OcrTools } from './ocr.ts';
import { pagesToBlocks } from './pdf-blocks.ts';
import { installedPdfjsDir, openPdf, readPages } from './pdf-document.ts';
import { pdfMetadata, pdfTitle } from './pdf-metadata.ts';
import { recoverScannedPages } from './pdf-ocr.ts';

/** Settings of the PDF parser. */
export interface PdfParserOptions {
  /** PDFs with more pages fail with `limit_exceeded`. Default 2,000. */
  readonly maxPages?: number;
  /** Limit for each OCR tool run (rasterising, recognising) on one page. Default 60 s. */
  readonly ocrPageTimeoutMs?: number;
  /** OCR binaries; by default looked up on `PATH`. `null` means OCR is not available. */
  readonly ocrTools?: OcrTools | null;
  /**
   * Directory of a `pdfjs-dist` package, whose `cmaps/` and `standard_fonts/` let pdf.js read CJK
   * text in fonts that rely on predefined CMaps. Default: the installed `pdfjs-dist`, if any.
   */
  readonly pdfjsDataDir?: string;
}

/** Parses PDFs; one document per file. */
export class PdfParser implements DocumentParser {
  readonly specificationVersion = 'v1';
  readonly name = 'pdf';
  readonly mediaTypes = [MEDIA_TYPE.pdf];

  constructor(private readonly options: PdfParserOptions = {}) {}

  async parse(input: ParserInput): Promise<ParseResult> {
    const turnedOff = input.options?.ocr === false;
    const configured = this.options.ocrTools;
    const tools = turnedOff ? null : configured === undefined ? findOcrTools() : configured;
    // pdf.js takes ownership of (detaches) the buffer it is given; OCR needs the bytes afterwards.
    const ocrBytes = tools ? input.bytes.slice() : undefined;
    const pdf = await openPdf(input.bytes, this.options.pdfjsDataDir ?? installedPdfjsDir());
    try {
      const maxPages = this.options.maxPages ?? 2000;
      if (pdf.numPages > maxPages) {
        throw new IngestError(
          'limit_exceeded',
          `The PDF has ${pdf.numPages} pages, more than the limit of ${maxPages}; split it or raise the page limit`,
        );
      }
      const warnings: string[] = [];
      const pages = await readPages(pdf, warnings, input.signal);
      const emptyPages = pages
        .filter((page) => page.paragraphs.length === 0 && !page.failed)
        .map((page) => page.page);
      const scannedPages = await recoverScannedPages({
        emptyPages,
        pages,
        tools,
        bytes: ocrBytes,
        turnedOff,
        pageTimeoutMs: this.options.ocrPageTimeoutMs ?? 60_000,
        signal: input.signal,
        warnings,
      });
      const blocks = pagesToBlocks(pages);
      if (blocks.length === 0) throw noText(pages.length, emptyPages.length, tools, turnedOff);
      const info = ((await pdf.getMetadata().catch(() => undefined))?.info ?? {}) as Record<string, unknown>;
      const document: ParsedDocument = {
        title: pdfTitle(info, blocks),
        blocks,
        metadata: pdfMetadata(info),
        pageCount: pdf.numPages,
        ...(scannedPages.length > 0 ? { scannedPages } : {}),
      };
      return { documents: [document], warnings };
    } finally {
      await pdf.destroy().catch(() => undefined);
    }
  }
}

function noText(
  pageCount: number,
  emptyCount: number,
  tools: OcrTools | null,
  turnedOff: boolean,
): IngestError {
  if (emptyCount < pageCount) return new IngestError('no_text', 'The PDF has no readable text');
  const scanned = 'The PDF has no text layer (its pages are scanned images, or blank)';
  if (turnedOff) return new IngestError('no_text', `${scanned} and OCR is turned off`);
  if (!tools) return new IngestError('no_text', `${scanned} and OCR is not installed (${OCR_INSTALL_HINT})`);
  return new IngestError('no_text', 'The PDF has no text layer and OCR found no text in it');
}

/** Creates the PDF parser; the sandbox worker calls this by name. */
export function createPdfParser(options: PdfParserOptions = {}): DocumentParser {
  return new PdfParser(options);
}
