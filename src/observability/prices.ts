/**
 * @module observability/prices
 * What a model's tokens cost, in USD per million input and output tokens. Defaults cover common hosted
 * models (list prices, late 2025); the config's `prices` field overrides or extends them. A key is a
 * `provider:model` that matches the model exactly or as a prefix followed by `-` (so `openai:gpt-4o`
 * prices `openai:gpt-4o-2024-08-06` but not `openai:gpt-4o-mini`, which has its own key), or
 * `provider:*` for every model of a provider. The longest matching key wins. Local and test models are
 * free; any other model without a price costs 0 and is flagged unpriced, so reports can say the spend
 * is a lower bound rather than silently under-count.
 */

/** USD per million tokens. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/** A price table keyed by `provider:model`, `provider:model-prefix` or `provider:*`. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** What an answer cost. */
export interface TokenCost {
  readonly costUsd: number;
  /** False when the model has no price, so `costUsd` is 0 for want of one. */
  readonly priced: boolean;
}

/** Default prices. */
export const DEFAULT_PRICES: PriceTable = {
  'openai:gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'openai:gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'openai:gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'openai:gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'openai:gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'anthropic:claude-opus-4': { inputPerMillion: 15, outputPerMillion: 75 },
  'anthropic:claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic:claude-3-7-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic:claude-3-5-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic:claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 },
  'anthropic:claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4 },
  'anthropic:claude-3-haiku': { inputPerMillion: 0.25, outputPerMillion: 1.25 },
  'openai:text-embedding-3-small': { inputPerMillion: 0.02, outputPerMillion: 0 },
  'openai:text-embedding-3-large': { inputPerMillion: 0.13, outputPerMillion: 0 },
  'openai:text-embedding-ada-002': { inputPerMillion: 0.1, outputPerMillion: 0 },
  'local:*': { inputPerMillion: 0, outputPerMillion: 0 },
  'test:*': { inputPerMillion: 0, outputPerMillion: 0 },
};

/**
 * Prices tokens of named models.
 *
 * @example
 * const prices = createPriceList({ 'openai-compatible:llama-3.1-8b': { inputPerMillion: 0.05, outputPerMillion: 0.08 } });
 * prices.cost('openai:gpt-4o-mini-2024-07-18', { inputTokens: 1000, outputTokens: 200 }); // { costUsd: 0.00027, priced: true }
 */
export function createPriceList(overrides: PriceTable = {}) {
  const table: PriceTable = { ...DEFAULT_PRICES, ...overrides };
  const keys = Object.keys(table);
  // Every model call is priced as its span ends, and a process talks to a handful of models: the
  // match over the table is made once per model name (null: no price).
  const matched = new Map<string, ModelPrice | null>();
  return {
    /** The price of `model`, or undefined when none matches. */
    priceOf(model: string): ModelPrice | undefined {
      let price = matched.get(model);
      if (price === undefined) {
        price = table[bestKey(keys, model) ?? ''] ?? null;
        // Bounded, so a caller naming endless distinct models cannot grow it without limit.
        if (matched.size < 1024) matched.set(model, price);
      }
      return price ?? undefined;
    },
    /** The cost of `usage` on `model`; no model (no tokens were spent on one) costs nothing. */
    cost(model: string | null, usage: { inputTokens: number; outputTokens: number }): TokenCost {
      if (model === null) return { costUsd: 0, priced: true };
      const price = this.priceOf(model);
      if (!price) return { costUsd: 0, priced: usage.inputTokens + usage.outputTokens === 0 };
      const costUsd =
        (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1e6;
      return { costUsd, priced: true };
    },
  };
}

/** The price list's interface. */
export type PriceList = ReturnType<typeof createPriceList>;

function bestKey(keys: readonly string[], model: string): string | undefined {
  let best: string | undefined;
  for (const key of keys) {
    if (!matches(key, model)) continue;
    // A wildcard is the weakest match: any model-specific key beats it.
    const strength = key.endsWith(':*') ? 0 : key.length;
    const bestStrength = best === undefined ? -1 : best.endsWith(':*') ? 0 : best.length;
    if (strength > bestStrength) best = key;
  }
  return best;
}

function matches(key: string, model: string): boolean {
  if (key.endsWith(':*')) return model.startsWith(key.slice(0, -1));
  return model === key || model.startsWith(`${key}-`);
}
