/**
 * @module privacy/core-sections
 * The product's own stores as privacy sections: customer sessions, conversations (with their turns,
 * escalations and agent runs), long-term customer memories, the answer log with its feedback, traces
 * with their spans, and the audit log. Erase runs sections in the order listed here, and the sections
 * that hold the links to the rest (sessions) come last, so an erase that fails halfway can be run
 * again and still finds everything that is left.
 */
import { bumpKnowledgeGeneration } from '../store/knowledge-generation.ts';
import { customerHash } from './customer-hash.ts';
import type { PrivacySection, PrivacySubject } from './section.ts';
import { deleteWhere, rowsWhere, uuidsOf } from './sql-rows.ts';

const conversationIds = (subject: PrivacySubject) => uuidsOf(subject.conversationIds);

/** Traces the customer's requests made, or that carried their answers (an answer's id is its trace id). */
const TRACE_MATCH = 't.tenant_id = $1 AND (t.principal = ANY($2::text[]) OR t.trace_id = ANY($3::text[]))';
const traceParams = (subject: PrivacySubject) => [subject.tenantId, subject.principals, subject.answerIds];

const traces: PrivacySection = {
  name: 'traces',
  tables: ['traces', 'trace_spans'],
  async export(db, subject) {
    const found = (await rowsWhere(db, 'traces', TRACE_MATCH, traceParams(subject))) as {
      trace_id: string;
    }[];
    const ids = found.map((trace) => trace.trace_id);
    return {
      traces: found,
      trace_spans: await rowsWhere(db, 'trace_spans', 't.tenant_id = $1 AND t.trace_id = ANY($2::text[])', [
        subject.tenantId,
        ids,
      ]),
    };
  },
  async erase(tx, subject) {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT t.trace_id AS id FROM traces t WHERE ${TRACE_MATCH}`,
      traceParams(subject),
    );
    // Spans of the answers' traces may be written without a root row yet: match them by id too.
    const ids = [...new Set([...rows.map((row) => row.id), ...subject.answerIds])];
    return {
      trace_spans: await deleteWhere(tx, 'trace_spans', 't.tenant_id = $1 AND t.trace_id = ANY($2::text[])', [
        subject.tenantId,
        ids,
      ]),
      traces: await deleteWhere(tx, 'traces', TRACE_MATCH, traceParams(subject)),
    };
  },
};

const ANSWER_MATCH =
  't.tenant_id = $1 AND (t.user_id = ANY($2::text[]) OR t.conversation_id = ANY($3::uuid[]) OR t.id = ANY($4::text[]))';
const answerParams = (subject: PrivacySubject) => [
  subject.tenantId,
  subject.principals,
  conversationIds(subject),
  subject.answerIds,
];
const FEEDBACK_MATCH = 't.tenant_id = $1 AND (t.user_id = ANY($2::text[]) OR t.answer_id = ANY($3::text[]))';

const answers: PrivacySection = {
  name: 'answers',
  tables: ['answers', 'feedback', 'answer_cache'],
  async links(db, subject) {
    const { rows } = await db.query<{ id: string }>(
      `SELECT t.id FROM answers t WHERE ${ANSWER_MATCH}`,
      answerParams(subject),
    );
    return { answerIds: rows.map((row) => row.id) };
  },
  async export(db, subject) {
    return {
      answers: await rowsWhere(db, 'answers', ANSWER_MATCH, answerParams(subject)),
      feedback: await rowsWhere(db, 'feedback', FEEDBACK_MATCH, [
        subject.tenantId,
        subject.principals,
        subject.answerIds,
      ]),
      // Cached answers live in each process's memory, keyed by a hash of the caller's principals; they
      // are not listed, and erase makes every process's entries for the tenant unreachable.
      answer_cache: [],
    };
  },
  async erase(tx, subject) {
    const feedback = await deleteWhere(tx, 'feedback', FEEDBACK_MATCH, [
      subject.tenantId,
      subject.principals,
      subject.answerIds,
    ]);
    const removed = await deleteWhere(tx, 'answers', ANSWER_MATCH, answerParams(subject));
    // The answer cache's key holds the tenant's knowledge generation, read from Postgres at every
    // lookup: bumping it makes every process's cached answers for the tenant unreachable at once.
    // A tenant-wide cache miss is the price of a rare operation; nothing to invalidate when nothing went.
    if (removed > 0) await bumpKnowledgeGeneration(tx, subject.tenantId);
    return { feedback, answers: removed, answer_cache: removed > 0 ? 1 : 0 };
  },
};

const CONVERSATION_MATCH = 't.tenant_id = $1 AND (t.owner = ANY($2::text[]) OR t.id = ANY($3::uuid[]))';
const conversationParams = (subject: PrivacySubject) => [
  subject.tenantId,
  subject.principals,
  conversationIds(subject),
];
const ESCALATION_MATCH = 't.tenant_id = $1 AND (t.customer_id = $2 OR t.conversation_id = ANY($3::uuid[]))';
const escalationParams = (subject: PrivacySubject) => [
  subject.tenantId,
  subject.customerId,
  conversationIds(subject),
];
const BY_CONVERSATION = (column: string, type: 'uuid' | 'text') =>
  `t.tenant_id = $1 AND t.${column} = ANY($2::${type}[])`;

const conversations: PrivacySection = {
  name: 'conversations',
  tables: ['conversations', 'conversation_messages', 'escalations', 'agent_runs'],
  async links(db, subject) {
    const { rows } = await db.query<{ id: string }>(
      `SELECT t.id::text AS id FROM conversations t WHERE ${CONVERSATION_MATCH}`,
      conversationParams(subject),
    );
    return { conversationIds: rows.map((row) => row.id) };
  },
  async export(db, subject) {
    const ids = conversationIds(subject);
    return {
      conversations: await rowsWhere(db, 'conversations', CONVERSATION_MATCH, conversationParams(subject)),
      conversation_messages: await rowsWhere(
        db,
        'conversation_messages',
        BY_CONVERSATION('conversation_id', 'uuid'),
        [subject.tenantId, ids],
      ),
      escalations: await rowsWhere(db, 'escalations', ESCALATION_MATCH, escalationParams(subject)),
      agent_runs: await rowsWhere(db, 'agent_runs', BY_CONVERSATION('conversation_id', 'text'), [
        subject.tenantId,
        subject.conversationIds,
      ]),
    };
  },
  async erase(tx, subject) {
    const ids = conversationIds(subject);
    // Messages and escalations of a conversation go with it (ON DELETE CASCADE); counted first.
    const messages = await deleteWhere(
      tx,
      'conversation_messages',
      BY_CONVERSATION('conversation_id', 'uuid'),
      [subject.tenantId, ids],
    );
    const escalations = await deleteWhere(tx, 'escalations', ESCALATION_MATCH, escalationParams(subject));
    const runs = await deleteWhere(tx, 'agent_runs', BY_CONVERSATION('conversation_id', 'text'), [
      subject.tenantId,
      subject.conversationIds,
    ]);
    return {
      agent_runs: runs,
      escalations,
      conversation_messages: messages,
      conversations: await deleteWhere(tx, 'conversations', CONVERSATION_MATCH, conversationParams(subject)),
    };
  },
};

const MEMORY_MATCH = 't.tenant_id = $1 AND t.customer_id = $2';

const memories: PrivacySection = {
  name: 'memories',
  tables: ['customer_memories'],
  async export(db, subject) {
    return {
      // The embedding is derived from the text and means nothing to a person; it is left out.
      customer_memories: await rowsWhere(
        db,
        'customer_memories',
        MEMORY_MATCH,
        [subject.tenantId, subject.customerId],
        ['embedding'],
      ),
    };
  },
  async erase(tx, subject) {
    return {
      customer_memories: await deleteWhere(tx, 'customer_memories', MEMORY_MATCH, [
        subject.tenantId,
        subject.customerId,
      ]),
    };
  },
};

/** Audit entries about the customer: naming them in `details`, or about one of their sessions. */
const AUDIT_MATCH = `t.tenant_id = $1 AND t.action NOT LIKE 'privacy.%'
  AND (t.details->>'customerId' = $2 OR t.target = ANY($3::text[]) OR t.actor = ANY($4::text[]))`;
const auditParams = (subject: PrivacySubject) => [
  subject.tenantId,
  subject.customerId,
  subject.sessionIds,
  subject.principals,
];

/**
 * The audit log is the record of what was done and by whom, so its rows stay; erase replaces the
 * customer's id (and any email) in them with the customer hash. A session id left in a row no longer
 * leads anywhere once the session is gone.
 */
const audit: PrivacySection = {
  name: 'audit',
  tables: ['audit_log'],
  async export(db, subject) {
    return { audit_log: await rowsWhere(db, 'audit_log', AUDIT_MATCH, auditParams(subject)) };
  },
  async erase(tx, subject) {
    const { rows } = await tx.query<{ n: number }>(
      `WITH changed AS (
         UPDATE audit_log t
         SET details = (t.details - 'customerId' - 'customerEmail' - 'email')
                       || jsonb_build_object('customerHash', $5::text)
         WHERE ${AUDIT_MATCH} AND (t.details ? 'customerId' OR t.details ? 'customerEmail' OR t.details ? 'email')
         RETURNING 1)
       SELECT count(*)::int AS n FROM changed`,
      [...auditParams(subject), customerHash(subject.tenantId, subject.customerId)],
    );
    return { audit_log: rows[0]?.n ?? 0 };
  },
};

const SESSION_MATCH = 't.tenant_id = $1 AND t.customer_id = $2';

/** Sessions hold the links to most other rows (`session:<id>` principals), so they are erased last. */
const sessions: PrivacySection = {
  name: 'sessions',
  tables: ['customer_sessions'],
  async links(db, subject) {
    const { rows } = await db.query<{ id: string }>(
      `SELECT t.id::text AS id FROM customer_sessions t WHERE ${SESSION_MATCH}`,
      [subject.tenantId, subject.customerId],
    );
    return { sessionIds: rows.map((row) => row.id) };
  },
  async export(db, subject) {
    return {
      customer_sessions: await rowsWhere(db, 'customer_sessions', SESSION_MATCH, [
        subject.tenantId,
        subject.customerId,
      ]),
    };
  },
  async erase(tx, subject) {
    return {
      customer_sessions: await deleteWhere(tx, 'customer_sessions', SESSION_MATCH, [
        subject.tenantId,
        subject.customerId,
      ]),
    };
  },
};

/** The product's sections, in erase order (see the module comment); apps' sections go before `sessions`. */
export const CORE_SECTIONS = { traces, answers, conversations, memories, audit, sessions } as const;
