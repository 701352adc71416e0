import fc from 'fast-check';
import { stemmer } from 'stemmer';
import { describe, expect, it } from 'vitest';
import { GroundworkError } from '../../errors.ts';
import { createAnalyzer } from './analyzer.ts';
import { LUCENE_ENGLISH_STOP_WORDS } from './stop-words.ts';
import { cleanWord, scanWords, WordRanges } from './tokenizer.ts';

describe('createAnalyzer', () => {
  const analyzer = createAnalyzer();

  it('reproduces the Lucene/Anserini English chain: lower case, possessive, stop words, Porter', () => {
    expect(analyzer.terms("The patient's COVID-19 tests were running")).toEqual([
      'patient',
      'covid',
      '19',
      'test',
      'were',
      'run',
    ]);
  });

  it('has a stable name that records its configuration', () => {
    expect(analyzer.name).toBe('standard-v1+stop-lucene33+porter+max255');
    expect(createAnalyzer({ stopWords: 'none', stemming: 'none', maxTokenLength: 40 }).name).toBe(
      'standard-v1+stop-none+nostem+max40',
    );
  });

  it('strips possessives with straight and curly apostrophes, then drops stop words such as "it"', () => {
    expect(analyzer.terms("patient's patient’s PATIENT'S it's o'neil")).toEqual([
      'patient',
      'patient',
      'patient',
      "o'neil",
    ]);
  });

  it('applies NFKC before lower-casing (ligatures, full-width, composed accents)', () => {
    expect(analyzer.terms('ﬁnance ＣＯＶＩＤ')).toEqual(['financ', 'covid']);
    expect(analyzer.terms('nai\u0308ve')).toEqual(analyzer.terms('naïve'));
  });

  it('keeps decimal and grouped numbers whole', () => {
    expect(analyzer.terms('3.14 1,000 0.05 1990s')).toEqual(['3.14', '1,000', '0.05', '1990']);
  });

  it('uses the 33 Lucene stop words by default and accepts other lists', () => {
    expect(LUCENE_ENGLISH_STOP_WORDS).toHaveLength(33);
    expect(analyzer.terms('to be or not to be')).toEqual([]);
    expect(createAnalyzer({ stopWords: 'none' }).terms('to be')).toEqual(['to', 'be']);
    const custom = createAnalyzer({ stopWords: ['COVID', 'virus'] });
    expect(custom.terms('the covid virus')).toEqual(['the']);
    expect(custom.name).toMatch(/^standard-v1\+stop-custom-[0-9a-f]{8}\+porter\+max255$/);
    expect(createAnalyzer({ stopWords: ['virus', 'covid'] }).name).toBe(custom.name);
    expect(createAnalyzer({ stopWords: ['virus'] }).name).not.toBe(custom.name);
  });

  it('can skip stemming', () => {
    expect(createAnalyzer({ stemming: 'none' }).terms('running tests')).toEqual(['running', 'tests']);
  });

  it('drops words longer than maxTokenLength, measured after the possessive goes', () => {
    const short = createAnalyzer({ maxTokenLength: 5, stemming: 'none' });
    expect(short.terms("abcde abcdef abcde's")).toEqual(['abcde', 'abcde']);
    expect(analyzer.terms(`${'x'.repeat(256)} ok`)).toEqual(['ok']);
  });

  it('rejects impossible options at construction', () => {
    expect(() => createAnalyzer({ maxTokenLength: 0 })).toThrow(GroundworkError);
    expect(() => createAnalyzer({ stemming: 'snowball' as 'porter' })).toThrow(/stemming/);
    expect(() => createAnalyzer({ stopWords: [1] as unknown as string[] })).toThrow(/stopWords/);
  });

  it('counts term frequencies and the BM25 length', () => {
    const { frequencies, length } = analyzer.termFrequencies('Run, running, runs! The cat ran.');
    expect([...frequencies]).toEqual([
      ['run', 3],
      ['cat', 1],
      ['ran', 1],
    ]);
    expect(length).toBe(5);
    expect(analyzer.termFrequencies('the of and')).toEqual({ frequencies: new Map(), length: 0 });
  });

  it('gives the same terms as a plain, uncached pipeline, whatever it analysed before', () => {
    const stopWords = new Set(LUCENE_ENGLISH_STOP_WORDS);
    const reference = (text: string): string[] => {
      const normalized = text.normalize('NFKC').toLowerCase();
      const ranges = new WordRanges();
      scanWords(normalized, ranges);
      const terms: string[] = [];
      for (let index = 0; index < ranges.count; index++) {
        let word = cleanWord(normalized.slice(ranges.starts[index], ranges.ends[index]));
        if (word.length > 2 && word.endsWith("'s")) word = word.slice(0, -2);
        if (word.length <= 255 && !stopWords.has(word)) terms.push(stemmer(word));
      }
      return terms;
    };
    const alphabet = fc.constantFrom(
      ..."abcsty 19.,:'’-_ \u00ad\u0301éß東😀THE".split(''),
      'the ',
      "'s ",
      'ing ',
    );
    const text = fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(''));
    const shared = createAnalyzer();
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), (texts) => {
        for (const sample of texts) {
          const expected = reference(sample);
          expect(shared.terms(sample)).toEqual(expected);
          const { frequencies, length } = shared.termFrequencies(sample);
          expect(length).toBe(expected.length);
          expect([...frequencies.values()].reduce((sum, count) => sum + count, 0)).toBe(length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
