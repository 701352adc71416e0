/**
 * @module ingest/parsers/pdf-blocks
 * Turns the paragraphs of all pages into blocks: drops running headers, footers and page numbers,
 * and marks short paragraphs set in a larger font than the body as headings.
 */
import type { Block } from '../../spec/document.ts';
import { joinLines, type TextParagraph } from './pdf-layout.ts';

/** The paragraphs of one page (1-based). */
export interface PageParagraphs {
  readonly page: number;
  readonly paragraphs: readonly TextParagraph[];
}

const MAX_HEADING_LENGTH = 150;

/** Builds the document's blocks from its pages, in page order. */
export function pagesToBlocks(pages: readonly PageParagraphs[]): Block[] {
  const running = runningLines(pages);
  const kept = pages.map(({ page, paragraphs }) => ({
    page,
    // A page's only paragraph stays even when it repeats: then it is the content, not a header.
    paragraphs:
      paragraphs.length < 2
        ? paragraphs
        : paragraphs.filter((paragraph, index) => {
            const edge = index === 0 || index === paragraphs.length - 1;
            return !(edge && (running.has(normalise(paragraph.text)) || isPageNumber(paragraph.text)));
          }),
  }));
  joinAcrossPages(kept);
  const bodySize = dominantFontSize(kept.flatMap((page) => page.paragraphs));
  const headingSizes = [
    ...new Set(
      kept.flatMap((page) =>
        page.paragraphs.filter((p) => !p.table && isHeading(p, bodySize)).map((p) => round(p.fontSize)),
      ),
    ),
  ].sort((a, b) => b - a);
  const blocks: Block[] = [];
  for (const { page, paragraphs } of kept) {
    for (const paragraph of paragraphs) {
      if (paragraph.table) {
        blocks.push({ kind: 'table', text: paragraph.text, page });
      } else if (isHeading(paragraph, bodySize)) {
        const level = Math.min(6, headingSizes.indexOf(round(paragraph.fontSize)) + 1);
        blocks.push({ kind: 'heading', level, text: paragraph.text, page });
      } else {
        blocks.push({ kind: paragraph.bullet ? 'list-item' : 'paragraph', text: paragraph.text, page });
      }
    }
  }
  return blocks;
}

/**
 * A paragraph cut by the page break continues on the next page: the page's last paragraph ends
 * without closing punctuation and the next page's first one, in the same size, starts in lower case.
 * The two become one paragraph (on the page where it starts), joined like wrapped lines; the same
 * text on both pages is not a continuation.
 */
function joinAcrossPages(pages: { page: number; paragraphs: readonly TextParagraph[] }[]): void {
  for (let index = 1; index < pages.length; index++) {
    const before = pages[index - 1]!;
    const after = pages[index]!;
    const last = before.paragraphs.at(-1);
    const first = after.paragraphs[0];
    if (!last || !first || last.table || first.table || first.bullet) continue;
    if (Math.abs(last.fontSize - first.fontSize) > 0.25 || last.fontSize <= 0) continue;
    if (/[.!?:;"”)]$/.test(last.text) || !/^\p{Ll}/u.test(first.text)) continue;
    // The same text on both pages is repeated content (a stamp, a rotated label), not a continuation.
    if (normalise(last.text) === normalise(first.text)) continue;
    before.paragraphs = [
      ...before.paragraphs.slice(0, -1),
      { ...last, text: joinLines([last.text, first.text]), lineCount: last.lineCount + first.lineCount },
    ];
    after.paragraphs = after.paragraphs.slice(1);
  }
}

/** Paragraphs without a known size (OCR output, form fields) have `fontSize` 0 and are never headings. */
function isHeading(paragraph: TextParagraph, bodySize: number): boolean {
  return (
    bodySize > 0 &&
    paragraph.fontSize >= bodySize * 1.15 &&
    paragraph.lineCount <= 3 &&
    paragraph.text.length <= MAX_HEADING_LENGTH &&
    /\p{L}/u.test(paragraph.text)
  );
}

/** The font size that most characters of the document are set in. */
function dominantFontSize(paragraphs: readonly TextParagraph[]): number {
  const weights = new Map<number, number>();
  for (const paragraph of paragraphs) {
    if (paragraph.fontSize <= 0) continue;
    const size = round(paragraph.fontSize);
    weights.set(size, (weights.get(size) ?? 0) + paragraph.text.length);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [size, weight] of weights) {
    if (weight > bestWeight) [best, bestWeight] = [size, weight];
  }
  return best;
}

/**
 * First or last paragraphs that recur (digits ignored) on at least three pages and 40% of them:
 * running headers and footers such as "Journal of X, vol. 3, page 12".
 */
function runningLines(pages: readonly PageParagraphs[]): Set<string> {
  const counts = new Map<string, number>();
  for (const { paragraphs } of pages) {
    const edges = new Set(
      [paragraphs[0], paragraphs.at(-1)].filter((p) => p !== undefined).map((p) => normalise(p.text)),
    );
    for (const edge of edges) counts.set(edge, (counts.get(edge) ?? 0) + 1);
  }
  const threshold = Math.max(3, pages.length * 0.4);
  return new Set([...counts].filter(([, count]) => count >= threshold).map(([text]) => text));
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

function isPageNumber(text: string): boolean {
  return /^(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i.test(text.trim());
}

function round(size: number): number {
  return Math.round(size * 2) / 2;
}
