/**
 * @module store/migrations/024-prompt-generation-settings
 * Sampling settings stored with each prompt version (prompts/generation-settings.ts): temperature,
 * top-p, most output tokens, stop sequences. Existing versions get none, so they answer with the
 * defaults of grounded answers; versions stay immutable, so a setting changes with a new version.
 */

/** One JSON object of settings per version; `{}` means the defaults. */
export const MIGRATION_024 = `
ALTER TABLE prompt_versions ADD COLUMN generation jsonb NOT NULL DEFAULT '{}'::jsonb;
`;
