/**
 * @module store/knowledge-generation
 * The per-tenant knowledge generation: a counter bumped in the same transaction as any document change,
 * read once per answer-cache lookup (one primary-key read). See ADR 0026.
 */
import type { SqlExecutor } from './database.ts';

/** Bumps the tenant's generation; call it inside the transaction that changes its documents. */
export async function bumpKnowledgeGeneration(tx: SqlExecutor, tenantId: string): Promise<void> {
  await tx.query(
    `INSERT INTO knowledge_generations (tenant_id, generation) VALUES ($1, 1)
     ON CONFLICT (tenant_id) DO UPDATE SET generation = knowledge_generations.generation + 1`,
    [tenantId],
  );
}

/** The tenant's current generation (0 before its first document change), as a string (bigint). */
export async function readKnowledgeGeneration(db: SqlExecutor, tenantId: string): Promise<string> {
  const { rows } = await db.query<{ generation: string | number }>(
    'SELECT generation FROM knowledge_generations WHERE tenant_id = $1',
    [tenantId],
  );
  return String(rows[0]?.generation ?? 0);
}
