/**
 * @module store/migrations/010-customer-sessions
 * Signed customer sessions (identity/sessions.ts). The token a browser holds is signed, so it can be
 * checked without this table; the row is what makes a session revocable at once, and where a customer
 * verified in the conversation (order number plus email) is bound to an anonymous session.
 */

/** `customer_id` is null for an anonymous session until the customer verifies. */
export const MIGRATION_010 = `
CREATE TABLE customer_sessions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  customer_id     text,
  customer_email  text,
  verified_by     text CHECK (verified_by IN ('issuer', 'order-and-email')),
  verified_at     timestamptz,
  issued_by       text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz
);
CREATE INDEX customer_sessions_tenant ON customer_sessions (tenant_id, created_at);
`;
