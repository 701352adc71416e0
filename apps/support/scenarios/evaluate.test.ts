import { describe, expect, it } from 'vitest';
import { spread } from './evaluate.ts';

describe('spread', () => {
  it('picks items evenly over the whole list, first one included', () => {
    const items = Array.from({ length: 47 }, (_, index) => index);
    const picked = spread(items, 16);
    expect(picked).toHaveLength(16);
    expect(picked[0]).toBe(0);
    expect(picked.at(-1)).toBeGreaterThanOrEqual(44);
    expect(new Set(picked).size).toBe(16);
  });

  it('keeps everything when asked for as many or more', () => {
    expect(spread(['a', 'b'], 2)).toEqual(['a', 'b']);
    expect(spread(['a', 'b'], 5)).toEqual(['a', 'b']);
  });
});
