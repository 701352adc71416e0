/**
 * @module ingest/parsers/pdf-tables
 * Finds tables among a page's lines, so a table is one block (one row per line, cells separated by
 * ` | `, as every parser renders tables) instead of headings and paragraphs cut at each cell's wrap.
 *
 * A table starts at a line of two or more cells (text runs separated by a gap much wider than a
 * space): their starts are the column anchors. It goes on while lines of the same font size stay
 * close and every run of theirs starts at an anchor (a lone first-column run must also end before the
 * second column, so a following heading or paragraph is not taken in). The first line is the header
 * row, whose cells are short labels. A row starts at a line with a
 * first-column run once the current row has text in a later column; until then, first-column lines are
 * the wrap of the first cell. This reads the usual writing order of tables (cell by cell, each cell
 * line by line) whether the first cell is top-aligned or centred beside a wrapped neighbour. Two columns
 * of running prose do not pass: their first line is no header of labels, and a table's first column
 * holds short labels.
 */

/** A run of text in a line, separated from the next one by a wide gap. */
export interface TextCell {
  readonly text: string;
  readonly x: number;
  readonly right: number;
}

/** The part of a line that table detection reads. */
export interface TableLine {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly right: number;
  readonly fontSize: number;
  readonly cells?: readonly TextCell[];
}

/** A table found at `start` (inclusive) to `end` (exclusive) of the lines, as rows of cells. */
export interface FoundTable {
  readonly start: number;
  readonly end: number;
  readonly rows: readonly (readonly string[])[];
}

const ALIGN = 3;
const MAX_STEP = 3.2;
/** Header cells are labels: a few short words. */
const MAX_HEADER_WORDS = 4;
const MAX_LABEL = 40;
const MIN_ROWS = 3;

/** Finds the table that starts at `start`, if one does. */
export function tableAt(
  lines: readonly TableLine[],
  start: number,
  join: (parts: readonly string[]) => string,
): FoundTable | undefined {
  const first = lines[start];
  if (!first?.cells || first.cells.length < 2) return undefined;
  if (first.cells.some((cell) => cell.text.split(' ').length > MAX_HEADER_WORDS)) return undefined;
  const anchors = first.cells.map((cell) => cell.x);
  const column = (x: number) => anchors.findIndex((anchor) => Math.abs(anchor - x) <= ALIGN);
  const rows: string[][][] = [];
  let row: string[][] | undefined;
  let end = start;
  for (let index = start; index < lines.length; index++) {
    const line = lines[index]!;
    const cells = line.cells ?? [{ text: line.text, x: line.x, right: line.right }];
    if (index > start) {
      const previous = lines[index - 1]!;
      if (Math.abs(line.fontSize - first.fontSize) > 0.5) break;
      if (Math.abs(previous.y - line.y) > MAX_STEP * line.fontSize) break;
      if (cells.some((cell) => column(cell.x) < 0)) break;
      const lone = cells.length === 1 && column(cells[0]!.x) === 0;
      if (lone && anchors[1] !== undefined && cells[0]!.right > anchors[1] + ALIGN) break;
    }
    const columns = cells.map((cell) => column(cell.x));
    const laterFilled = row?.some((parts, at) => at > 0 && parts.length > 0) ?? false;
    let target = row;
    if (!target || (columns.includes(0) && laterFilled)) {
      target = anchors.map((): string[] => []);
      rows.push(target);
      row = target;
    }
    for (const [at, cell] of cells.entries()) target[columns[at]!]?.push(cell.text);
    end = index + 1;
  }
  const texts = rows.map((cells) => cells.map((parts) => join(parts)));
  const full = texts.filter((cells) => cells.filter(Boolean).length >= 2).length;
  if (texts.length < MIN_ROWS || full < 2) return undefined;
  if (texts.some((cells) => (cells[0] ?? '').length > MAX_LABEL)) return undefined;
  return { start, end, rows: texts };
}
