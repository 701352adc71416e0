import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const load = (overrides: Parameters<typeof loadConfig>[0]) => () =>
  loadConfig({ dataDir: 'memory://', ...overrides }, {});

describe('prices and budgets config', () => {
  it('accepts prices and budgets', () => {
    const config = load({
      prices: {
        'openai-compatible:llama-3.1-8b': { inputPerMillion: 0.05, outputPerMillion: 0.08 },
        'vllm:*': { inputPerMillion: 0, outputPerMillion: 0 },
      },
      budgets: { acme: { monthlyUsd: 50 }, globex: { monthlyTokens: 1_000_000, monthlyUsd: 10 } },
    })();
    expect(config.budgets.acme).toEqual({ monthlyUsd: 50 });
    expect(Object.keys(config.prices)).toHaveLength(2);
    expect(load({})().budgets).toEqual({});
  });

  it('says what to fix when they are wrong', () => {
    expect(load({ budgets: { acme: {} } })).toThrow(/budgets\.acme: set monthlyUsd, monthlyTokens or both/);
    expect(load({ budgets: { acme: { monthlyUsd: -1 } } })).toThrow(/budgets\.acme\.monthlyUsd/);
    expect(load({ prices: { 'gpt-4o': { inputPerMillion: 1, outputPerMillion: 1 } } })).toThrow(
      /prices.*a price key is provider:model or provider:\*/,
    );
    expect(load({ prices: { 'openai:gpt-4o': { inputPerMillion: 1 } as never } })).toThrow(
      /prices\.openai:gpt-4o\.outputPerMillion/,
    );
  });
});
