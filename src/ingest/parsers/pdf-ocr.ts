/**
 * @module ingest/parsers/pdf-ocr
 * Recovers the text of PDF pages that have no text layer, page by page, within the time limit.
 */
import { OCR_INSTALL_HINT, type OcrTools, openOcrSession } from './ocr.ts';
import type { PageText } from './pdf-document.ts';
import { joinLines, type TextParagraph } from './pdf-layout.ts';

/** What OCR needs to know about one PDF. */
export interface OcrRequest {
  /** 1-based numbers of the pages without text. */
  readonly emptyPages: readonly number[];
  /** All pages; recovered pages are replaced in place. */
  readonly pages: PageText[];
  /** Null when OCR is unavailable or turned off (see `turnedOff`). */
  readonly tools: OcrTools | null;
  readonly bytes?: Uint8Array;
  readonly turnedOff: boolean;
  readonly pageTimeoutMs: number;
  readonly signal?: AbortSignal;
  readonly warnings: string[];
}

/** OCRs the pages without text when possible, and returns the `scannedPages` record. */
export async function recoverScannedPages(request: OcrRequest): Promise<{ page: number; ocr: boolean }[]> {
  const { emptyPages, pages, tools, bytes, signal, warnings } = request;
  if (emptyPages.length === 0) return [];
  if (!tools || !bytes) {
    const count = emptyPages.length === 1 ? '1 page has' : `${emptyPages.length} pages have`;
    warnings.push(
      request.turnedOff
        ? `${count} no text layer and OCR is turned off`
        : `${count} no text layer and OCR is not installed (${OCR_INSTALL_HINT})`,
    );
    return emptyPages.map((page) => ({ page, ocr: false }));
  }
  const session = await openOcrSession(tools, bytes);
  const recovered = new Set<number>();
  const stopped = (page: number): string =>
    `OCR stopped at page ${page} because the time limit was reached; later pages were not recovered`;
  try {
    for (const number of emptyPages) {
      // The signal fires before the hard time limit: keep what OCR recovered so far.
      if (signal?.aborted) {
        warnings.push(stopped(number));
        break;
      }
      try {
        const paragraphs = ocrParagraphs(await session.recognise(number, request.pageTimeoutMs, signal));
        const page = pages[number - 1];
        if (page && paragraphs.length > 0) {
          pages[number - 1] = { ...page, paragraphs };
          recovered.add(number);
        }
      } catch (error) {
        warnings.push(
          signal?.aborted ? stopped(number) : `OCR of page ${number} failed: ${(error as Error).message}`,
        );
        if (signal?.aborted) break;
      }
    }
  } finally {
    await session.dispose();
  }
  return emptyPages.map((page) => ({ page, ocr: recovered.has(page) }));
}

/** Tesseract prints paragraphs separated by blank lines; rejoin their wrapped lines. */
function ocrParagraphs(text: string): TextParagraph[] {
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
