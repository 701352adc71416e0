/**
 * @module support/pending-approvals
 * The runs of a tenant paused for a person's approval, read from `agent_runs`, with the calls each
 * one waits on (what the operator is asked to approve).
 */
import type { SqlExecutor } from '../../src/store/database.ts';

/** A run waiting for approval. */
export interface PendingApprovalRun {
  readonly runId: string;
  readonly conversationId: string;
  readonly calls: readonly { toolCallId: string; toolName: string; input: unknown; agent: string }[];
}

/** Runs paused for approval in the tenant, oldest first. */
export async function listPendingApprovals(
  db: SqlExecutor,
  tenantId: string,
  limit = 100,
): Promise<PendingApprovalRun[]> {
  const { rows } = await db.query<{ id: string; conversationId: string; state: unknown }>(
    `SELECT id, conversation_id AS "conversationId", state FROM agent_runs
     WHERE tenant_id = $1 AND status = 'paused' ORDER BY updated_at LIMIT $2`,
    [tenantId, limit],
  );
  return rows.map((row) => {
    const state = (typeof row.state === 'string' ? JSON.parse(row.state) : row.state) as {
      paused?: { awaiting?: PendingApprovalRun['calls'] };
    };
    return { runId: row.id, conversationId: row.conversationId, calls: state.paused?.awaiting ?? [] };
  });
}
