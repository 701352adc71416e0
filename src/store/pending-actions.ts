/**
 * @module store/pending-actions
 * The `PendingActionStore` port over `agent_pending_actions`: a state-changing call waiting for the
 * customer's yes, one per conversation. Every statement filters by tenant.
 */
import type { PendingAction, PendingActionStore } from '../spec/agents.ts';
import type { SqlExecutor } from './database.ts';

const COLUMNS = `tenant_id AS "tenantId", conversation_id AS "conversationId", tool_name AS "toolName",
  input, agent, description, proposed_at AS "proposedAt"`;

type Row = Omit<PendingAction, 'proposedAt'> & { proposedAt: Date | string };

/** Pending actions on Postgres (PGlite or a server). */
export class PostgresPendingActionStore implements PendingActionStore {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async propose(action: PendingAction): Promise<void> {
    await this.#db.query(
      `INSERT INTO agent_pending_actions (tenant_id, conversation_id, tool_name, input, agent, description, proposed_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
       ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET tool_name = EXCLUDED.tool_name,
         input = EXCLUDED.input, agent = EXCLUDED.agent, description = EXCLUDED.description,
         proposed_at = EXCLUDED.proposed_at`,
      [
        action.tenantId,
        action.conversationId,
        action.toolName,
        JSON.stringify(action.input ?? null),
        action.agent,
        action.description,
        action.proposedAt,
      ],
    );
  }

  async get(tenantId: string, conversationId: string): Promise<PendingAction | undefined> {
    const { rows } = await this.#db.query<Row>(
      `SELECT ${COLUMNS} FROM agent_pending_actions WHERE tenant_id = $1 AND conversation_id = $2`,
      [tenantId, conversationId],
    );
    return rows[0] && toAction(rows[0]);
  }

  async take(tenantId: string, conversationId: string): Promise<PendingAction | undefined> {
    // One statement, so of two concurrent turns exactly one gets the action.
    const { rows } = await this.#db.query<Row>(
      `DELETE FROM agent_pending_actions WHERE tenant_id = $1 AND conversation_id = $2 RETURNING ${COLUMNS}`,
      [tenantId, conversationId],
    );
    return rows[0] && toAction(rows[0]);
  }
}

function toAction(row: Row): PendingAction {
  const input = typeof row.input === 'string' ? (JSON.parse(row.input) as unknown) : row.input;
  return { ...row, input, proposedAt: new Date(row.proposedAt).toISOString() };
}
