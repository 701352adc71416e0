/**
 * @module ingest/parsers/pdf
 * PDF parser on pdf.js (through unpdf): text per page rebuilt into lines and paragraphs, headings
 * guessed from font sizes, pages kept on every block, OCR for pages without a text layer.
 * pdf.js runs on the calling thread here, so the registry runs this parser inside the sandbox.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocumentProxy } from 'unpdf';
import { IngestError } from '../../errors.ts';
import type { ParsedDocument, ParseResult } from '../../spec/document.ts';
import type { DocumentParser, ParserInput } from '../../spec/parser.ts';
import { MEDIA_TYPE } from './media-types.ts';
import { findOcrTools, OCR_INSTALL_HINT, type OcrTools, openOcrSession } from './ocr.ts';
import { type PageParagraphs, pagesToBlocks } from './pdf-blocks.ts';
import {
  buildLines,
  buildParagraphs,
  joinLines,
  type PositionedText,
  type TextParagraph,
} from './pdf-layout.ts';
import { pdfMetadata, pdfTitle } from './pdf-metadata.ts';

/** Settings of the PDF parser. */
export interface PdfParserOptions {
  /** PDFs with more pages fail with `limit_exceeded`. Default 2,000. */
  readonly maxPages?: number;
  /** Limit for each OCR tool run (rasterising, recognising) on one page. Default 60 s. */
  readonly ocrPageTimeoutMs?: number;
  /** Epoch milliseconds after which no more pages are OCRed; the rest are reported as not recovered. */
  readonly ocrDeadline?: number;
  /** OCR binaries; by default looked up on `PATH`. `null` means OCR is not available. */
  readonly ocrTools?: OcrTools | null;
  /**
   * Directory of a `pdfjs-dist` package, whose `cmaps/` and `standard_fonts/` let pdf.js read CJK
   * text in fonts that rely on predefined CMaps. Default: the installed `pdfjs-dist`, if any.
   */
  readonly pdfjsDataDir?: string;
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** Parses PDFs; one document per file. */
export class PdfParser implements DocumentParser {
  readonly specificationVersion = 'v1';
  readonly name = 'pdf';
  readonly mediaTypes = [MEDIA_TYPE.pdf];

  constructor(private readonly options: PdfParserOptions = {}) {}

  async parse(input: ParserInput): Promise<ParseResult> {
    const tools = input.options?.ocr === false ? null : (this.options.ocrTools ?? findOcrTools());
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
      const empty = pages
        .filter((page) => page.paragraphs.length === 0 && !page.failed)
        .map((page) => page.page);
      const scannedPages = await this.recoverScannedPages(empty, pages, tools, ocrBytes, input, warnings);
      const blocks = pagesToBlocks(pages);
      if (blocks.length === 0) throw noText(pages.length, empty.length, tools, input.options?.ocr === false);
      const info = await pdf.getMetadata().catch(() => undefined);
      const infoRecord = (info?.info ?? {}) as Record<string, unknown>;
      const document: ParsedDocument = {
        title: pdfTitle(infoRecord, blocks),
        blocks,
        metadata: pdfMetadata(infoRecord),
        pageCount: pdf.numPages,
        ...(scannedPages.length > 0 ? { scannedPages } : {}),
      };
      return { documents: [document], warnings };
    } finally {
      await pdf.destroy().catch(() => undefined);
    }
  }

  /** OCRs the pages without text when possible; returns the `scannedPages` record. */
  private async recoverScannedPages(
    empty: readonly number[],
    pages: PageText[],
    tools: OcrTools | null,
    bytes: Uint8Array | undefined,
    input: ParserInput,
    warnings: string[],
  ): Promise<{ page: number; ocr: boolean }[]> {
    if (empty.length === 0) return [];
    const count = empty.length === 1 ? '1 page has' : `${empty.length} pages have`;
    if (!tools || !bytes) {
      warnings.push(
        input.options?.ocr === false
          ? `${count} no text layer and OCR is turned off`
          : `${count} no text layer and OCR is not installed (${OCR_INSTALL_HINT})`,
      );
      return empty.map((page) => ({ page, ocr: false }));
    }
    const session = await openOcrSession(tools, bytes);
    const recovered = new Set<number>();
    try {
      for (const number of empty) {
        if (this.options.ocrDeadline !== undefined && Date.now() > this.options.ocrDeadline) {
          warnings.push(`OCR stopped at page ${number} to stay within the time limit`);
          break;
        }
        try {
          const text = await session.recognise(number, this.options.ocrPageTimeoutMs ?? 60_000, input.signal);
          const paragraphs = ocrParagraphs(text);
          const page = pages[number - 1];
          if (page && paragraphs.length > 0) {
            pages[number - 1] = { ...page, paragraphs };
            recovered.add(number);
          }
        } catch (error) {
          warnings.push(`OCR of page ${number} failed: ${(error as Error).message}`);
        }
      }
    } finally {
      await session.dispose();
    }
    return empty.map((page) => ({ page, ocr: recovered.has(page) }));
  }
}

