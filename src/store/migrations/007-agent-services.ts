/**
 * @module store/migrations/007-agent-services
 * The services around the agent runtime: the operator inbox of escalated conversations, the stored
 * summary of a long conversation, per-customer long-term memory, and message roles for people and
 * events (an operator's reply, "a person has joined", a tool call in the transcript).
 */

/**
 * `author` names who wrote an operator message (the operator's key id); `details` keeps a tool call's
 * name, input and output. The customer-facing view never shows `tool` messages.
 */
export const MIGRATION_007 = `
ALTER TABLE conversation_messages DROP CONSTRAINT conversation_messages_role_check;
ALTER TABLE conversation_messages ADD CONSTRAINT conversation_messages_role_check
  CHECK (role IN ('user', 'assistant', 'operator', 'system', 'tool'));
ALTER TABLE conversation_messages ADD COLUMN author text;
ALTER TABLE conversation_messages ADD COLUMN details jsonb;

-- Turns up to summary_through (an ordinal) are represented by summary in the model's window.
ALTER TABLE conversations ADD COLUMN summary text;
ALTER TABLE conversations ADD COLUMN summary_through integer;

CREATE TABLE escalations (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id   uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  customer_id       text,
  trigger           text NOT NULL CHECK (trigger IN
                      ('customer-request', 'repeated-failure', 'sensitive-request', 'low-confidence', 'agent-decision')),
  reason            text NOT NULL,
  notes             jsonb NOT NULL DEFAULT '[]',
  customer_context  jsonb NOT NULL DEFAULT '{}',
  status            text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'claimed', 'returned', 'closed')),
  claimed_by        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  claimed_at        timestamptz,
  returned_at       timestamptz,
  closed_at         timestamptz
);
CREATE INDEX escalations_tenant_status ON escalations (tenant_id, status, created_at);
-- At most one open escalation per conversation: escalating again adds notes to the open one.
CREATE UNIQUE INDEX escalations_open ON escalations (conversation_id) WHERE status IN ('waiting', 'claimed');

-- The vector has no fixed dimension, so one table serves every embedder; rows are compared only with
-- vectors of the same model_id. A customer has few memories, so an exact scan per customer is cheap
-- and no HNSW index (which needs a dimension) is built.
CREATE TABLE customer_memories (
  id                   bigserial PRIMARY KEY,
  tenant_id            text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  customer_id          text NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('fact', 'preference', 'issue')),
  text                 text NOT NULL,
  resolution           text,
  model_id             integer REFERENCES embedding_models(id) ON DELETE SET NULL,
  embedding            vector,
  source_conversation  uuid REFERENCES conversations(id) ON DELETE SET NULL,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_memories_customer ON customer_memories (tenant_id, customer_id, created_at DESC);
`;
