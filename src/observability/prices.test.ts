import { describe, expect, it } from 'vitest';
import { createPriceList } from './prices.ts';

describe('price list', () => {
  const prices = createPriceList({
    'openai-compatible:llama-3.1-8b': { inputPerMillion: 1, outputPerMillion: 2 },
  });

  it('prices dated model ids by the longest matching prefix', () => {
    expect(prices.priceOf('openai:gpt-4o-2024-08-06')).toEqual({
      inputPerMillion: 2.5,
      outputPerMillion: 10,
    });
    expect(prices.priceOf('openai:gpt-4o-mini-2024-07-18')?.inputPerMillion).toBe(0.15);
    expect(prices.priceOf('openai:gpt-4.1-nano')?.outputPerMillion).toBe(0.4);
    expect(prices.priceOf('anthropic:claude-3-5-haiku-20241022')?.inputPerMillion).toBe(0.8);
    expect(prices.priceOf('openai:gpt-4o2')).toBeUndefined();
  });

  it('computes cost per million tokens, and flags models without a price', () => {
    const cost = prices.cost('openai:gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 500_000 });
    expect(cost.costUsd).toBeCloseTo(0.45, 10);
    expect(cost.priced).toBe(true);
    expect(prices.cost('openai-compatible:llama-3.1-8b', { inputTokens: 500, outputTokens: 1000 })).toEqual({
      costUsd: 0.0025,
      priced: true,
    });
    expect(prices.cost('local:gemma-3-270m', { inputTokens: 900, outputTokens: 50 })).toEqual({
      costUsd: 0,
      priced: true,
    });
    expect(prices.cost('openai-compatible:mystery', { inputTokens: 10, outputTokens: 1 })).toEqual({
      costUsd: 0,
      priced: false,
    });
    expect(prices.cost(null, { inputTokens: 0, outputTokens: 0 })).toEqual({ costUsd: 0, priced: true });
  });

  it('lets a configured price override a default', () => {
    const custom = createPriceList({ 'openai:gpt-4o': { inputPerMillion: 1, outputPerMillion: 1 } });
    expect(custom.cost('openai:gpt-4o', { inputTokens: 2_000_000, outputTokens: 0 }).costUsd).toBe(2);
    expect(custom.priceOf('openai:gpt-4o-mini')?.inputPerMillion).toBe(0.15);
  });
});
