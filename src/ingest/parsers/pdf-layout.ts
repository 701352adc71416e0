/**
 * @module ingest/parsers/pdf-layout
 * Rebuilds lines and paragraphs from positioned PDF text items (pdf.js `getTextContent`), since a
 * PDF stores glyph runs, not paragraphs. Pure functions, so layout rules are testable without PDFs.
 */

/** The part of a pdf.js text item that layout needs. */
export interface PositionedText {
  readonly str: string;
  /** Text matrix `[a, b, c, d, e, f]`: `e`/`f` are x/y (y grows upwards), `|(c, d)|` the font size. */
  readonly transform: readonly number[];
  readonly width: number;
  readonly height: number;
  readonly hasEOL: boolean;
}

/** One reconstructed line. */
export interface TextLine {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly right: number;
  readonly fontSize: number;
  /** Its runs of text between gaps wider than {@link CELL_GAP} font sizes (table cells). */
  readonly cells?: readonly TextCell[];
}

/** One paragraph of a page, with the font size of its text. */
export interface TextParagraph {
  readonly text: string;
  readonly fontSize: number;
  readonly lineCount: number;
  readonly bullet: boolean;
  /** A table: one row per line, cells separated by ` | `. */
  readonly table?: boolean;
}

/** A gap this many font sizes wide separates cells, not words. */
const CELL_GAP = 0.8;

import { type TextCell, tableAt } from './pdf-tables.ts';

