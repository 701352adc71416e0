/**
 * @module agents/slots
 * Slot extraction for the no-LLM router: order numbers, emails, phone numbers, product model numbers
 * and money amounts, found with patterns. Patterns are data, so an app can pass its own (its order
 * number format); a span taken by an earlier pattern is not matched again by a later one.
 */

/** What a slot is. */
export type SlotKind = 'orderNumber' | 'email' | 'phone' | 'modelNumber' | 'amount';

/** One found slot: normalised value and where it was. */
export interface Slot {
  readonly kind: SlotKind;
  readonly value: string;
  readonly raw: string;
  readonly start: number;
}

/** A pattern for one slot kind; `normalise` turns the match into the stored value. */
export interface SlotPattern {
  readonly kind: SlotKind;
  /** Must have the `g` flag. */
  readonly pattern: RegExp;
  readonly normalise?: (match: string) => string | undefined;
}

/** The patterns in the order they claim text: order numbers before model numbers (both look like `AB-123`). */
export const DEFAULT_SLOT_PATTERNS: readonly SlotPattern[] = [
  { kind: 'email', pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, normalise: (match) => match.toLowerCase() },
  {
    kind: 'orderNumber',
    pattern: /\b[A-Za-z]{2,3}-?\d{5,8}\b/g,
    normalise: (match) => {
      const [, prefix, digits] = /^([A-Za-z]+)-?(\d+)$/.exec(match) ?? [];
      return prefix && digits ? `${prefix.toUpperCase()}-${digits}` : undefined;
    },
  },
  {
    kind: 'amount',
    pattern:
      /(?:[$£€]\s?\d[\d,]*(?:\.\d{1,2})?|\b\d[\d,]*(?:\.\d{1,2})?\s?(?:dollars|usd|euros?|pounds)\b)/gi,
    normalise: (match) => {
      const number = Number(match.replace(/[^\d.]/g, ''));
      return Number.isFinite(number) ? number.toFixed(2) : undefined;
    },
  },
  {
    kind: 'phone',
    pattern: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{3,4}[\s.-]\d{3,4}(?:[\s.-]\d{2,4})?\b/g,
    normalise: (match) => {
      const digits = match.replace(/[^\d+]/g, '');
      // Fewer than 7 digits is a number range or a date fragment, not a phone number.
      return digits.replace('+', '').length >= 7 ? digits : undefined;
    },
  },
  {
    kind: 'modelNumber',
    pattern: /\b[A-Z]{2,5}(?:-[A-Z0-9]{1,6}){1,3}\b/g,
    normalise: (match) => (/\d/.test(match) || match.split('-').length > 2 ? match : undefined),
  },
];

/** Finds every slot in `text`, in text order. */
export function extractSlots(text: string, patterns: readonly SlotPattern[] = DEFAULT_SLOT_PATTERNS): Slot[] {
  const taken: [number, number][] = [];
  const slots: Slot[] = [];
  for (const { kind, pattern, normalise } of patterns) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some(([from, to]) => start < to && end > from)) continue;
      const value = normalise ? normalise(match[0]) : match[0];
      if (value === undefined) continue;
      taken.push([start, end]);
      slots.push({ kind, value, raw: match[0], start });
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}

/** The first slot of a kind, if any. */
export function firstSlot(slots: readonly Slot[], kind: SlotKind): string | undefined {
  return slots.find((slot) => slot.kind === kind)?.value;
}
