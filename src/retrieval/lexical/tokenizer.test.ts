import { describe, expect, it } from 'vitest';
import { cleanWord, scanWords, WordRanges } from './tokenizer.ts';

function words(text: string): string[] {
  const ranges = new WordRanges();
  scanWords(text, ranges);
  const found: string[] = [];
  for (let index = 0; index < ranges.count; index++) {
    const word = text.slice(ranges.starts[index], ranges.ends[index]);
    found.push(ranges.clean[index] === 1 ? word : cleanWord(word));
  }
  return found;
}

describe('scanWords (UAX #29 word rules as in Lucene StandardTokenizer)', () => {
  it('breaks on hyphens and slashes but joins letters with digits', () => {
    expect(words('covid-19 sars-cov-2 and/or covid19 h1n1 3mg')).toEqual([
      'covid',
      '19',
      'sars',
      'cov',
      '2',
      'and',
      'or',
      'covid19',
      'h1n1',
      '3mg',
    ]);
  });

  it('joins letters across ".", "\'" and ":" and digits across ".", "," and ";"', () => {
    expect(words("e.g. u.s.a o'neil ratio:value 3.14 1,000,000 1;2")).toEqual([
      'e.g',
      'u.s.a',
      "o'neil",
      'ratio:value',
      '3.14',
      '1,000,000',
      '1;2',
    ]);
  });

  it('does not join across mixed classes or trailing punctuation', () => {
    expect(words("a.1 1.a a,b 1:2 end. next, p<0.05 students' 'quoted'")).toEqual([
      'a',
      '1',
      '1',
      'a',
      'a',
      'b',
      '1',
      '2',
      'end',
      'next',
      'p',
      '0.05',
      'students',
      'quoted',
    ]);
  });

  it('joins through underscores only between word characters', () => {
    expect(words('foo_bar __init__ x_ _y')).toEqual(['foo_bar', 'init', 'x', 'y']);
  });

  it('removes format characters and spells curly apostrophes as ASCII', () => {
    expect(words('hy\u00adphen don’t zero\u200bwidth')).toEqual(['hyphen', "don't", 'zerowidth']);
  });

  it('keeps combining marks in the word', () => {
    expect(words('nai\u0308ve')).toEqual(['nai\u0308ve']);
  });

  it('splits Han and Hiragana per character and keeps Katakana runs', () => {
    expect(words('東京 ひら カタカナ')).toEqual(['東', '京', 'ひ', 'ら', 'カタカナ']);
  });

  it('handles astral letters and drops emoji', () => {
    expect(words('\u{1d400}bc 😀 x😀y')).toEqual(['\u{1d400}bc', 'x', 'y']);
  });

  it('returns nothing for punctuation-only or empty text', () => {
    expect(words('')).toEqual([]);
    expect(words(' -- ... ___ ')).toEqual([]);
  });

  it('grows its buffers for long texts', () => {
    expect(words('w '.repeat(1000))).toHaveLength(1000);
  });
});
