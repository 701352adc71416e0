/**
 * @module support/verification/target-log
 * Failed attempts against each target customer, one row per attempt (`support_verification_failures`),
 * and the guessing alarm read from them: a customer who used their free failures, tried from several
 * conversations or sessions, is written to the audit log and the logs once per window. The alarm never
 * touches the guesser's conversation (parking it with a person would tell them the email is real).
 */
import type { AuditLog } from '../../../src/identity/audit.ts';
import { logger } from '../../../src/observability/logger.ts';
import type { SqlExecutor } from '../../../src/store/database.ts';
import type { VerificationCaller } from './callers.ts';
import type { LimitRow } from './limit-rows.ts';
import type { VerificationLimits } from './limits.ts';

/** Logs one failed attempt against each customer it named, and forgets entries past any use. */
export async function logFailures(
  tx: SqlExecutor,
  attempt: {
    tenantId: string;
    caller: VerificationCaller;
    orderNumber: string;
    now: number;
    /** True when a customer's limit refused the attempt before any comparison. */
    refused: boolean;
    customers: readonly LimitRow[];
    limits: VerificationLimits;
  },
): Promise<void> {
  const { tenantId, caller, now, customers, limits } = attempt;
  if (customers.length === 0) return;
  const ids = customers.map((row) => row.subject);
  await tx.query(
    `INSERT INTO support_verification_failures
       (tenant_id, customer_id, outcome, conversation_id, session_id, key_subject, order_number, at)
     SELECT $1, id, $3, $4, $5, $6, $7, $8 FROM unnest($2::text[]) AS id`,
    [
      tenantId,
      ids,
      attempt.refused ? 'refused' : 'mismatch',
      caller.conversationId,
      caller.sessionId ?? null,
      caller.keySubject ?? null,
      attempt.orderNumber.slice(0, 40),
      new Date(now).toISOString(),
    ],
  );
  // Kept for a window and a lock after it, long enough for operators looking into a lockout.
  const keep = limits.customer.windowMs + limits.customer.lockMs;
  await tx.query(
    'DELETE FROM support_verification_failures WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND at < $3',
    [tenantId, ids, new Date(now - keep).toISOString()],
  );
}

/**
 * Sounds the alarm for `row`'s customer when it used its free failures and was tried from at
 * least `alertSources` conversations or sessions in its window, once per window; true when it did.
 */
export async function soundAlarm(
  tx: SqlExecutor,
  context: {
    tenantId: string;
    caller: VerificationCaller;
    row: LimitRow;
    now: number;
    limits: VerificationLimits;
    audit: AuditLog;
  },
): Promise<boolean> {
  const { tenantId, row, now, limits } = context;
  if (row.failures < limits.customer.free || row.alertedAt !== null) return false;
  const since = new Date(row.windowStartedAt ?? now).toISOString();
  const { rows } = await tx.query<{
    attempts: number;
    conversations: number;
    sessions: number;
    keys: number;
  }>(
    `SELECT count(*)::int AS attempts, count(DISTINCT conversation_id)::int AS conversations,
            count(DISTINCT session_id)::int AS sessions, count(DISTINCT key_subject)::int AS keys
     FROM support_verification_failures WHERE tenant_id = $1 AND customer_id = $2 AND at >= $3`,
    [tenantId, row.subject, since],
  );
  const seen = rows[0] ?? { attempts: 0, conversations: 0, sessions: 0, keys: 0 };
  if (Math.max(seen.conversations, seen.sessions) < limits.alertSources) return false;
  row.alertedAt = now;
  const details = { failures: row.failures, ...seen };
  await context.audit.record(
    {
      tenantId,
      actor: context.caller.actor,
      action: 'support.verification.guessing',
      target: row.subject,
      details,
    },
    tx,
  );
  logger.warn(
    { tenantId, customerId: row.subject, ...details },
    'Verification of one customer is being tried from several conversations or sessions.',
  );
  return true;
}
