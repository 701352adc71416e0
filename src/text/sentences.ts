/**
 * @module text/sentences
 * A fast rule-based sentence splitter. `Intl.Segmenter` is exact but far too slow on long inputs
 * (minutes for 2 MB on Node 20), and chunking only needs boundaries that never cut a sentence.
 */

const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'cf',
  'al',
  'fig',
  'figs',
  'eq',
  'no',
  'nos',
  'vol',
  'pp',
  'p',
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
  'st',
  'jr',
  'sr',
  'inc',
  'ltd',
  'co',
  'corp',
  'approx',
  'dept',
  'est',
  'min',
  'max',
  'sec',
  'u.s',
  'u.k',
  'ca',
  'ch',
  'sect',
  'ref',
  'refs',
  'ed',
  'eds',
  'resp',
]);

/** Splits text into sentences, keeping each sentence's trailing whitespace out. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  // A boundary candidate: terminal punctuation, optional closing quotes/brackets, then whitespace.
  const boundary = /([.!?…]+)(["'”’)\]]*)(\s+)/g;
  let start = 0;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const end = match.index + match[1]!.length + match[2]!.length;
    const next = text.charAt(boundary.lastIndex);
    if (!isSentenceEnd(text, start, match.index, match[1]!, next, match[3]!)) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = boundary.lastIndex;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

function isSentenceEnd(
  text: string,
  sentenceStart: number,
  punctuationAt: number,
  punctuation: string,
  next: string,
  gap: string,
): boolean {
  if (gap.includes('\n')) return true;
  if (!next) return true;
  // The next sentence starts with an upper-case letter, a digit, a quote or a bracket.
  if (!/[\p{Lu}\p{N}"'“‘([]/u.test(next)) return false;
  if (punctuation !== '.') return true;
  const wordStart = text.lastIndexOf(' ', punctuationAt - 1) + 1;
  const word = text.slice(Math.max(wordStart, sentenceStart), punctuationAt).toLowerCase();
  if (ABBREVIATIONS.has(word.replace(/^[("'“‘[]+/, ''))) return false;
  // Initials such as "J. Smith" or "U.S." are not sentence ends.
  if (/^[\p{L}]$/u.test(word)) return false;
  return true;
}
