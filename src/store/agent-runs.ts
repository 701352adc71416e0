/**
 * @module store/agent-runs
 * The agent runtime's run store on Postgres (PGlite or a server): the `AgentRunStore` port over the
 * `agent_runs` table. Every statement filters by tenant.
 */
import type { AgentRunStatus, AgentRunStore, StoredAgentRun } from '../spec/agents.ts';
import type { SqlExecutor } from './database.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = `id, tenant_id AS "tenantId", conversation_id AS "conversationId", status, state`;

interface RunRow {
  id: string;
  tenantId: string;
  conversationId: string;
  status: AgentRunStatus;
  state: unknown;
}

/** Runs stored in `agent_runs`. */
export class PostgresAgentRunStore implements AgentRunStore {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async save(run: StoredAgentRun): Promise<void> {
    await this.#db.query(
      `INSERT INTO agent_runs (id, tenant_id, conversation_id, status, state)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, updated_at = now()
       WHERE agent_runs.tenant_id = EXCLUDED.tenant_id`,
      [run.id, run.tenantId, run.conversationId, run.status, JSON.stringify(run.state)],
    );
  }

  async load(tenantId: string, runId: string): Promise<StoredAgentRun | undefined> {
    if (!UUID.test(runId)) return undefined;
    const { rows } = await this.#db.query<RunRow>(
      `SELECT ${COLUMNS} FROM agent_runs WHERE id = $1 AND tenant_id = $2`,
      [runId, tenantId],
    );
    return rows[0] && toRun(rows[0]);
  }

  async claimPaused(tenantId: string, runId: string): Promise<StoredAgentRun | undefined> {
    if (!UUID.test(runId)) return undefined;
    // One statement, so of two concurrent approvals exactly one sees the paused row.
    const { rows } = await this.#db.query<RunRow>(
      `UPDATE agent_runs SET status = 'running', updated_at = now()
       WHERE id = $1 AND tenant_id = $2 AND status = 'paused' RETURNING ${COLUMNS}`,
      [runId, tenantId],
    );
    return rows[0] && toRun(rows[0]);
  }
}

/** node-postgres and PGlite both parse jsonb; a driver that returns text is parsed here. */
function toRun(row: RunRow): StoredAgentRun {
  const state = typeof row.state === 'string' ? (JSON.parse(row.state) as unknown) : row.state;
  return { ...row, state };
}
