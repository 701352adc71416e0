/**
 * @module store/migrations/025-pending-actions
 * Pending actions (issue 20): a state-changing tool call the customer was asked to confirm, one per
 * conversation, so the confirmation survives a restart between the question and the customer's yes.
 * No foreign key to conversations: the agent runtime also serves apps that keep their own.
 */

/** `input` is the validated tool input; `description` what the customer was told. */
export const MIGRATION_025 = `
CREATE TABLE agent_pending_actions (
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id  text NOT NULL,
  tool_name        text NOT NULL,
  input            jsonb NOT NULL,
  agent            text NOT NULL,
  description      text NOT NULL,
  proposed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id)
);
`;
