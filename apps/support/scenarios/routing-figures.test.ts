import { describe, expect, it } from 'vitest';
import { trainIntentRouter } from '../../../src/agents/intents/router.ts';
import { createAnalyzer } from '../../../src/retrieval/lexical/analyzer.ts';
import { loadIntentSplits } from '../intents/index.ts';
import { measureRouting } from './routing-figures.ts';

describe('routing figures on the test split', () => {
  it('count a router that rejects everything as right only on the out-of-scope utterances', async () => {
    const splits = await loadIntentSplits();
    const router = await trainIntentRouter(splits.train, { analyzer: createAnalyzer(), threshold: 2 });
    const figures = await measureRouting(router);
    const oos = splits.test.filter((example) => example.intent === 'out_of_scope').length;
    expect(figures.testSize).toBe(splits.test.length);
    expect(figures.accuracy).toBeCloseTo(oos / splits.test.length);
    expect(figures.outOfScopeRecall).toBe(1);
    expect(figures.outOfScopePrecision).toBeCloseTo(oos / splits.test.length);
    expect(figures.perIntent.faq).toEqual({ correct: 0, total: 8 });
    expect(figures.confusions.every((confusion) => confusion.predicted === 'out_of_scope')).toBe(true);
    expect(figures.confusions.reduce((sum, confusion) => sum + confusion.count, 0)).toBe(
      splits.test.length - oos,
    );
  });

  it('measure the app router as the app trains it, on utterances it never saw', async () => {
    const splits = await loadIntentSplits();
    const seen = new Set([...splits.train, ...splits.validation].map((example) => example.text));
    expect(splits.test.filter((example) => seen.has(example.text))).toEqual([]);
    const figures = await measureRouting();
    const correct = Object.values(figures.perIntent).reduce((sum, entry) => sum + entry.correct, 0);
    expect(figures.accuracy).toBeCloseTo(correct / figures.testSize);
    expect(figures.target).toBe(0.95);
  });
});