const BULLET = /^(?:[•◦▪▫●○■□‣⁃–-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+/;

/** Groups text items into lines, using `hasEOL` and vertical moves, and puts spaces where gaps are. */
export function buildLines(items: readonly PositionedText[]): TextLine[] {
  const lines: TextLine[] = [];
  let parts: string[] = [];
  let cells: { parts: string[]; x: number; right: number }[] = [];
  let current: { x: number; y: number; right: number; fontSize: number; weight: number } | undefined;
  // Broken font encodings leave control characters behind; they are never text.
  const clean = (text: string) =>
    text
      .replace(/\p{Cc}/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const endLine = (): void => {
    const text = clean(parts.join(''));
    if (current && text) {
      const runs = cells
        .map((cell) => ({ text: clean(cell.parts.join('')), x: cell.x, right: cell.right }))
        .filter((cell) => cell.text);
      lines.push({
        text,
        x: current.x,
        y: current.y,
        right: current.right,
        fontSize: current.fontSize,
        ...(runs.length > 1 ? { cells: runs } : {}),
      });
    }
    parts = [];
    cells = [];
    current = undefined;
  };
  for (const item of items) {
    const fontSize = Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) || item.height || 1;
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    if (item.str.length > 0) {
      if (current && Math.abs(y - current.y) > Math.max(fontSize, current.fontSize) * 0.6) endLine();
      if (!current) {
        current = { x, y, right: x + item.width, fontSize, weight: 0 };
        cells.push({ parts: [], x, right: x + item.width });
      } else {
        const gap = x - current.right;
        const previous = parts.at(-1) ?? '';
        if (gap > fontSize * 0.15 && !/\s$/.test(previous) && !/^\s/.test(item.str)) parts.push(' ');
        // Cells are measured from the last ink: pdf.js fills a gap with a wide space item.
        const inked = item.str.trim().length > 0;
        if (inked && x - cells.at(-1)!.right > fontSize * CELL_GAP) cells.push({ parts: [], x, right: x });
        current.right = Math.max(current.right, x + item.width);
      }
      parts.push(item.str);
      const cell = cells.at(-1)!;
      const spaced =
        cell.parts.length > 0 && !/\s$/.test(cell.parts.at(-1)!) && x - cell.right > fontSize * 0.15;
      cell.parts.push(spaced ? ` ${item.str}` : item.str);
      if (item.str.trim()) cell.right = Math.max(cell.right, x + item.width);
      // The line's size is the size of most of its characters, so a superscript does not change it.
      const weight = item.str.trim().length;
      if (weight > current.weight) {
        current.fontSize = fontSize;
        current.weight = weight;
      }
    }
    if (item.hasEOL) endLine();
  }
  endLine();
  return lines;
}

/**
 * Groups lines into paragraphs: a new paragraph starts after a larger-than-usual vertical gap, on
 * a change of font size, on a move up the page (a new column), at an indented first line after a
 * line that ended a sentence short of the margin, or at a bullet.
 */
export function buildParagraphs(lines: readonly TextLine[]): TextParagraph[] {
  const spacing = typicalSpacing(lines);
  const paragraphs: TextParagraph[] = [];
  let group: TextLine[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    const text = joinLines(group.map((line) => line.text));
    paragraphs.push({
      text,
      fontSize: group[0]!.fontSize,
      lineCount: group.length,
      bullet: BULLET.test(text),
    });
    group = [];
  };
  for (let index = 0; index < lines.length; index++) {
    const table = tableAt(lines, index, joinLines);
    if (table) {
      flush();
      paragraphs.push({
        text: table.rows.map((row) => row.join(' | ')).join('\n'),
        fontSize: lines[index]!.fontSize,
        lineCount: table.end - table.start,
        bullet: false,
        table: true,
      });
      index = table.end - 1;
      continue;
    }
    const line = lines[index]!;
    const previous = group.at(-1);
    if (previous && startsParagraph(previous, line, group, spacing)) flush();
    group.push(line);
  }
  flush();
  return paragraphs;
}

function startsParagraph(
  previous: TextLine,
  line: TextLine,
  group: readonly TextLine[],
  spacing: number,
): boolean {
  const drop = previous.y - line.y;
  const size = Math.max(previous.fontSize, line.fontSize);
  // Line spacing is 1–1.6 times the font size; a larger estimate means the page's gaps are all breaks.
  const normal = Math.min(Math.max(spacing, size), size * 1.6);
  if (drop <= 0 || drop > normal * 1.45) return true;
  if (Math.abs(previous.fontSize - line.fontSize) > size * 0.12) return true;
  if (BULLET.test(line.text)) return true;
  const left = Math.min(...group.map((member) => member.x));
  const right = Math.max(...group.map((member) => member.right));
  const indented = line.x - left > line.fontSize * 0.8 && line.x - left < line.fontSize * 4;
  const endedShort = right - previous.right > size * 3 && /[.!?:"”)]$/.test(previous.text);
  return indented && endedShort;
}

/**
 * Lower quartile of the distances between consecutive lines of the same size: the page's normal
 * line spacing (the median would be a paragraph gap on pages of short paragraphs).
 */
function typicalSpacing(lines: readonly TextLine[]): number {
  const gaps: number[] = [];
  for (let index = 1; index < lines.length; index++) {
    const previous = lines[index - 1]!;
    const line = lines[index]!;
    const drop = previous.y - line.y;
    if (drop > 0 && drop < line.fontSize * 2.5 && Math.abs(previous.fontSize - line.fontSize) < 0.5)
      gaps.push(drop);
  }
  if (gaps.length === 0) return (lines[0]?.fontSize ?? 10) * 1.2;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 4)]!;
}

/**
 * Joins wrapped lines with spaces, undoing end-of-line hyphenation (`speci-` + `fication`) and
 * keeping the hyphen of a compound split before a capital (`Just-in-` + `Time`).
 */
export function joinLines(lines: readonly string[]): string {
  let text = '';
  for (const line of lines) {
    if (text === '') text = line;
    else if (/\p{Ll}-$/u.test(text) && /^\p{Ll}/u.test(line)) text = text.slice(0, -1) + line;
    else if (/\p{L}-$/u.test(text) && /^\p{Lu}/u.test(line)) text += line;
    else text = `${text} ${line}`;
  }
  return text;
}
