/**
 * @module answer/generation-settings
 * The sampling settings a grounded generation runs with: the prompt version's (prompts/generation-
 * settings.ts), over the configured output limit, over conservative defaults.
 */
import type { GenerationSettings } from '../spec/prompts.ts';

/**
 * Defaults of grounded answers: a low temperature, so the model stays with the passages' words.
 * Top-p and stop sequences are the provider's unless a version sets them.
 */
export const GROUNDED_GENERATION_DEFAULTS: GenerationSettings = { temperature: 0.2 };

/**
 * The settings of one generation: the version's, over the configured output limit, over the defaults.
 *
 * @example
 * effectiveGeneration({ topP: 0.9 }, { maxOutputTokens: 1024 }); // { temperature: 0.2, maxOutputTokens: 1024, topP: 0.9 }
 */
export function effectiveGeneration(
  version: GenerationSettings | undefined,
  configured: { readonly maxOutputTokens?: number } = {},
): GenerationSettings {
  const merged: GenerationSettings = {
    ...GROUNDED_GENERATION_DEFAULTS,
    ...(configured.maxOutputTokens === undefined ? {} : { maxOutputTokens: configured.maxOutputTokens }),
    ...withoutUndefined(version ?? {}),
  };
  return merged;
}

function withoutUndefined(settings: GenerationSettings): GenerationSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
