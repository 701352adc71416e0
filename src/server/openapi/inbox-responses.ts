/**
 * @module server/openapi/inbox-responses
 * Response bodies of the operator inbox and of the customer's conversation view, for the OpenAPI
 * document only (kept apart from responses.ts so the agent services' schemas live together).
 */
import { z } from 'zod';

const escalation = z.looseObject({
  id: z.string(),
  conversationId: z.string(),
  customerId: z.string().nullable(),
  trigger: z.string(),
  reason: z.string(),
  notes: z.array(z.object({ agent: z.string(), text: z.string() })),
  customerContext: z.record(z.string(), z.unknown()),
  status: z.enum(['waiting', 'claimed', 'returned', 'closed']),
  claimedBy: z.string().nullable(),
  createdAt: z.string(),
  waitingSeconds: z.number().int(),
});

const message = z.looseObject({
  ordinal: z.number().int(),
  role: z.enum(['user', 'assistant', 'operator', 'system', 'tool']),
  content: z.string(),
});

/** `GET /v1/inbox`. */
export const escalationListSchema = z.object({ escalations: z.array(escalation) });
/** Claim, hand back, close. */
export const escalationBodySchema = z.object({ escalation });
/** `GET /v1/inbox/:id`: the escalation and every message, tool calls included. */
export const escalationTranscriptSchema = z.object({
  escalation,
  messages: z.array(message.extend({ author: z.string().nullable(), details: z.unknown() })),
  customerMemories: z.array(
    z.looseObject({
      kind: z.enum(['fact', 'preference', 'issue']),
      text: z.string(),
      resolution: z.string().nullable(),
    }),
  ),
});
/** `POST /v1/inbox/:id/reply`. */
export const operatorReplySchema = z.object({ message });
/** `GET /v1/conversations/:id/messages`. */
export const customerConversationSchema = z.object({
  conversationId: z.string(),
  withPerson: z.boolean(),
  messages: z.array(message),
});
