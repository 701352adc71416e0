/**
 * @module store/migrations/019-guardrail-settings
 * Per-tenant guardrail overrides (guardrails/guardrail-settings.ts): what to do with each moderation
 * category and with stereotyping answers, set by the tenant's admin. A tenant without a row uses the
 * configured defaults; servers reread a row within `guardrails.settingsCacheSeconds`.
 */

/** One row per tenant that has changed its guardrail actions. */
export const MIGRATION_019 = `
CREATE TABLE guardrail_settings (
  tenant_id   text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  overrides   jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);
`;
