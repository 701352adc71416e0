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
  /** Who started it (`key:<id>`, `oidc:<sub>`), or null for an anonymous caller. */
  readonly owner: string | null;
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
const COLUMNS = `id, tenant_id AS "tenantId", title, owner, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Starts a conversation. */
export async function createConversation(
  db: SqlExecutor,
  tenantId: string,
  title: string | null,
  owner: string | null = null,
): Promise<ConversationRow> {
  const { rows } = await db.query<ConversationRow>(
    `INSERT INTO conversations (tenant_id, title, owner) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [tenantId, title, owner],
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

/**
 * The last `limit` questions and answers, oldest first; operator replies, events and tool calls are
 * read with `listTranscript`.
 */
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
         AND role IN ('user', 'assistant')
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

/** Every role a stored message can have: a person's reply (`operator`), an event (`system`), a tool call. */
export type TranscriptRole = 'user' | 'assistant' | 'operator' | 'system' | 'tool';

/** A stored message of any role, as transcripts and the agent services read them. */
export interface TranscriptMessage {
  readonly ordinal: number;
  readonly role: TranscriptRole;
  readonly content: string;
  /** Who wrote an operator message (the operator's key id); null otherwise. */
  readonly author: string | null;
  /** A tool call's name, input and output; null for other messages. */
  readonly details: Record<string, unknown> | null;
  readonly createdAt: Date;
}

/** A message to append. */
export interface NewMessage {
  readonly role: TranscriptRole;
  readonly content: string;
  readonly author?: string;
  readonly details?: Record<string, unknown>;
}

/**
 * Appends one message after any stored meanwhile; returns its ordinal, or undefined when the
 * conversation is not in this tenant. Pass an open transaction: the row lock that serialises
 * ordinals lasts until it commits.
 */
export async function appendMessage(
  tx: SqlExecutor,
  tenantId: string,
  conversationId: string,
  message: NewMessage,
): Promise<number | undefined> {
  const { rows: found } = await tx.query(
    'SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2 FOR UPDATE',
    [conversationId, tenantId],
  );
  if (found.length === 0) return undefined;
  const { rows } = await tx.query<{ ordinal: number }>(
    `INSERT INTO conversation_messages (conversation_id, ordinal, tenant_id, role, content, author, details)
     SELECT $1, coalesce(max(ordinal), 0)::int + 1, $2, $3, $4, $5, $6::jsonb
     FROM conversation_messages WHERE conversation_id = $1
     RETURNING ordinal`,
    [
      conversationId,
      tenantId,
      message.role,
      message.content,
      message.author ?? null,
      message.details ? JSON.stringify(message.details) : null,
    ],
  );
  await tx.query('UPDATE conversations SET updated_at = now() WHERE id = $1', [conversationId]);
  return rows[0]!.ordinal;
}

/** Messages of the given roles after ordinal `after`, oldest first. */
export async function listTranscript(
  db: SqlExecutor,
  tenantId: string,
  conversationId: string,
  options: { roles?: readonly TranscriptRole[]; after?: number; limit?: number } = {},
): Promise<TranscriptMessage[]> {
  if (!UUID.test(conversationId)) return [];
  const { rows } = await db.query<TranscriptMessage>(
    `SELECT ordinal, role, content, author, details, created_at AS "createdAt"
     FROM conversation_messages
     WHERE conversation_id = $1 AND tenant_id = $2 AND ($3::text[] IS NULL OR role = ANY($3::text[]))
       AND ordinal > $4
     ORDER BY ordinal LIMIT $5`,
    [
      conversationId,
      tenantId,
      options.roles ? [...options.roles] : null,
      options.after ?? 0,
      options.limit ?? 1000,
    ],
  );
  return rows;
}
