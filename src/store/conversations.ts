/**
 * @module store/conversations
 * Conversations and their messages. Every statement filters by tenant, so a conversation id of another
 * tenant reads as missing.
 */
import type { AnswerMode, AskResult, Citation, ConversationTurn } from '../spec/answer.ts';
import type { Database, SqlExecutor } from './database.ts';

/** A conversation. */
export interface ConversationRow {
  readonly id: string;
  readonly tenantId: string;
  readonly title: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A stored message. */
export interface MessageRow extends ConversationTurn {
  readonly ordinal: number;
  readonly citations: readonly Citation[];
  readonly mode: AnswerMode | null;
  readonly model: string | null;
  readonly createdAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = `id, tenant_id AS "tenantId", title, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Starts a conversation. */
export async function createConversation(
  db: SqlExecutor,
  tenantId: string,
  title: string | null,
): Promise<ConversationRow> {
  const { rows } = await db.query<ConversationRow>(
    `INSERT INTO conversations (tenant_id, title) VALUES ($1, $2) RETURNING ${COLUMNS}`,
    [tenantId, title],
  );
  return rows[0]!;
}

/** The conversation, if it exists in this tenant (a malformed id is simply not found). */
export async function getConversation(
  db: SqlExecutor,
  tenantId: string,
  id: string,
): Promise<ConversationRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await db.query<ConversationRow>(
    `SELECT ${COLUMNS} FROM conversations WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  return rows[0];
}

/** The last `limit` messages, oldest first. */
export async function listMessages(
  db: SqlExecutor,
  tenantId: string,
  conversationId: string,
  limit = 1000,
): Promise<MessageRow[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT * FROM (
       SELECT ordinal, role, content, citations, mode, model, created_at AS "createdAt"
       FROM conversation_messages WHERE conversation_id = $1 AND tenant_id = $2
       ORDER BY ordinal DESC LIMIT $3) recent
     ORDER BY ordinal`,
    [conversationId, tenantId, limit],
  );
  return rows;
}

/** Appends a question and its answer in one transaction, after any turns stored meanwhile. */
export async function appendTurn(
  db: Database,
  tenantId: string,
  conversationId: string,
  question: string,
  result: AskResult,
): Promise<void> {
  await db.transaction(async (tx) => {
    // The row lock serialises concurrent turns of one conversation, so ordinals never collide.
    await tx.query('SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [
      conversationId,
      tenantId,
    ]);
    const { rows } = await tx.query<{ next: number }>(
      'SELECT coalesce(max(ordinal), 0)::int + 1 AS next FROM conversation_messages WHERE conversation_id = $1',
      [conversationId],
    );
    const next = rows[0]!.next;
    await tx.query(
      `INSERT INTO conversation_messages (conversation_id, ordinal, tenant_id, role, content)
       VALUES ($1, $2, $3, 'user', $4)`,
      [conversationId, next, tenantId, question],
    );
    await tx.query(
      `INSERT INTO conversation_messages
         (conversation_id, ordinal, tenant_id, role, content, citations, mode, model, usage)
       VALUES ($1, $2, $3, 'assistant', $4, $5::jsonb, $6, $7, $8::jsonb)`,
      [
        conversationId,
        next + 1,
        tenantId,
        result.answer,
        JSON.stringify(result.citations),
        result.mode,
        result.model,
        JSON.stringify(result.usage),
      ],
    );
    await tx.query('UPDATE conversations SET updated_at = now() WHERE id = $1', [conversationId]);
  });
}
