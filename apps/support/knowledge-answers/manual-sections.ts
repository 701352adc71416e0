/**
 * @module support/knowledge-answers/manual-sections
 * Reads retrieved manual passages back into sections: a chunk may hold several small sections, whose
 * headings are lines of their own (a short line with no closing punctuation), under the chunk's
 * heading path. Each section keeps its paragraphs (hard wraps joined), its list items (the steps) and
 * its table rows (cells split on `|`), so an answer can quote the part that answers.
 */

/** One section of a manual passage. */
export interface ManualSection {
  readonly heading: string;
  /** Index of the passage it came from (its rank). */
  readonly passage: number;
  readonly paragraphs: string[];
  readonly steps: string[];
  readonly rows: string[][];
}

const TABLE_ROW = /\S\s*\|\s*\S/;
const LIST_ITEM = /^\s*(?:[-*•]\s+)?(?:\d{1,2}[.)]\s+)?/;

/** Splits passages (best first) into sections. */
export function manualSections(
  passages: readonly { text: string; headingPath: readonly string[] }[],
): ManualSection[] {
  const sections: ManualSection[] = [];
  passages.forEach((passage, index) => {
    let current: ManualSection = {
      heading: passage.headingPath.at(-1) ?? '',
      passage: index,
      paragraphs: [],
      steps: [],
      rows: [],
    };
    const push = () => {
      if (current.paragraphs.length + current.steps.length + current.rows.length > 0) sections.push(current);
    };
    for (const block of passage.text.split(/\n\s*\n/)) {
      const lines = block
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      if (lines.length === 0) continue;
      if (lines.length === 1 && isHeading(lines[0]!)) {
        push();
        current = { heading: lines[0]!, passage: index, paragraphs: [], steps: [], rows: [] };
        continue;
      }
      if (lines.every((line) => TABLE_ROW.test(line))) {
        current.rows.push(
          ...lines.map((line) =>
            line
              .replace(/^\||\|$/g, '')
              .split('|')
              .map((cell) => cell.trim()),
          ),
        );
      } else if (/^\s*(?:[-*•]|\d{1,2}[.)])\s+/.test(lines[0]!)) {
        current.steps.push(...joinItems(lines));
      } else {
        current.paragraphs.push(lines.join(' '));
      }
    }
    push();
  });
  return sections;
}

/** A line of its own, short, capitalised and without closing punctuation, is a heading. */
function isHeading(line: string): boolean {
  return (
    line.length <= 80 &&
    /^[\p{Lu}\p{N}]/u.test(line) &&
    !/[.!?:;,]$/.test(line) &&
    !TABLE_ROW.test(line) &&
    line.split(/\s+/).length <= 10
  );
}

/** List lines into items: a line without a marker continues the item above it (a hard wrap). */
function joinItems(lines: readonly string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    const marked = /^\s*(?:[-*•]|\d{1,2}[.)])\s+/.test(line);
    const text = line.replace(LIST_ITEM, '').trim();
    if (marked || items.length === 0) items.push(text);
    else items[items.length - 1] = `${items.at(-1)} ${text}`;
  }
  return items;
}
