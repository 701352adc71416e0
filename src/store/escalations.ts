/**
 * @module store/escalations
 * Rows of the operator inbox. Every statement filters by tenant, so another tenant's escalation id
 * reads as missing; a malformed id is simply not found.
 */

import type { EscalationNote } from '../spec/agent-services.ts';
import type { EscalationTrigger } from '../spec/agents.ts';
import type { SqlExecutor } from './database.ts';

/** Where an escalation is: waiting for a person, held by one, back with the assistant, or done. */
export type EscalationStatus = 'waiting' | 'claimed' | 'returned' | 'closed';

/** Statuses a listing can filter by. */
export const ESCALATION_STATUSES = ['waiting', 'claimed', 'returned', 'closed'] as const;

/** One escalation as the inbox shows it. */
export interface Escalation {
  readonly id: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly customerId: string | null;
  readonly trigger: EscalationTrigger;
  readonly reason: string;
  readonly notes: EscalationNote[];
  readonly customerContext: Record<string, unknown>;
  readonly status: EscalationStatus;
  readonly claimedBy: string | null;
  readonly createdAt: string;
  readonly claimedAt: string | null;
  readonly returnedAt: string | null;
  readonly closedAt: string | null;
  /** Seconds from escalation until a person claimed it (or until now, or until it closed unclaimed). */
  readonly waitingSeconds: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The select list; timestamps as ISO-like text so both drivers return the same shape. */
export const ESCALATION_COLUMNS = `id, tenant_id AS "tenantId", conversation_id AS "conversationId",
  customer_id AS "customerId", trigger, reason, notes, customer_context AS "customerContext", status,
  claimed_by AS "claimedBy", created_at::text AS "createdAt", claimed_at::text AS "claimedAt",
  returned_at::text AS "returnedAt", closed_at::text AS "closedAt",
  floor(extract(epoch FROM coalesce(claimed_at, closed_at, now()) - created_at))::int AS "waitingSeconds"`;

/** One escalation of the tenant; `lock` takes the row lock (inside a transaction). */
export async function getEscalation(
  db: SqlExecutor,
  tenantId: string,
  id: string,
  lock = false,
): Promise<Escalation | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await db.query<Escalation>(
    `SELECT ${ESCALATION_COLUMNS} FROM escalations WHERE id = $1 AND tenant_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [id, tenantId],
  );
  return rows[0];
}

/** The waiting or claimed escalation of a conversation, if any. */
export async function openEscalationOf(
  db: SqlExecutor,
  tenantId: string,
  conversationId: string,
): Promise<Escalation | undefined> {
  if (!UUID.test(conversationId)) return undefined;
  const { rows } = await db.query<Escalation>(
    `SELECT ${ESCALATION_COLUMNS} FROM escalations
     WHERE conversation_id = $1 AND tenant_id = $2 AND status IN ('waiting', 'claimed')`,
    [conversationId, tenantId],
  );
  return rows[0];
}

/** How a listing is ordered: `oldest` escalated first (the longest wait on top), or `newest` first. */
export type EscalationOrder = 'oldest' | 'newest';

/** Orders a listing accepts. */
export const ESCALATION_ORDERS = ['oldest', 'newest'] as const;

/**
 * The tenant's escalations, oldest first (the longest wait on top), optionally of one status;
 * `newest` puts the most recently escalated first (a closed case stays reachable however many there are).
 */
export async function listEscalations(
  db: SqlExecutor,
  tenantId: string,
  options: { status?: EscalationStatus; limit?: number; order?: EscalationOrder } = {},
): Promise<Escalation[]> {
  const order = options.order === 'newest' ? 'created_at DESC, id DESC' : 'created_at, id';
  const { rows } = await db.query<Escalation>(
    `SELECT ${ESCALATION_COLUMNS} FROM escalations
     WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
     ORDER BY ${order} LIMIT $3`,
    [tenantId, options.status ?? null, options.limit ?? 100],
  );
  return rows;
}

/** Sets the status and its timestamp; `claimedBy` is written when given. */
export async function setEscalationStatus(
  db: SqlExecutor,
  id: string,
  status: Exclude<EscalationStatus, 'waiting'>,
  claimedBy?: string,
): Promise<Escalation> {
  const stamp = { claimed: 'claimed_at', returned: 'returned_at', closed: 'closed_at' }[status];
  const { rows } = await db.query<Escalation>(
    `UPDATE escalations SET status = $2, ${stamp} = now(), claimed_by = coalesce($3, claimed_by)
     WHERE id = $1 RETURNING ${ESCALATION_COLUMNS}`,
    [id, status, claimedBy ?? null],
  );
  return rows[0]!;
}