interface PageText extends PageParagraphs {
  readonly failed: boolean;
}

let pdfjsDir: string | null | undefined;

/** The installed `pdfjs-dist` directory, or null; unpdf's bundle has no CMap data of its own. */
function installedPdfjsDir(): string | undefined {
  if (pdfjsDir === undefined) {
    try {
      pdfjsDir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    } catch {
      pdfjsDir = null;
    }
  }
  return pdfjsDir ?? undefined;
}

async function openPdf(bytes: Uint8Array, dataDir: string | undefined): Promise<PdfDocument> {
  // pdf.js in Node reads these with `fs`, so they must be paths with a trailing slash, not URLs.
  const data = dataDir
    ? {
        cMapUrl: `${path.join(dataDir, 'cmaps')}/`,
        cMapPacked: true,
        standardFontDataUrl: `${path.join(dataDir, 'standard_fonts')}/`,
      }
    : {};
  try {
    // verbosity 0: pdf.js would otherwise print every recoverable oddity of a file to stdout.
    return await getDocumentProxy(bytes, { verbosity: 0, isOffscreenCanvasSupported: false, ...data });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new IngestError(
        'encrypted',
        'PDF is password-protected; remove the password or supply an unencrypted copy',
        { cause: error },
      );
    }
    const reason = (error as Error).message ?? String(error);
    throw new IngestError('corrupt', `The PDF cannot be read (${reason}); it may be damaged or not a PDF`, {
      cause: error,
    });
  }
}

async function readPages(pdf: PdfDocument, warnings: string[], signal?: AbortSignal): Promise<PageText[]> {
  const pages: PageText[] = [];
  let failures = 0;
  for (let number = 1; number <= pdf.numPages; number++) {
    if (signal?.aborted) throw new IngestError('timeout', 'Parsing the PDF took longer than the time limit');
    try {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const items = content.items.filter((item): item is typeof item & PositionedText => 'str' in item);
      const paragraphs = [...buildParagraphs(buildLines(items)), ...(await formFieldParagraphs(page))];
      pages.push({ page: number, paragraphs, failed: false });
      page.cleanup();
    } catch (error) {
      failures++;
      warnings.push(`Page ${number} could not be read (${(error as Error).message}); it was skipped`);
      pages.push({ page: number, paragraphs: [], failed: true });
    }
  }
  if (failures > 0 && failures === pdf.numPages) {
    throw new IngestError('corrupt', `No page of the PDF could be read (${warnings[0]})`);
  }
  return pages;
}

type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** Filled-in text and choice fields: in a completed form the values are the content. */
async function formFieldParagraphs(page: PdfPage): Promise<TextParagraph[]> {
  let annotations: Record<string, unknown>[];
  try {
    annotations = await page.getAnnotations();
  } catch {
    return [];
  }
  const paragraphs: TextParagraph[] = [];
  for (const annotation of annotations) {
    if (annotation.subtype !== 'Widget' || (annotation.fieldType !== 'Tx' && annotation.fieldType !== 'Ch'))
      continue;
    const raw = annotation.fieldValue;
    const value = (Array.isArray(raw) ? raw.join(', ') : typeof raw === 'string' ? raw : '').trim();
    if (!value) continue;
    const label =
      typeof annotation.alternativeText === 'string' ? annotation.alternativeText.trim().slice(0, 80) : '';
    paragraphs.push({ text: label ? `${label}: ${value}` : value, fontSize: 0, lineCount: 1, bullet: false });
  }
  return paragraphs;
}

function ocrParagraphs(text: string): PageParagraphs['paragraphs'] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) =>
      joinLines(
        paragraph
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      ),
    )
    .filter((paragraph) => /\w/.test(paragraph))
    .map((paragraph) => ({ text: paragraph, fontSize: 0, lineCount: 1, bullet: false }));
}

function noText(pageCount: number, emptyCount: number, tools: OcrTools | null, ocrOff: boolean): IngestError {
  if (emptyCount < pageCount) return new IngestError('no_text', 'The PDF has no readable text');
  const scanned = 'The PDF has no text layer (its pages are scanned images, or blank)';
  if (ocrOff) return new IngestError('no_text', `${scanned} and OCR is turned off`);
  if (!tools) return new IngestError('no_text', `${scanned} and OCR is not installed (${OCR_INSTALL_HINT})`);
  return new IngestError('no_text', 'The PDF has no text layer and OCR found no text in it');
}

/** Creates the PDF parser; the sandbox worker calls this by name. */
export function createPdfParser(options: PdfParserOptions = {}): DocumentParser {
  return new PdfParser(options);
}
