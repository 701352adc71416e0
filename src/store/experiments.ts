/**
 * @module store/experiments
 * Prompt experiments and the per-arm outcomes read from the answer log and feedback. Every statement
 * filters by tenant.
 */
import type { SqlExecutor } from './database.ts';

/** An arm: a prompt version and its share of traffic. */
export interface ExperimentArm {
  readonly name: string;
  readonly version: number;
  readonly weight: number;
}

/** An experiment. */
export interface ExperimentRow {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly promptName: string;
  readonly arms: readonly ExperimentArm[];
  readonly status: 'running' | 'stopped';
  readonly createdAt: string;
  readonly stoppedAt: string | null;
}

/** Counts of one arm's answers. */
export interface ArmCounts {
  readonly arm: string;
  readonly answers: number;
  readonly users: number;
  readonly rated: number;
  readonly positive: number;
  readonly grounded: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = `id, tenant_id AS "tenantId", name, prompt_name AS "promptName", arms, status,
  created_at::text AS "createdAt", stopped_at::text AS "stoppedAt"`;

/** Starts an experiment; undefined when one already runs on the prompt. */
export async function insertExperiment(
  db: SqlExecutor,
  row: Pick<ExperimentRow, 'tenantId' | 'name' | 'promptName' | 'arms'>,
): Promise<ExperimentRow | undefined> {
  const { rows } = await db.query<ExperimentRow>(
    `INSERT INTO experiments (tenant_id, name, prompt_name, arms) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [row.tenantId, row.name, row.promptName, JSON.stringify(row.arms)],
  );
  return rows[0];
}

/** The experiment, if it exists in this tenant (a malformed id is simply not found). */
export async function getExperiment(
  db: SqlExecutor,
  tenantId: string,
  id: string,
): Promise<ExperimentRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await db.query<ExperimentRow>(
    `SELECT ${COLUMNS} FROM experiments WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  return rows[0];
}

/** The tenant's experiments, newest first. */
export async function listExperiments(db: SqlExecutor, tenantId: string): Promise<ExperimentRow[]> {
  const { rows } = await db.query<ExperimentRow>(
    `SELECT ${COLUMNS} FROM experiments WHERE tenant_id = $1 ORDER BY created_at DESC`,
    [tenantId],
  );
  return rows;
}

/** The experiment running on a prompt, if any. */
export async function runningExperiment(
  db: SqlExecutor,
  tenantId: string,
  promptName: string,
): Promise<ExperimentRow | undefined> {
  const { rows } = await db.query<ExperimentRow>(
    `SELECT ${COLUMNS} FROM experiments WHERE tenant_id = $1 AND prompt_name = $2 AND status = 'running'`,
    [tenantId, promptName],
  );
  return rows[0];
}

/** Stops an experiment (a stopped one stays stopped, keeping its first stop time). */
export async function stopExperiment(db: SqlExecutor, tenantId: string, id: string): Promise<void> {
  await db.query(
    `UPDATE experiments SET status = 'stopped', stopped_at = coalesce(stopped_at, now())
     WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
}

/**
 * Per-arm counts. An answer counts one rating: its asker's when there is one, else the newest (an
 * answer may be rated by several users, migration 016). A grounded answer is generative with at
 * least one citation (the answerer keeps only citations that match a retrieved passage, so every
 * stored citation is valid).
 */
export async function armCounts(
  db: SqlExecutor,
  tenantId: string,
  experimentId: string,
): Promise<ArmCounts[]> {
  const { rows } = await db.query<ArmCounts>(
    `SELECT a.experiment_arm AS arm, count(*)::int AS answers, count(DISTINCT a.user_id)::int AS users,
       count(f.answer_id)::int AS rated, (count(*) FILTER (WHERE f.rating = 'up'))::int AS positive,
       (count(*) FILTER (WHERE a.mode = 'generative' AND jsonb_array_length(a.citations) > 0))::int AS grounded,
       coalesce(sum(a.input_tokens), 0)::float8 AS "inputTokens", coalesce(sum(a.output_tokens), 0)::float8 AS "outputTokens",
       coalesce(sum(a.cost_usd), 0)::float8 AS "costUsd"
     FROM answers a LEFT JOIN LATERAL (
       SELECT f.answer_id, f.rating FROM feedback f WHERE f.answer_id = a.id
       ORDER BY (f.user_id = a.user_id) DESC, f.created_at DESC LIMIT 1) f ON true
     WHERE a.tenant_id = $1 AND a.experiment_id = $2 GROUP BY a.experiment_arm`,
    [tenantId, experimentId],
  );
  return rows;
}

/** Latencies of each arm's answers, in milliseconds. */
export async function armLatencies(
  db: SqlExecutor,
  tenantId: string,
  experimentId: string,
): Promise<Map<string, number[]>> {
  const { rows } = await db.query<{ arm: string; latencyMs: number }>(
    `SELECT experiment_arm AS arm, latency_ms AS "latencyMs" FROM answers
     WHERE tenant_id = $1 AND experiment_id = $2`,
    [tenantId, experimentId],
  );
  const byArm = new Map<string, number[]>();
  for (const row of rows) {
    const latencies = byArm.get(row.arm) ?? [];
    latencies.push(row.latencyMs);
    byArm.set(row.arm, latencies);
  }
  return byArm;
}
