/**
 * @module support/http-schema
 * Request and response schemas of the support app's routes, which declare them (apps/support/http.ts);
 * the OpenAPI document lists them when the app is mounted, and the platform never imports the app.
 */
import { z } from 'zod';

/** `POST /v1/support/messages`. */
export const supportMessageRequestSchema = z
  .object({
    /** Continue this conversation; omitted, a new one starts. */
    conversationId: z.uuid().optional(),
    message: z.string().trim().min(1).max(4000),
  })
  .strict();

/** `POST /v1/support/approvals/:runId/approve|reject`. */
export const supportDecisionRequestSchema = z
  .object({ reason: z.string().trim().min(1).max(1000).optional() })
  .strict();

/** Query of `GET /v1/support/approvals`. */
export const supportApprovalsQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

const toolCallSchema = z.object({
  name: z.string(),
  input: z.unknown(),
  output: z.unknown().optional(),
  error: z.string().optional(),
});

/** A turn's outcome. */
export const supportTurnSchema = z.object({
  conversationId: z.string(),
  reply: z.string(),
  mode: z.enum(['agents', 'routed', 'human']),
  agent: z.string(),
  route: z.array(z.string()),
  toolCalls: z.array(toolCallSchema),
  citations: z.array(
    z.object({
      n: z.number(),
      title: z.string().nullable(),
      source: z.string(),
      page: z.number().nullable(),
    }),
  ),
  escalated: z.boolean(),
  refused: z.boolean(),
  pendingApproval: z.object({ runId: z.string().optional(), calls: z.array(toolCallSchema) }).optional(),
  /** A stated action (a return) waiting for the customer's explicit yes in their next message. */
  pendingAction: z.object({ toolName: z.string(), description: z.string() }).optional(),
  /** The stored reply's ordinal in the conversation; absent while a person holds it. */
  replyOrdinal: z.number().int().optional(),
});

/** Runs waiting for an operator. */
export const supportApprovalsSchema = z.object({
  approvals: z.array(
    z.object({
      runId: z.string(),
      conversationId: z.string(),
      /** When the run paused, ISO 8601. */
      waitingSince: z.string(),
      /** The conversation's verified customer; null when none was verified. */
      customer: z
        .object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() })
        .nullable(),
      calls: z.array(
        z.object({
          toolCallId: z.string(),
          toolName: z.string(),
          input: z.unknown(),
          agent: z.string(),
          /** For `start_return`: the order and the refund it would issue. */
          refund: z.object({ orderNumber: z.string(), amount: z.number() }).optional(),
        }),
      ),
    }),
  ),
});

/** Query of `GET /v1/support/lockouts`. */
export const supportLockoutsQuerySchema = z
  .object({
    /** `true`: every subject with failures on record, not only those refusing attempts now. */
    all: z.enum(['true', 'false']).default('false'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const lockoutSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  dimension: z.enum(['conversation', 'session', 'key', 'customer']),
  subject: z.string(),
  failures: z.number().int(),
  state: z.enum(['locked', 'waiting', 'counting', 'released']),
  lastFailureAt: z.string().nullable(),
  lockedAt: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  retryAt: z.string().nullable(),
});

/** `GET /v1/support/lockouts`. */
export const supportLockoutsSchema = z.object({ lockouts: z.array(lockoutSchema) });

/** `DELETE /v1/support/lockouts/:id`: what was cleared. */
export const supportLockoutBodySchema = z.object({ lockout: lockoutSchema });
