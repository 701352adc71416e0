import { describe, expect, it } from 'vitest';
import { countRelevant, meanMetrics, mrrAtK, ndcgAtK, recallAtK } from './metrics.ts';

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries));
const LOG2_3 = Math.log2(3); // 1.5849625; 1/log2(3) = 0.6309298.

describe('ranking metrics', () => {
  it('binary relevance: one hit at rank 2 of 3', () => {
    const judgements = judged({ a: 1, b: 1, c: 1 });
    const ranked = ['x', 'a', 'y', 'b'];
    // DCG@3 = 0/1 + 1/log2(3) + 0/2 = 0.6309298.
    // IDCG@3 = 1/1 + 1/log2(3) + 1/log2(4) = 2.1309298 → nDCG@3 = 0.2960819.
    expect(ndcgAtK(ranked, judgements, 3)).toBeCloseTo(1 / LOG2_3 / (1 + 1 / LOG2_3 + 0.5), 12);
    expect(ndcgAtK(ranked, judgements, 3)).toBeCloseTo(0.2960819, 6);
    // Recall@3 = 1/3, Recall@4 = 2/3; MRR@3 = 1/2, MRR@1 = 0.
    expect(recallAtK(ranked, judgements, 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, judgements, 4)).toBeCloseTo(2 / 3, 12);
    expect(mrrAtK(ranked, judgements, 3)).toBe(0.5);
    expect(mrrAtK(ranked, judgements, 1)).toBe(0);
  });

  it('graded relevance uses linear gains and ignores grade 0', () => {
    const judgements = judged({ a: 2, b: 1, c: 0 });
    const ranked = ['b', 'c', 'a'];
    // DCG@3 = 1/1 + 0/log2(3) + 2/log2(4) = 2.
    // IDCG@3 from grades [2, 1] = 2/1 + 1/log2(3) = 2.6309298 → nDCG@3 = 0.7601875.
    expect(ndcgAtK(ranked, judgements, 3)).toBeCloseTo(2 / (2 + 1 / LOG2_3), 12);
    expect(ndcgAtK(ranked, judgements, 3)).toBeCloseTo(0.7601875, 6);
    // Relevant means grade > 0: 2 of 2 found.
    expect(recallAtK(ranked, judgements, 3)).toBe(1);
    expect(mrrAtK(ranked, judgements, 3)).toBe(1);
    expect(countRelevant(judgements)).toBe(2);
  });

  it('k larger than the result list', () => {
    const judgements = judged({ a: 1, b: 1 });
    // DCG@10 = 1; IDCG@10 = 1 + 1/log2(3) = 1.6309298 → nDCG@10 = 0.6131472.
    expect(ndcgAtK(['a'], judgements, 10)).toBeCloseTo(1 / (1 + 1 / LOG2_3), 12);
    expect(recallAtK(['a'], judgements, 10)).toBe(0.5);
    expect(mrrAtK(['a'], judgements, 10)).toBe(1);
    expect(ndcgAtK([], judgements, 10)).toBe(0);
  });

  it('ties in the ideal ranking: swapping equally graded documents changes nothing', () => {
    const judgements = judged({ a: 1, b: 1, c: 2 });
    // DCG@3([a, c, b]) = 1 + 2/log2(3) + 1/2 = 2.7618595.
    // IDCG@3 = 2 + 1/log2(3) + 1/2 = 3.1309298 → nDCG@3 = 0.8821212.
    const expected = (1 + 2 / LOG2_3 + 0.5) / (2 + 1 / LOG2_3 + 0.5);
    expect(ndcgAtK(['a', 'c', 'b'], judgements, 3)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.8821212, 6);
    expect(ndcgAtK(['b', 'c', 'a'], judgements, 3)).toBeCloseTo(expected, 12);
    expect(ndcgAtK(['c', 'a', 'b'], judgements, 3)).toBeCloseTo(1, 12);
    // The ideal is cut at k too: IDCG@1 = 2, DCG@1([a]) = 1 → 0.5.
    expect(ndcgAtK(['a', 'c'], judgements, 1)).toBe(0.5);
  });

  it('counts a repeated id once, at its first rank', () => {
    const judgements = judged({ a: 1 });
    // Top 2 distinct = [x, a]: MRR@2 = 1/2, Recall@2 = 1, nDCG@2 = (1/log2(3)) / 1.
    expect(mrrAtK(['x', 'x', 'a'], judgements, 2)).toBe(0.5);
    expect(recallAtK(['x', 'x', 'a'], judgements, 2)).toBe(1);
    expect(ndcgAtK(['x', 'x', 'a'], judgements, 2)).toBeCloseTo(1 / LOG2_3, 12);
    expect(recallAtK(['a', 'a'], judgements, 2)).toBe(1);
  });

  it('scores 0 when nothing is relevant, and treats negative grades as 0', () => {
    const judgements = judged({ a: 0, b: -1 });
    expect(ndcgAtK(['a', 'b'], judgements, 10)).toBe(0);
    expect(recallAtK(['a', 'b'], judgements, 10)).toBe(0);
    expect(mrrAtK(['a', 'b'], judgements, 10)).toBe(0);
    expect(ndcgAtK(['b', 'c'], judged({ b: -1, c: 1 }), 2)).toBeCloseTo(1 / LOG2_3, 12);
  });

  it('rejects k < 1', () => {
    expect(() => ndcgAtK(['a'], judged({ a: 1 }), 0)).toThrow(/k must be/);
    expect(() => mrrAtK(['a'], judged({ a: 1 }), 1.5)).toThrow(/k must be/);
  });

  it('averages rows per key', () => {
    expect(
      meanMetrics([
        { 'ndcg@10': 1, 'mrr@10': 0 },
        { 'ndcg@10': 0, 'mrr@10': 0.5 },
      ]),
    ).toEqual({
      'ndcg@10': 0.5,
      'mrr@10': 0.25,
    });
    expect(meanMetrics([])).toEqual({});
  });
});
