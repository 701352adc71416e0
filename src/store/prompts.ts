/**
 * @module store/prompts
 * Rows of the prompt registry: prompts, their immutable numbered versions, labels that point at
 * versions, and the history of label moves. Every statement filters by tenant.
 */
import type { PromptVariable } from '../prompts/template.ts';
import type { GenerationSettings } from '../spec/prompts.ts';
import type { SqlExecutor } from './database.ts';

/** A prompt with its newest version number and its labels. */
export interface PromptSummary {
  readonly name: string;
  readonly description: string | null;
  readonly latestVersion: number;
  readonly labels: Readonly<Record<string, number>>;
}

/** One immutable version. */
export interface PromptVersionRow {
  readonly name: string;
  readonly version: number;
  readonly template: string;
  readonly variables: readonly PromptVariable[];
  readonly note: string | null;
  /** Sampling settings stored with the version (`{}`: the defaults of grounded answers). */
  readonly generation: GenerationSettings;
  readonly createdBy: string;
  readonly createdAt: string;
}

const VERSION_COLUMNS = `name, version, template, variables, note, generation, created_by AS "createdBy", created_at::text AS "createdAt"`;

/** Inserts the prompt when new; a second call keeps the first description. */
export async function insertPrompt(
  db: SqlExecutor,
  tenantId: string,
  name: string,
  description: string | null,
): Promise<void> {
  await db.query(
    `INSERT INTO prompts (tenant_id, name, description) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [tenantId, name, description],
  );
}

/** Inserts a version; returns false when that number exists already. */
export async function insertVersion(
  db: SqlExecutor,
  tenantId: string,
  row: Omit<PromptVersionRow, 'createdAt' | 'generation'> & { readonly generation?: GenerationSettings },
): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO prompt_versions (tenant_id, name, version, template, variables, note, created_by, generation)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb) ON CONFLICT DO NOTHING RETURNING version`,
    [
      tenantId,
      row.name,
      row.version,
      row.template,
      JSON.stringify(row.variables),
      row.note,
      row.createdBy,
      JSON.stringify(row.generation ?? {}),
    ],
  );
  return rows.length > 0;
}

/** Locks the prompt row (serialising version numbering) and returns its newest version, 0 if none. */
export async function lockLatestVersion(db: SqlExecutor, tenantId: string, name: string): Promise<number> {
  await db.query('SELECT 1 FROM prompts WHERE tenant_id = $1 AND name = $2 FOR UPDATE', [tenantId, name]);
  const { rows } = await db.query<{ latest: number }>(
    'SELECT coalesce(max(version), 0)::int AS latest FROM prompt_versions WHERE tenant_id = $1 AND name = $2',
    [tenantId, name],
  );
  return rows[0]!.latest;
}

/** Every prompt of the tenant, by name. */
export async function listPrompts(db: SqlExecutor, tenantId: string): Promise<PromptSummary[]> {
  const { rows } = await db.query<PromptSummary>(
    `SELECT p.name, p.description,
       (SELECT coalesce(max(v.version), 0)::int FROM prompt_versions v
         WHERE v.tenant_id = p.tenant_id AND v.name = p.name) AS "latestVersion",
       (SELECT coalesce(jsonb_object_agg(l.label, l.version), '{}'::jsonb) FROM prompt_labels l
         WHERE l.tenant_id = p.tenant_id AND l.name = p.name) AS labels
     FROM prompts p WHERE p.tenant_id = $1 ORDER BY p.name`,
    [tenantId],
  );
  return rows;
}

/** Versions of a prompt, newest first. */
export async function listVersions(
  db: SqlExecutor,
  tenantId: string,
  name: string,
): Promise<PromptVersionRow[]> {
  const { rows } = await db.query<PromptVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM prompt_versions WHERE tenant_id = $1 AND name = $2 ORDER BY version DESC`,
    [tenantId, name],
  );
  return rows;
}

/** One version, if it exists. */
export async function getVersion(
  db: SqlExecutor,
  tenantId: string,
  name: string,
  version: number,
): Promise<PromptVersionRow | undefined> {
  const { rows } = await db.query<PromptVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM prompt_versions WHERE tenant_id = $1 AND name = $2 AND version = $3`,
    [tenantId, name, version],
  );
  return rows[0];
}

/** The version a label points at, if the label exists. */
export async function getLabel(
  db: SqlExecutor,
  tenantId: string,
  name: string,
  label: string,
): Promise<number | undefined> {
  const { rows } = await db.query<{ version: number }>(
    'SELECT version FROM prompt_labels WHERE tenant_id = $1 AND name = $2 AND label = $3',
    [tenantId, name, label],
  );
  return rows[0]?.version;
}

/** Points `label` at `version` and records the move (with the version it pointed at before). */
export async function moveLabel(
  db: SqlExecutor,
  tenantId: string,
  move: { name: string; label: string; version: number; previous: number | null; actor: string },
): Promise<void> {
  await db.query(
    `INSERT INTO prompt_labels (tenant_id, name, label, version) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, name, label) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
    [tenantId, move.name, move.label, move.version],
  );
  await db.query(
    `INSERT INTO prompt_label_history (tenant_id, name, label, version, previous_version, actor)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [tenantId, move.name, move.label, move.version, move.previous, move.actor],
  );
}

/** The label's moves, newest first. */
export async function labelHistory(
  db: SqlExecutor,
  tenantId: string,
  name: string,
  label: string,
): Promise<{ version: number; previousVersion: number | null; actor: string; at: string }[]> {
  const { rows } = await db.query<{
    version: number;
    previousVersion: number | null;
    actor: string;
    at: string;
  }>(
    `SELECT version, previous_version AS "previousVersion", actor, at::text AS at FROM prompt_label_history
     WHERE tenant_id = $1 AND name = $2 AND label = $3 ORDER BY id DESC`,
    [tenantId, name, label],
  );
  return rows;
}
