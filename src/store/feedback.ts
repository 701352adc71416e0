/**
 * @module store/feedback
 * Ratings of answers. A rating belongs to an answer of the same tenant and to its rater: rating an
 * answer again replaces the rater's own earlier rating, never another user's (migration 016).
 * Every statement filters by tenant.
 */

import { ANSWER_COLUMNS, type StoredAnswer } from './answers.ts';
import type { SqlExecutor } from './database.ts';
import { SqlParams } from './sql.ts';

/** A rating. */
export type Rating = 'up' | 'down';

/** A stored rating. */
export interface FeedbackRow {
  readonly traceId: string;
  readonly userId: string;
  readonly rating: Rating;
  readonly comment: string | null;
  readonly category: string | null;
  readonly createdAt: string;
}

/** Filters of a feedback listing. */
export interface FeedbackFilter {
  readonly rating?: Rating;
  readonly category?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit?: number;
}

const COLUMNS = `f.answer_id AS "traceId", f.user_id AS "userId", f.rating, f.comment, f.category, f.created_at::text AS "createdAt"`;

/** Stores `userId`'s rating of answer `traceId`; undefined when the tenant has no such answer. */
export async function upsertFeedback(
  db: SqlExecutor,
  tenantId: string,
  feedback: Omit<FeedbackRow, 'createdAt'>,
): Promise<FeedbackRow | undefined> {
  const { rows } = await db.query<FeedbackRow>(
    `INSERT INTO feedback AS f (answer_id, tenant_id, user_id, rating, comment, category)
     SELECT a.id, a.tenant_id, $3, $4, $5, $6 FROM answers a WHERE a.id = $1 AND a.tenant_id = $2
     ON CONFLICT (answer_id, user_id) DO UPDATE SET rating = EXCLUDED.rating,
       comment = EXCLUDED.comment, category = EXCLUDED.category, created_at = now()
     RETURNING ${COLUMNS}`,
    [feedback.traceId, tenantId, feedback.userId, feedback.rating, feedback.comment, feedback.category],
  );
  return rows[0];
}

/** Ratings matching `filter`, newest first, each with its answer. */
export async function listFeedback(
  db: SqlExecutor,
  tenantId: string,
  filter: FeedbackFilter,
): Promise<(FeedbackRow & { answer: StoredAnswer })[]> {
  const params = new SqlParams();
  const where = [`f.tenant_id = ${params.add(tenantId)}`];
  if (filter.rating) where.push(`f.rating = ${params.add(filter.rating)}`);
  if (filter.category) where.push(`f.category = ${params.add(filter.category)}`);
  if (filter.from) where.push(`f.created_at >= ${params.add(filter.from)}`);
  if (filter.to) where.push(`f.created_at < ${params.add(filter.to)}`);
  const { rows } = await db.query<FeedbackRow & { answer: StoredAnswer }>(
    `SELECT ${COLUMNS}, row_to_json(answer_row) AS answer FROM feedback f
     JOIN LATERAL (SELECT ${ANSWER_COLUMNS} FROM answers a WHERE a.id = f.answer_id) answer_row ON true
     WHERE ${where.join(' AND ')} ORDER BY f.created_at DESC, f.answer_id, f.user_id LIMIT ${params.add(filter.limit ?? 100)}`,
    params.values,
  );
  return rows;
}

/**
 * Which of `documentIds` `principals` may read (documents whose access set holds `*` or one of them),
 * the same rule retrieval applies. A document since deleted is not readable.
 */
export async function readableDocuments(
  db: SqlExecutor,
  tenantId: string,
  principals: readonly string[],
  documentIds: readonly number[],
): Promise<Set<number>> {
  if (documentIds.length === 0) return new Set();
  const params = new SqlParams();
  const tenant = params.add(tenantId);
  const { rows } = await db.query<{ id: string | number }>(
    `SELECT d.id FROM documents d WHERE d.tenant_id = ${tenant} AND d.id = ANY(${params.add([...documentIds])}::bigint[])
       AND d.acl_set_id IN (SELECT id FROM acl_sets WHERE tenant_id = ${tenant}
         AND principals && ${params.add(['*', ...principals])}::text[])`,
    params.values,
  );
  return new Set(rows.map((row) => Number(row.id)));
}
