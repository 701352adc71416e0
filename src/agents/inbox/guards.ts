/**
 * @module agents/inbox/guards
 * The state checks of the inbox: the escalation exists in the caller's tenant, and the caller holds
 * it. Conflicts carry stable codes the HTTP edge maps to 409.
 */
import { GroundworkError, NotFoundError } from '../../errors.ts';
import type { SqlExecutor } from '../../store/database.ts';
import { type Escalation, getEscalation } from '../../store/escalations.ts';

/** Who acts in the inbox: an operator's key id, and the tenant they may touch. */
export interface OperatorScope {
  readonly tenantId: string;
  readonly actor: string;
}

/** The escalation of the tenant (`lock`: row-locked, inside a transaction), or `escalation_not_found`. */
export async function requireEscalation(
  db: SqlExecutor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<Escalation> {
  const escalation = await getEscalation(db, tenantId, id, lock);
  if (!escalation) throw new NotFoundError('escalation_not_found', `There is no escalation ${id}.`);
  return escalation;
}

/** The escalation, locked, when this operator holds it. */
export async function requireHolder(db: SqlExecutor, scope: OperatorScope, id: string): Promise<Escalation> {
  const current = await requireEscalation(db, scope.tenantId, id, true);
  if (current.status !== 'claimed') {
    throw conflict('escalation_not_claimed', `Escalation ${id} is ${current.status}; claim it first.`);
  }
  if (current.claimedBy !== scope.actor) {
    throw conflict('already_claimed', `Escalation ${id} is held by another operator.`);
  }
  return current;
}

/** A state conflict (HTTP 409 at the edge). */
export function conflict(code: string, message: string): GroundworkError {
  return new GroundworkError({ code, message, category: 'user', kind: 'conflict' });
}

/**
 * Refuses to re-open a handed-back escalation while its conversation has another open one (the
 * assistant escalated it again since): that newer escalation is the one to take. Locks the
 * conversation row, as escalating does, so the check and the claim are not raced by a new escalation.
 */
export async function requireNoNewerOpen(tx: SqlExecutor, escalation: Escalation): Promise<void> {
  await tx.query('SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [
    escalation.conversationId,
    escalation.tenantId,
  ]);
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM escalations WHERE conversation_id = $1 AND tenant_id = $2 AND id <> $3
       AND status IN ('waiting', 'claimed')`,
    [escalation.conversationId, escalation.tenantId, escalation.id],
  );
  if (rows[0]) {
    throw conflict(
      'escalation_superseded',
      `The conversation was escalated again since (escalation ${rows[0].id}); take that one instead.`,
    );
  }
}
