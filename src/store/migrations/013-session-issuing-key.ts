/**
 * @module store/migrations/013-session-issuing-key
 * A customer session keeps a reference to the API key that issued it (identity/sessions.ts), so its
 * requests and answer tokens are charged to that key's quota and it ends with the key: revoked,
 * rotated away after the grace period, or expired. Sessions issued before this migration get their
 * key back from `issued_by`, which held the issuing key's id (or `cli`, or an OIDC subject, which
 * have no key). The escalation index serves the support app, which asks whether an operator closed
 * or handed back a conversation since it locked verification there.
 */

/** Null for sessions issued by the CLI or by an OIDC caller. */
export const MIGRATION_013 = `
ALTER TABLE customer_sessions ADD COLUMN issued_key_id uuid REFERENCES api_keys(id) ON DELETE CASCADE;
UPDATE customer_sessions s SET issued_key_id = k.id FROM api_keys k WHERE k.id::text = s.issued_by;
CREATE INDEX customer_sessions_issued_key ON customer_sessions (issued_key_id) WHERE issued_key_id IS NOT NULL;
CREATE INDEX escalations_conversation ON escalations (tenant_id, conversation_id);
`;
