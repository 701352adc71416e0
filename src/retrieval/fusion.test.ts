import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './fusion.ts';

describe('reciprocalRankFusion', () => {
  it('adds weight / (k + rank) across lists', () => {
    const fused = reciprocalRankFusion(
      [
        { weight: 1, ids: [10, 20, 30] },
        { weight: 1, ids: [20, 40] },
      ],
      60,
    );
    // 20: 1/62 + 1/61; 10: 1/61; 40: 1/62; 30: 1/63.
    expect(fused.map((hit) => hit.id)).toEqual([20, 10, 40, 30]);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
  });

  it('honours weights and breaks ties by id', () => {
    const fused = reciprocalRankFusion(
      [
        { weight: 2, ids: [1] },
        { weight: 1, ids: [2] },
        { weight: 0, ids: [3] },
      ],
      10,
    );
    expect(fused.map((hit) => hit.id)).toEqual([1, 2, 3]);
    expect(
      reciprocalRankFusion(
        [
          { weight: 1, ids: [5] },
          { weight: 1, ids: [4] },
        ],
        1,
      ).map((hit) => hit.id),
    ).toEqual([4, 5]);
  });
});
