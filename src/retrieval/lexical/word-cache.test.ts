import { describe, expect, it } from 'vitest';
import { WordCache } from './word-cache.ts';

describe('WordCache', () => {
  it('resolves each distinct word once and shares ids between words with the same term', () => {
    const calls: string[] = [];
    const cache = new WordCache((word) => {
      calls.push(word);
      return word === 'the' ? undefined : word.replace(/s$/, '');
    }, 100);
    const text = 'cats cat the cats';
    const cats = cache.lookup(text, 0, 4);
    expect(cache.lookup(text, 5, 8)).toBe(cats);
    expect(cache.lookup(text, 9, 12)).toBe(-1);
    expect(cache.lookup(text, 13, 17)).toBe(cats);
    expect(cache.terms[cats]).toBe('cat');
    expect(calls).toEqual(['cats', 'cat', 'the']);
  });

  it('grows past its initial table, entry and key sizes', () => {
    const cache = new WordCache((word) => word, 1_000_000);
    const text = Array.from({ length: 40_000 }, (_, index) => `w${index}`.padEnd(12, 'x')).join(' ');
    // 40,000 words of 12 characters: past 2^14 entries, 2^18 key characters and one table rehash.
    const starts = Array.from({ length: 40_000 }, (_, index) => index * 13);
    const first = starts.map((start) => cache.lookup(text, start, start + 12));
    const mismatches = starts.filter(
      (start, index) =>
        cache.lookup(text, start, start + 12) !== first[index] ||
        cache.terms[first[index]!] !== text.slice(start, start + 12),
    );
    expect(mismatches).toHaveLength(0);
    expect(new Set(first).size).toBe(40_000);
  });

  it('starts over on trim once over capacity', () => {
    const cache = new WordCache((word) => word, 2);
    cache.lookup('ab', 0, 1);
    cache.trim();
    expect(cache.terms).toEqual(['a']);
    cache.lookup('ab', 1, 2);
    cache.trim();
    expect(cache.terms).toEqual([]);
    expect(cache.terms[cache.lookup('b', 0, 1)]).toBe('b');
  });

  it('resolves uncached words without remembering the word', () => {
    const cache = new WordCache((word) => (word.length > 3 ? undefined : word), 10);
    expect(cache.resolveUncached('toolong')).toBe(-1);
    expect(cache.terms[cache.resolveUncached('ok')]).toBe('ok');
  });
});
