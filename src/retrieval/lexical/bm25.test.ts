import { describe, expect, it } from 'vitest';
import { GroundworkError } from '../../errors.ts';
import {
  BM25_DEFAULTS,
  bm25Idf,
  bm25TermFrequencyWeight,
  bm25TermScore,
  queryTermCounts,
  resolveBm25Parameters,
} from './bm25.ts';
import { luceneDocumentLength } from './lucene-length.ts';

describe('BM25 formula (Lucene variant)', () => {
  it('defaults to Anserini BEIR settings', () => {
    expect(BM25_DEFAULTS).toEqual({ k1: 0.9, b: 0.4 });
  });

  it('computes idf = ln(1 + (N − df + 0.5)/(df + 0.5)), positive even for common terms', () => {
    // N = 3, df = 2: ln(1 + 1.5/2.5) = ln(1.6).
    expect(bm25Idf(3, 2)).toBeCloseTo(Math.log(1.6), 12);
    // N = 3, df = 1: ln(1 + 2.5/1.5) = ln(8/3).
    expect(bm25Idf(3, 1)).toBeCloseTo(Math.log(8 / 3), 12);
    // A term in every document: ln(1 + 0.5/3.5) > 0.
    expect(bm25Idf(3, 3)).toBeGreaterThan(0);
  });

  it('computes the tf part tf·(k1+1) / (tf + k1·(1 − b + b·len/avgdl))', () => {
    // tf 1 at average length: 1.9 / (1 + 0.9) = 1.
    expect(bm25TermFrequencyWeight(1, 2, 2)).toBeCloseTo(1, 12);
    // tf 2, len 3, avgdl 2: norm = 0.6 + 0.4·1.5 = 1.2; 3.8 / (2 + 1.08) = 1.2337662….
    expect(bm25TermFrequencyWeight(2, 3, 2)).toBeCloseTo(3.8 / 3.08, 12);
    // b = 0 ignores length; k1 = 0 ignores tf beyond presence.
    expect(bm25TermFrequencyWeight(2, 100, 2, { k1: 0.9, b: 0 })).toBeCloseTo(3.8 / 2.9, 12);
    expect(bm25TermFrequencyWeight(5, 3, 2, { k1: 0, b: 0.4 })).toBe(1);
  });

  it('scores a term as qtf · idf · tf part', () => {
    const input = {
      termFrequency: 2,
      documentFrequency: 2,
      documentCount: 3,
      documentLength: 3,
      averageDocumentLength: 2,
    };
    const single = Math.log(1.6) * (3.8 / 3.08);
    expect(bm25TermScore(input)).toBeCloseTo(single, 12);
    expect(bm25TermScore({ ...input, queryTermCount: 2 })).toBeCloseTo(2 * single, 12);
  });

  it('counts repeated query terms', () => {
    expect([...queryTermCounts(['cat', 'dog', 'cat'])]).toEqual([
      ['cat', 2],
      ['dog', 1],
    ]);
  });

  it('validates parameters', () => {
    expect(resolveBm25Parameters({ k1: 1.2 })).toEqual({ k1: 1.2, b: 0.4 });
    expect(() => resolveBm25Parameters({ b: 1.5 })).toThrow(GroundworkError);
    expect(() => resolveBm25Parameters({ k1: Number.NaN })).toThrow(/k1/);
  });
});

describe('luceneDocumentLength', () => {
  it('is exact below 24 and keeps four significant bits above, rounding down', () => {
    expect([0, 1, 23, 24, 25, 39, 40].map(luceneDocumentLength)).toEqual([0, 1, 23, 24, 25, 39, 40]);
    // 161 − 24 = 137 = 0b10001001 → 0b10000000 = 128 → 152.
    expect(luceneDocumentLength(161)).toBe(152);
    // 100 − 24 = 76 = 0b1001100 → 0b1001000 = 72 → 96.
    expect(luceneDocumentLength(100)).toBe(96);
    expect(luceneDocumentLength(1000)).toBe(984);
  });
});
