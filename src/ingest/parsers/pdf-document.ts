/**
 * @module ingest/parsers/pdf-document
 * Everything that talks to pdf.js: opening a document (with error mapping), and reading each
 * page's text and filled-in form fields into paragraphs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocumentProxy } from 'unpdf';
import { IngestError } from '../../errors.ts';
import type { PageParagraphs } from './pdf-blocks.ts';
import { buildLines, buildParagraphs, type PositionedText, type TextParagraph } from './pdf-layout.ts';

/** An open pdf.js document. */
export type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** One page's paragraphs; `failed` when pdf.js could not read the page at all. */
export interface PageText extends PageParagraphs {
  readonly failed: boolean;
}

let pdfjsDir: string | null | undefined;

/** The installed `pdfjs-dist` directory, if any; unpdf's bundle has no CMap data of its own. */
export function installedPdfjsDir(): string | undefined {
  if (pdfjsDir === undefined) {
    try {
      pdfjsDir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    } catch {
      pdfjsDir = null;
    }
  }
  return pdfjsDir ?? undefined;
}

/**
 * Opens a PDF, mapping pdf.js failures to `encrypted` or `corrupt`. pdf.js takes ownership of
 * (detaches) `bytes`.
 */
export async function openPdf(bytes: Uint8Array, dataDir: string | undefined): Promise<PdfDocument> {
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
    if ((error as { name?: string }).name === 'PasswordException') {
      throw new IngestError(
        'encrypted',
        'PDF is password-protected; remove the password or supply an unencrypted copy',
        {
          cause: error,
        },
      );
    }
    const reason = (error as Error).message ?? String(error);
    throw new IngestError('corrupt', `The PDF cannot be read (${reason}); it may be damaged or not a PDF`, {
      cause: error,
    });
  }
}

/**
 * Reads every page. A page pdf.js cannot read becomes a warning; a document none of whose pages
 * can be read is `corrupt`. The signal (the soft time limit) ends reading with `timeout`.
 */
export async function readPages(
  pdf: PdfDocument,
  warnings: string[],
  signal?: AbortSignal,
): Promise<PageText[]> {
  const pages: PageText[] = [];
  const undecodable: number[] = [];
  let failures = 0;
  for (let number = 1; number <= pdf.numPages; number++) {
    if (signal?.aborted) throw new IngestError('timeout', 'Parsing the PDF took longer than the time limit');
    try {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const items = content.items.filter((item): item is typeof item & PositionedText => 'str' in item);
      if (isUndecodable(items)) {
        // Treated like a page without a text layer, so OCR gets a chance at it.
        undecodable.push(number);
        pages.push({ page: number, paragraphs: [], failed: false });
      } else {
        const paragraphs = [...buildParagraphs(buildLines(items)), ...(await formFieldParagraphs(page))];
        pages.push({ page: number, paragraphs, failed: false });
      }
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
  if (undecodable.length > 0) {
    const which =
      undecodable.length === 1 ? `Page ${undecodable[0]} has` : `Pages ${formatRanges(undecodable)} have`;
    warnings.push(
      `${which} a text layer that cannot be decoded (fonts without a Unicode mapping); read as scanned pages`,
    );
  }
  return pages;
}

/**
 * Fonts without a Unicode mapping make pdf.js return glyph codes: control characters and stray
 * punctuation. A page where letters and digits are under half of the visible characters is that.
 * Leader and rule characters are not counted, so a table of contents full of dots stays readable.
 */
function isUndecodable(items: readonly PositionedText[]): boolean {
  const text = items.map((item) => item.str).join('');
  const visible = text.replace(/[\s.·…_\-–—]/g, '').length;
  if (visible < 20) return false;
  const readable = text.match(/[\p{L}\p{N}\p{M}]/gu)?.length ?? 0;
  return readable / visible < 0.5;
}

/** `[2, 3, 4, 7]` → `2–4, 7`. */
function formatRanges(numbers: readonly number[]): string {
  const ranges: string[] = [];
  for (let index = 0; index < numbers.length; ) {
    let end = index;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end]! + 1) end++;
    ranges.push(end === index ? String(numbers[index]) : `${numbers[index]}–${numbers[end]}`);
    index = end + 1;
  }
  return ranges.join(', ');
}

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
    // Size 0: field values are never taken for headings.
    paragraphs.push({ text: label ? `${label}: ${value}` : value, fontSize: 0, lineCount: 1, bullet: false });
  }
  return paragraphs;
}
