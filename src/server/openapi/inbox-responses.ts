/**
 * @module server/openapi/inbox-responses
 * Response bodies of the operator inbox and of the customer's conversation view, for the OpenAPI
 * document only (kept apart from responses.ts so the agent services' schemas live together);
 * complete and exact, checked by test/web/api-contract.test.ts.
 */
import { z } from 'zod';

const escalation = z.object({
  id: z.string(),
  tenantId: z.string(),
  conversationId: z.string(),
  customerId: z.string().nullable(),
  trigger: z.enum([
    'customer-request',
    'repeated-failure',
    'sensitive-request',
    'low-confidence',
    'agent-decision',
  ]),
  reason: z.string(),
  notes: z.array(z.object({ agent: z.string(), text: z.string() })),
  customerContext: z.record(z.string(), z.unknown()),
  status: z.enum(['waiting', 'claimed', 'returned', 'closed']),
  /** The key id of the operator holding it (`anonymous` with auth off). */
  claimedBy: z.string().nullable(),
  createdAt: z.string(),
  claimedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** Seconds from escalation until a person claimed it (or until now, or until it closed unclaimed). */
  waitingSeconds: z.number().int(),
});

const message = z.object({
  ordinal: z.number().int(),
  role: z.enum(['user', 'assistant', 'operator', 'system', 'tool']),
  content: z.string(),
  createdAt: z.string(),
});

/** A message as operators read it: who wrote it, and a tool call's details. */
const transcriptMessage = message.extend({
  /** Who wrote an operator message (the operator's key id); null otherwise. */
  author: z.string().nullable(),
  /** A tool call's name, input and output; null for other messages. */
  details: z.record(z.string(), z.unknown()).nullable(),
});

/** `GET /v1/inbox`. */
export const escalationListSchema = z.object({ escalations: z.array(escalation) });
/** Claim, hand back, close. */
export const escalationBodySchema = z.object({ escalation });
/** `GET /v1/inbox/:id`: the escalation and every message, tool calls included. */
export const escalationTranscriptSchema = z.object({
  escalation,
  messages: z.array(transcriptMessage),
  customerMemories: z.array(
    z.object({
      kind: z.enum(['fact', 'preference', 'issue']),
      text: z.string(),
      resolution: z.string().nullable(),
    }),
  ),
  /** Ordinals of the customer's messages nobody has answered yet (written while a person held it). */
  unanswered: z.array(z.number().int()),
});
/** `GET /v1/inbox/summary`: how many cases the tenant has per status. */
export const inboxSummarySchema = z.object({
  waiting: z.number().int(),
  claimed: z.number().int(),
  returned: z.number().int(),
  closed: z.number().int(),
});
/** `POST /v1/inbox/:id/reply`. */
export const operatorReplySchema = z.object({ message: transcriptMessage });
/** `GET /v1/conversations/:id/messages`: the customer's view, without authors or tool details. */
export const customerConversationSchema = z.object({
  conversationId: z.string(),
  /** True while a person holds the conversation. */
  withPerson: z.boolean(),
  /** Never tool calls. */
  messages: z.array(message.extend({ role: z.enum(['user', 'assistant', 'operator', 'system']) })),
});
