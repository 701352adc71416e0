/**
 * @module store/guardrail-settings
 * Reading and writing a tenant's guardrail overrides (migration 019). The JSON is validated by the
 * service (guardrails/guardrail-settings.ts), not here.
 */
import type { SqlExecutor } from './database.ts';

/** A tenant's stored overrides. */
export interface GuardrailSettingsRow {
  readonly tenantId: string;
  readonly overrides: unknown;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
}

const COLUMNS = `tenant_id AS "tenantId", overrides, updated_at::text AS "updatedAt", updated_by AS "updatedBy"`;

/** The tenant's row, or undefined when it never changed its settings. */
export async function readGuardrailSettings(
  db: SqlExecutor,
  tenantId: string,
): Promise<GuardrailSettingsRow | undefined> {
  const { rows } = await db.query<GuardrailSettingsRow>(
    `SELECT ${COLUMNS} FROM guardrail_settings WHERE tenant_id = $1`,
    [tenantId],
  );
  return rows[0];
}

/** Replaces the tenant's overrides. */
export async function writeGuardrailSettings(
  db: SqlExecutor,
  tenantId: string,
  overrides: unknown,
  actor: string,
): Promise<GuardrailSettingsRow> {
  const { rows } = await db.query<GuardrailSettingsRow>(
    `INSERT INTO guardrail_settings (tenant_id, overrides, updated_at, updated_by)
     VALUES ($1, $2::jsonb, now(), $3)
     ON CONFLICT (tenant_id) DO UPDATE
       SET overrides = EXCLUDED.overrides, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
     RETURNING ${COLUMNS}`,
    [tenantId, JSON.stringify(overrides), actor],
  );
  return rows[0]!;
}
