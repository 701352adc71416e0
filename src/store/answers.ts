/**
 * @module store/answers
 * The answer log: one row per answer with who asked, what was answered from which passages, the
 * prompt version and experiment arm, tokens, cost and latency. Every statement filters by tenant.
 */
import type { AnswerMode, Citation } from '../spec/answer.ts';
import { toValidText } from '../text/valid-text.ts';
import type { SqlExecutor } from './database.ts';
import { SqlParams } from './sql.ts';

/** A row of the answer log. */
export interface AnswerRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly conversationId: string | null;
  readonly question: string;
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly mode: AnswerMode;
  readonly model: string | null;
  readonly promptName: string | null;
  readonly promptVersion: number | null;
  readonly experimentId: string | null;
  readonly experimentArm: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly priced: boolean;
  readonly latencyMs: number;
  /**
   * When the answer was given. The log writes in batches (later still during an outage), so the
   * insert time is not the answer's time: usage ranges and budgets count an answer when it was
   * given. Default: when the row is written.
   */
  readonly answeredAt?: Date;
}

/** A stored answer, with when it was recorded. */
export type StoredAnswer = AnswerRecord & { readonly createdAt: Date };

/** Columns in the order of `AnswerRecord`, for INSERT. */
const FIELDS: readonly [keyof AnswerRecord, string][] = [
  ['id', 'id'],
  ['tenantId', 'tenant_id'],
  ['userId', 'user_id'],
  ['conversationId', 'conversation_id'],
  ['question', 'question'],
  ['answer', 'answer'],
  ['citations', 'citations'],
  ['mode', 'mode'],
  ['model', 'model'],
  ['promptName', 'prompt_name'],
  ['promptVersion', 'prompt_version'],
  ['experimentId', 'experiment_id'],
  ['experimentArm', 'experiment_arm'],
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['costUsd', 'cost_usd'],
  ['priced', 'priced'],
  ['latencyMs', 'latency_ms'],
];

/** `SELECT` list that reads a row back as a `StoredAnswer`. */
export const ANSWER_COLUMNS = [
  ...FIELDS.map(([field, column]) => `a.${column} AS "${field}"`),
  'a.created_at AS "createdAt"',
].join(', ');

/** Appends an answer to the log (a second write of the same id changes nothing). */
export async function insertAnswer(db: SqlExecutor, record: AnswerRecord): Promise<void> {
  const params = new SqlParams();
  // A NUL or an unpaired surrogate (from a model's output, a passage) would make Postgres refuse the
  // whole row after the answer was given: the log keeps U+FFFD in its place (ADR 0029).
  const values = FIELDS.map(([field]) => {
    const value = record[field];
    if (field === 'citations')
      return `${params.add(JSON.stringify(value, (_key, item) => (typeof item === 'string' ? toValidText(item) : item)))}::jsonb`;
    return params.add(typeof value === 'string' ? toValidText(value) : value);
  });
  // An answer is written again after a write whose COMMIT outcome was unknown: once is enough.
  const answeredAt = `COALESCE(${params.add(record.answeredAt ?? null)}::timestamptz, now())`;
  await db.query(
    `INSERT INTO answers (${FIELDS.map(([, column]) => column).join(', ')}, created_at)
     VALUES (${values.join(', ')}, ${answeredAt})
     ON CONFLICT (id) DO NOTHING`,
    params.values,
  );
}

/** The answer `id` of this tenant, if there is one. */
export async function getAnswer(
  db: SqlExecutor,
  tenantId: string,
  id: string,
): Promise<StoredAnswer | undefined> {
  const { rows } = await db.query<StoredAnswer>(
    `SELECT ${ANSWER_COLUMNS} FROM answers a WHERE a.id = $1 AND a.tenant_id = $2`,
    [id, tenantId],
  );
  return rows[0];
}

/** Tokens and cost of a tenant's answers since `since`. */
export async function spendSince(
  db: SqlExecutor,
  tenantId: string,
  since: Date,
): Promise<{ costUsd: number; tokens: number }> {
  const { rows } = await db.query<{ costUsd: number; tokens: string | number }>(
    `SELECT coalesce(sum(cost_usd), 0)::float8 AS "costUsd",
            coalesce(sum(input_tokens + output_tokens), 0)::bigint AS tokens
     FROM answers WHERE tenant_id = $1 AND created_at >= $2`,
    [tenantId, since],
  );
  const row = rows[0]!;
  return { costUsd: row.costUsd, tokens: Number(row.tokens) };
}
