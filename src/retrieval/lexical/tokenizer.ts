import {
  ASCII_CLASSES,
  charClass,
  DIGIT,
  EXTEND,
  EXTEND_NUM_LET,
  FORMAT,
  IDEOGRAPH,
  LETTER,
  MID_LETTER,
  MID_NUM,
  MID_NUM_LET,
  SINGLE_QUOTE,
} from './char-class.ts';

/**
 * Word boundaries found by {@link scanWords}, in reusable typed arrays so that scanning allocates
 * nothing per word. Word i is text[starts[i], ends[i]); `clean[i]` is 0 when the range holds characters
 * that must go before the word is used (format characters, curly apostrophes): pass the slice through
 * {@link cleanWord} then.
 */
export class WordRanges {
  count = 0;
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  clean = new Uint8Array(256);

  /** Appends a word. */
  push(start: number, end: number, clean: boolean): void {
    if (this.count === this.starts.length) {
      const size = this.count * 2;
      this.starts = copyInto(new Int32Array(size), this.starts);
      this.ends = copyInto(new Int32Array(size), this.ends);
      this.clean = copyInto(new Uint8Array(size), this.clean);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.clean[this.count] = clean ? 1 : 0;
    this.count++;
  }
}

function copyInto<T extends Int32Array | Uint8Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

/**
 * Splits text into words with the UAX #29 rules Lucene's StandardTokenizer applies, in one pass over
 * the UTF-16 code units: letters and digits join ("covid19", "h1n1", "3mg"); ".", "'" and ":" join two
 * letters ("e.g", "don't", "u.s.a"); ".", "," and ";" join two digits ("3.14", "1,000"); "_" joins word
 * characters; every other character (including "-" and "/") breaks, so "covid-19" gives "covid" and
 * "19". Han and Hiragana characters become one-character words. Combining marks stay in the word;
 * format characters such as the soft hyphen are removed by {@link cleanWord}, so "hy­phen" matches
 * "hyphen".
 *
 * Words are reported as ranges, not strings, so a caller that has seen a word before need not
 * allocate it again. `words` is reset first. No case folding happens here; the caller normalises the
 * text first.
 */
export function scanWords(text: string, words: WordRanges): void {
  words.count = 0;
  const length = text.length;
  let position = 0;
  while (position < length) {
    const unit = text.charCodeAt(position);
    if (unit < 128) {
      const kind = ASCII_CLASSES[unit]!;
      position = kind === LETTER || kind === DIGIT ? scanWord(text, position, kind, words) : position + 1;
      continue;
    }
    const code = codePointAt(text, position);
    const kind = charClass(code);
    const width = code > 0xffff ? 2 : 1;
    if (kind === IDEOGRAPH) words.push(position, position + width, true);
    if (kind === LETTER || kind === DIGIT) position = scanWord(text, position, kind, words);
    else position += width;
  }
}

/** Reports the word that starts at `start` and returns the position after it. */
function scanWord(text: string, start: number, firstKind: number, words: WordRanges): number {
  const length = text.length;
  let previous = firstKind;
  let end = start + widthAt(text, start);
  let clean = true;
  for (;;) {
    // Hot path: a run of ASCII letters and digits.
    while (end < length) {
      const unit = text.charCodeAt(end);
      const kind = unit < 128 ? ASCII_CLASSES[unit]! : -1;
      if (kind !== LETTER && kind !== DIGIT) break;
      previous = kind;
      end++;
    }
    // Marks and format characters attach to the character before them (UAX #29 rule WB4).
    const next = skipAttached(text, end);
    if (next !== end) {
      clean = clean && !containsFormat(text, end, next);
      end = next;
    }
    if (next >= length) break;
    const code = codePointAt(text, next);
    const kind = charClass(code);
    const width = code > 0xffff ? 2 : 1;
    if (kind === LETTER || kind === DIGIT) {
      previous = kind;
      end = next + width;
      continue;
    }
    if (kind === EXTEND_NUM_LET) {
      const after = skipConnectors(text, next + width);
      const following = after < length ? charClass(codePointAt(text, after)) : -1;
      if (following !== LETTER && following !== DIGIT) break;
      clean = clean && !containsFormat(text, next, after);
      previous = following;
      end = after + widthAt(text, after);
      continue;
    }
    if (kind !== MID_LETTER && kind !== MID_NUM_LET && kind !== MID_NUM && kind !== SINGLE_QUOTE) break;
    const after = skipAttached(text, next + width);
    if (after >= length) break;
    const following = charClass(codePointAt(text, after));
    if (!joins(previous, kind, following)) break;
    if (code === 0x2018 || code === 0x2019 || containsFormat(text, next + width, after)) clean = false;
    previous = following;
    end = after + widthAt(text, after);
  }
  words.push(start, end, clean);
  return end;
}

/** UAX #29 rules WB6/WB7 (letter–mid–letter) and WB11/WB12 (digit–mid–digit). */
function joins(previous: number, middle: number, following: number): boolean {
  if (previous === LETTER && following === LETTER) return middle !== MID_NUM;
  if (previous === DIGIT && following === DIGIT) return middle !== MID_LETTER;
  return false;
}

function skipAttached(text: string, position: number): number {
  let at = position;
  while (at < text.length && text.charCodeAt(at) >= 128) {
    const kind = charClass(codePointAt(text, at));
    if (kind !== EXTEND && kind !== FORMAT) break;
    at += widthAt(text, at);
  }
  return at;
}

function skipConnectors(text: string, position: number): number {
  let at = position;
  while (at < text.length) {
    const kind = charClass(codePointAt(text, at));
    if (kind !== EXTEND_NUM_LET && kind !== EXTEND && kind !== FORMAT) break;
    at += widthAt(text, at);
  }
  return at;
}

function containsFormat(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at += widthAt(text, at)) {
    if (charClass(codePointAt(text, at)) === FORMAT) return true;
  }
  return false;
}

const FORMAT_CHARACTERS = /\p{Cf}/gu;
const CURLY_APOSTROPHES = /[\u2018\u2019]/g;

/** Drops format characters and spells curly apostrophes as "'", so "don’t" and "don't" are one term. */
export function cleanWord(word: string): string {
  return word.replace(FORMAT_CHARACTERS, '').replace(CURLY_APOSTROPHES, "'");
}

function codePointAt(text: string, position: number): number {
  const unit = text.charCodeAt(position);
  if (unit < 0xd800 || unit > 0xdbff) return unit;
  return text.codePointAt(position) ?? unit;
}

function widthAt(text: string, position: number): number {
  return codePointAt(text, position) > 0xffff ? 2 : 1;
}
