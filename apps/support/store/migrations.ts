/**
 * @module support/store/migrations
 * The support app's orders schema, in the product's Postgres next to the knowledge base, recorded in
 * its own `support_schema_migrations` table. Forward-only: never edit a shipped migration, add one.
 * Every table carries `tenant_id`, and every key starts with it.
 */
import type { Database } from '../../../src/store/database.ts';
import { type Migration, migrate } from '../../../src/store/migrate.ts';

const ORDERS_SCHEMA = `
CREATE TABLE support_customers (
  tenant_id text NOT NULL,
  id text NOT NULL,
  name text NOT NULL,
  email text NOT NULL,
  phone text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX support_customers_email ON support_customers (tenant_id, lower(email));

CREATE TABLE support_orders (
  tenant_id text NOT NULL,
  order_number text NOT NULL,
  customer_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
  placed_at timestamptz NOT NULL,
  delivered_at timestamptz,
  total numeric(10, 2) NOT NULL,
  currency text NOT NULL DEFAULT 'USD',
  PRIMARY KEY (tenant_id, order_number),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES support_customers (tenant_id, id)
);
CREATE INDEX support_orders_customer ON support_orders (tenant_id, customer_id, placed_at DESC);

CREATE TABLE support_order_lines (
  tenant_id text NOT NULL,
  order_number text NOT NULL,
  line integer NOT NULL,
  model text NOT NULL,
  product text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price numeric(10, 2) NOT NULL,
  clearance boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, order_number, line),
  FOREIGN KEY (tenant_id, order_number) REFERENCES support_orders (tenant_id, order_number)
);

CREATE TABLE support_shipments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL,
  order_number text NOT NULL,
  carrier text NOT NULL,
  tracking_number text NOT NULL,
  status text NOT NULL CHECK (status IN ('label_created', 'in_transit', 'out_for_delivery', 'delivered', 'exception')),
  eta date,
  events jsonb NOT NULL DEFAULT '[]',
  FOREIGN KEY (tenant_id, order_number) REFERENCES support_orders (tenant_id, order_number)
);
CREATE INDEX support_shipments_order ON support_shipments (tenant_id, order_number);

CREATE TABLE support_returns (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL,
  order_number text NOT NULL,
  status text NOT NULL CHECK (status IN ('requested', 'awaiting_approval', 'approved', 'received', 'refunded', 'rejected')),
  reason text NOT NULL,
  refund_amount numeric(10, 2) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, order_number) REFERENCES support_orders (tenant_id, order_number)
);
CREATE INDEX support_returns_order ON support_returns (tenant_id, order_number)
`;

// Who a conversation was verified as, so later turns (and a run resumed after a restart) act for the
// same customer. No foreign key to support_customers: reseeding a tenant must not fail on old sessions.
const CONVERSATION_CUSTOMERS = `
CREATE TABLE support_conversation_customers (
  tenant_id text NOT NULL,
  conversation_id text NOT NULL,
  customer_id text NOT NULL,
  verified_by text NOT NULL,
  verified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id)
)
`;

// The no-LLM policy's state between turns (what the customer asked before verifying, failed attempts,
// the last agent), so a conversation carries on after a restart. The verified customer stays in
// support_conversation_customers, which the agents' mode shares.
const ROUTED_SESSIONS = `
CREATE TABLE support_routed_sessions (
  tenant_id text NOT NULL,
  conversation_id text NOT NULL,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id)
)
`;

// Failed `verify_customer` attempts per conversation, so the limit holds across restarts and across
// several instances of the app (it was a map in one process).
const VERIFICATION_ATTEMPTS = `
CREATE TABLE support_verification_attempts (
  tenant_id text NOT NULL,
  conversation_id text NOT NULL,
  attempts integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id)
)
`;

// Verification limits per conversation, session, API key and target customer, across conversations
// (issue 15): one row per subject with its failures in the current window, when it may try again and
// until when it is locked. The per-conversation counts of version 4 carry over (three or more was a
// lock), and that table goes. `resolutions_seen` is how many times an operator had closed or handed
// back the conversation at its last failure; a higher count now releases it (issue 20). Failures
// against a target customer are also logged one by one, so operators and the guessing alarm can see
// from how many conversations and sessions a customer is being tried.
const VERIFICATION_LIMITS = `
CREATE TABLE support_verification_limits (
  id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  tenant_id text NOT NULL,
  dimension text NOT NULL CHECK (dimension IN ('conversation', 'session', 'key', 'customer')),
  subject text NOT NULL,
  failures integer NOT NULL DEFAULT 0,
  window_started_at timestamptz,
  last_failure_at timestamptz,
  locked_at timestamptz,
  locked_until timestamptz,
  resolutions_seen integer NOT NULL DEFAULT 0,
  alerted_at timestamptz,
  PRIMARY KEY (tenant_id, dimension, subject)
);
CREATE INDEX support_verification_limits_locked ON support_verification_limits (tenant_id, locked_until);

CREATE TABLE support_verification_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL,
  customer_id text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('mismatch', 'refused')),
  conversation_id text NOT NULL,
  session_id text,
  key_subject text,
  order_number text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX support_verification_failures_customer ON support_verification_failures (tenant_id, customer_id, at);

INSERT INTO support_verification_limits
  (tenant_id, dimension, subject, failures, window_started_at, last_failure_at, locked_at, locked_until)
SELECT tenant_id, 'conversation', conversation_id, attempts, updated_at, updated_at,
       CASE WHEN attempts >= 3 THEN updated_at END,
       CASE WHEN attempts >= 3 THEN updated_at + interval '24 hours' END
FROM support_verification_attempts WHERE attempts > 0;

DROP TABLE support_verification_attempts
`;

/** The support app's migrations, in order. */
export const SUPPORT_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'orders', sql: ORDERS_SCHEMA },
  { version: 2, name: 'conversation-customers', sql: CONVERSATION_CUSTOMERS },
  { version: 3, name: 'routed-sessions', sql: ROUTED_SESSIONS },
  { version: 4, name: 'verification-attempts', sql: VERIFICATION_ATTEMPTS },
  { version: 5, name: 'verification-limits', sql: VERIFICATION_LIMITS },
];

/** Advisory lock of the support app's migrations (the product's is 4_247_001). */
const SUPPORT_LOCK_KEY = 4_247_101;

/** Applies the support app's pending migrations; returns the versions applied. */
export function migrateSupportStore(db: Database): Promise<number[]> {
  return migrate(db, SUPPORT_MIGRATIONS, { table: 'support_schema_migrations', lockKey: SUPPORT_LOCK_KEY });
}
