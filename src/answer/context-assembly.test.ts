import { describe, expect, it } from 'vitest';
import { splitSentences } from '../text/sentences.ts';
import { createTokenCounter } from '../text/tokens.ts';
import { chunkOf } from './__fixtures__/chunks.ts';
import { assembleContext } from './context-assembly.ts';

const counter = createTokenCounter();
const sentence = (index: number) =>
  `Sentence number ${index} explains one more detail of the return policy for smart thermostats.`;
const long = Array.from({ length: 40 }, (_, index) => sentence(index)).join(' ');

describe('context assembly', () => {
  it('keeps passages in rank order while they fit and drops the lowest-ranked first', () => {
    const chunks = [1, 2, 3, 4].map((rank) => chunkOf(`Passage ${rank}. ${sentence(rank)}`, rank));
    const each = counter.count(chunks[0]!.text);
    const passages = assembleContext(chunks, each * 2 + 5, counter);
    expect(passages.map((passage) => [passage.n, passage.chunk.chunkId, passage.trimmed])).toEqual([
      [1, 1, false],
      [2, 2, false],
    ]);
  });

  it('trims a passage that does not fit only at sentence boundaries, never mid-sentence', () => {
    const whole = new Set(splitSentences(long));
    for (const budget of [40, 57, 120, 333]) {
      const [passage] = assembleContext([chunkOf(long)], budget, counter);
      expect(passage?.trimmed).toBe(true);
      expect(passage!.tokens).toBeLessThanOrEqual(budget);
      expect(counter.count(passage!.text)).toBe(passage!.tokens);
      for (const kept of splitSentences(passage!.text)) expect(whole.has(kept)).toBe(true);
      expect(passage!.text.endsWith('thermostats.')).toBe(true);
    }
  });

  it('drops a passage when not even its first sentence fits', () => {
    expect(assembleContext([chunkOf(long)], 10, counter)).toEqual([]);
    expect(assembleContext([], 3000, counter)).toEqual([]);
  });
});
