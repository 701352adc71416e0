/**
 * @module store/migrations/006-agent-runs
 * Agent runs: one row per turn of the agent runtime, so a run paused for a person's approval survives
 * a restart of the process.
 */

/** `state` is the runtime's serialised RunState; its own `schemaVersion` says how to read it. */
export const MIGRATION_006 = `
CREATE TABLE agent_runs (
  id               uuid PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id  text NOT NULL,
  status           text NOT NULL CHECK (status IN ('running', 'paused', 'completed', 'failed')),
  state            jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_runs_conversation ON agent_runs (tenant_id, conversation_id, created_at DESC);
CREATE INDEX agent_runs_paused ON agent_runs (tenant_id, updated_at) WHERE status = 'paused';
`;
