/**
 * @module store/migrations/009-key-scope-and-quotas
 * Per-key quotas and the platform scope. A key may carry a quota of requests and/or answer tokens
 * per UTC day or month; requests are counted in `key_usage`, one row per key and period, shared by
 * every API process; tokens are read from the answer log (indexed by the answering key here). A
 * platform key may read what spans tenants (`/metrics`); only the CLI makes one.
 */
export const MIGRATION_009 = `
ALTER TABLE api_keys ADD COLUMN platform boolean NOT NULL DEFAULT false;
ALTER TABLE api_keys ADD COLUMN quota_period text CHECK (quota_period IN ('day', 'month'));
ALTER TABLE api_keys ADD COLUMN quota_requests bigint CHECK (quota_requests > 0);
ALTER TABLE api_keys ADD COLUMN quota_tokens bigint CHECK (quota_tokens > 0);
ALTER TABLE api_keys ADD CONSTRAINT api_keys_quota_complete
  CHECK ((quota_period IS NULL) = (quota_requests IS NULL AND quota_tokens IS NULL));

CREATE TABLE key_usage (
  key_id        uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
  period_start  timestamptz NOT NULL,
  requests      bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (key_id, period_start)
);

CREATE INDEX answers_tenant_user_time ON answers (tenant_id, user_id, created_at);
`;
