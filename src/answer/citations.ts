/**
 * @module answer/citations
 * Citation markers in an answer: `[1]`, `[1, 2]` and `[1][2]`. Numbers that name no passage are
 * removed, and the cited passages are renumbered 1, 2, … in order of first mention, so the text and
 * the citation list always agree.
 */

/** A bracket of one or more passage numbers, e.g. `[3]` or `[1, 4]`. */
const MARKER = /(\s*)\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g;

/** The text with clean markers, and which passages it cites. */
export interface ResolvedCitations {
  readonly text: string;
  /** Original passage numbers (1-based) in the order the text first cites them; index + 1 is the new number. */
  readonly cited: readonly number[];
  /** Markers naming a number outside 1…passageCount, removed from the text. */
  readonly removed: number;
}

/**
 * Validates and renumbers the citation markers of `text` against `passageCount` passages.
 *
 * @example
 * resolveCitations('Yes [3]. Also [3, 9][1].', 3);
 * // { text: 'Yes [1]. Also [1][2].', cited: [3, 1], removed: 1 }
 */
export function resolveCitations(text: string, passageCount: number): ResolvedCitations {
  const renumbered = new Map<number, number>();
  let removed = 0;
  const cleaned = text.replace(MARKER, (_match, space: string, list: string) => {
    const numbers: number[] = [];
    for (const part of list.split(',')) {
      const original = Number(part.trim());
      if (!Number.isInteger(original) || original < 1 || original > passageCount) {
        removed++;
        continue;
      }
      let mapped = renumbered.get(original);
      if (mapped === undefined) {
        mapped = renumbered.size + 1;
        renumbered.set(original, mapped);
      }
      if (!numbers.includes(mapped)) numbers.push(mapped);
    }
    // A marker left empty disappears with the space before it, so no "word ." remains.
    return numbers.length > 0 ? `${space}[${numbers.join(', ')}]` : '';
  });
  return { text: cleaned.trim(), cited: [...renumbered.keys()], removed };
}
