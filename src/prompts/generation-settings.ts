/**
 * @module prompts/generation-settings
 * Sampling settings stored with a prompt version: temperature, top-p, the most output tokens, and
 * stop sequences. They travel with the version, so an experiment can compare a setting as well as a
 * text, and a rollback restores both. Unset fields fall back to the defaults for grounded answers,
 * which are conservative: a grounded answer should quote and cite, not improvise.
 */
import { z } from 'zod';
import { InvalidRequestError } from '../errors.ts';
import type { GenerationSettings } from '../spec/prompts.ts';

export type { GenerationSettings } from '../spec/prompts.ts';

/** The schema of stored and requested settings (strict: an unknown field is a typo, not a wish). */
export const generationSettingsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().gt(0).max(1).optional(),
    maxOutputTokens: z.number().int().min(1).max(32_000).optional(),
    stopSequences: z.array(z.string().min(1).max(100)).max(4).optional(),
  })
  .strict();

/**
 * Checks settings from a caller; `invalid_generation_settings` (400) names the field and the limit.
 *
 * @example
 * parseGenerationSettings({ temperature: 0.1, stopSequences: ['\n\nQuestion:'] });
 */
export function parseGenerationSettings(value: unknown): GenerationSettings {
  const parsed = generationSettingsSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'generation';
  throw new InvalidRequestError(
    'invalid_generation_settings',
    `generation.${field}: ${issue?.message ?? 'invalid'} (temperature 0–2, topP above 0 up to 1, maxOutputTokens 1–32000, at most 4 stopSequences of 1–100 characters).`,
    { field: `generation.${field}` },
  );
}
