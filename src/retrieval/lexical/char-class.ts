/**
 * Character classes of the Unicode word-break rules (UAX #29) that Lucene's StandardTokenizer follows,
 * reduced to what decides where an English-centric word starts and ends. ASCII is a table lookup; other
 * code points are classified once with Unicode property regexes and cached, because the same few hundred
 * non-ASCII characters repeat across a corpus.
 */

/** Breaks words (spaces, punctuation, symbols, emoji). */
export const OTHER = 0;
/** Letters (UAX #29 ALetter, Hebrew_Letter, Katakana, Hangul, letter numbers). */
export const LETTER = 1;
/** Decimal digits (UAX #29 Numeric). */
export const DIGIT = 2;
/** Joins two letters only, such as the colon in "ratio:value" (UAX #29 MidLetter). */
export const MID_LETTER = 3;
/** Joins two letters or two digits, such as "e.g" and "3.14" (UAX #29 MidNumLet). */
export const MID_NUM_LET = 4;
/** Joins two digits only, such as "1,000" (UAX #29 MidNum). */
export const MID_NUM = 5;
/** The ASCII apostrophe, which joins like MidNumLet: "o'neil", "don't" (UAX #29 Single_Quote). */
export const SINGLE_QUOTE = 6;
/** Connector punctuation such as "_" that joins letters and digits (UAX #29 ExtendNumLet). */
export const EXTEND_NUM_LET = 7;
/** Combining marks: they belong to the preceding character and stay in the token (UAX #29 Extend). */
export const EXTEND = 8;
/** Invisible format characters (soft hyphen, zero-width joiners): skipped and removed from the token. */
export const FORMAT = 9;
/** Han and Hiragana characters: each one is a token of its own, as in Lucene. */
export const IDEOGRAPH = 10;

/** Classes of the ASCII code points, for inlined lookups in the scanner's hot loop. */
export const ASCII_CLASSES = new Uint8Array(128);
const ASCII = ASCII_CLASSES;
for (let code = 0x30; code <= 0x39; code++) ASCII[code] = DIGIT;
for (let code = 0x41; code <= 0x5a; code++) ASCII[code] = LETTER;
for (let code = 0x61; code <= 0x7a; code++) ASCII[code] = LETTER;
ASCII[0x3a] = MID_LETTER; // ":"
ASCII[0x2e] = MID_NUM_LET; // "."
ASCII[0x2c] = MID_NUM; // ","
ASCII[0x3b] = MID_NUM; // ";"
ASCII[0x27] = SINGLE_QUOTE; // "'"
ASCII[0x5f] = EXTEND_NUM_LET; // "_"

// Non-ASCII members of the punctuation classes, from the UAX #29 property table.
const SPECIAL = new Map<number, number>([
  ...[0xb7, 0x387, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a].map((code) => [code, MID_LETTER] as const),
  ...[0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e].map((code) => [code, MID_NUM_LET] as const),
  ...[0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c, 0xff1b].map(
    (code) => [code, MID_NUM] as const,
  ),
  ...[0x203f, 0x2040, 0x2054, 0xfe33, 0xfe34, 0xfe4d, 0xfe4e, 0xfe4f, 0xff3f].map(
    (code) => [code, EXTEND_NUM_LET] as const,
  ),
]);

const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}]/u;
const LETTER_LIKE = /[\p{L}\p{Nl}]/u;
const DECIMAL = /\p{Nd}/u;
const MARK = /\p{M}/u;
const FORMAT_CHARACTER = /\p{Cf}/u;

const cache = new Map<number, number>();

function classifyNonAscii(codePoint: number): number {
  const special = SPECIAL.get(codePoint);
  if (special !== undefined) return special;
  const character = String.fromCodePoint(codePoint);
  if (LETTER_LIKE.test(character)) return IDEOGRAPHIC.test(character) ? IDEOGRAPH : LETTER;
  if (DECIMAL.test(character)) return DIGIT;
  if (MARK.test(character)) return EXTEND;
  if (FORMAT_CHARACTER.test(character)) return FORMAT;
  return OTHER;
}

/** Word-break class of a code point (one of the constants above). */
export function charClass(codePoint: number): number {
  if (codePoint < 128) return ASCII[codePoint] ?? OTHER;
  let found = cache.get(codePoint);
  if (found === undefined) {
    found = classifyNonAscii(codePoint);
    cache.set(codePoint, found);
  }
  return found;
}
