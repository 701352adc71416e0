/**
 * @module store/migrations/003-api-keys
 * API keys (who may call the HTTP API, as which tenant, role and principals) and the audit log of
 * what administrators and the CLI operator did. Key secrets are never stored: only a sha256 hash of
 * the random secret, next to a short public prefix used to find the row and to show the key in lists.
 */

/** `revoked_at` may lie in the future: a rotated key keeps working until its grace period ends. */
export const MIGRATION_003 = `
CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('customer', 'operator', 'admin')),
  principals    text[] NOT NULL DEFAULT '{}',
  prefix        text NOT NULL UNIQUE,
  hash          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  expires_at    timestamptz,
  revoked_at    timestamptz,
  rotated_from  uuid REFERENCES api_keys(id) ON DELETE SET NULL
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);

-- No foreign key to tenants: the record of what happened outlives what it happened to.
CREATE TABLE audit_log (
  id         bigserial PRIMARY KEY,
  tenant_id  text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL,
  action     text NOT NULL,
  target     text,
  details    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, at DESC);
`;
