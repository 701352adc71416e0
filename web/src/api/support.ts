/**
 * The support app (`groundwork support`, apps/support/http.ts): a customer's message, and the runs
 * that wait for an operator's approval. The types mirror src/server/routes/support-schema.ts.
 */
import type { ApiClient } from './http.ts';

/** Who answered a support turn: the agents on a model, the no-LLM policy, or a person. */
export type SupportMode = 'agents' | 'routed' | 'human';

/** A tool call of a turn. */
export interface SupportToolCall {
  readonly name: string;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: string;
}

/** A passage a support reply cites (no snippet: the support API names the source only). */
export interface SupportCitation {
  readonly n: number;
  readonly title: string | null;
  readonly source: string;
  readonly page: number | null;
}

/** A support turn's outcome. */
export interface SupportTurn {
  readonly conversationId: string;
  readonly reply: string;
  readonly mode: SupportMode;
  readonly agent: string;
  readonly route: readonly string[];
  readonly toolCalls: readonly SupportToolCall[];
  readonly citations: readonly SupportCitation[];
  readonly escalated: boolean;
  readonly refused: boolean;
  /** A person must approve these calls (a refund above the limit) before the request goes on. */
  readonly pendingApproval?: { readonly runId?: string; readonly calls: readonly SupportToolCall[] };
  /** The stored reply's ordinal in the conversation; absent while a person holds it. */
  readonly replyOrdinal?: number;
}

/** Sends one customer message; without `conversationId` a conversation starts. */
export function sendSupportMessage(
  client: ApiClient,
  message: string,
  conversationId?: string,
  signal?: AbortSignal,
): Promise<SupportTurn> {
  return client.json('/v1/support/messages', {
    body: { message, ...(conversationId ? { conversationId } : {}) },
    signal,
  });
}

/** One paused call of a run waiting for approval. */
export interface PendingCall {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly input: unknown;
  readonly agent: string;
  /** For `start_return`: the order and the refund it would issue. */
  readonly refund?: { readonly orderNumber: string; readonly amount: number };
}

/** A run waiting for a person's decision. */
export interface PendingApproval {
  readonly runId: string;
  readonly conversationId: string;
  readonly waitingSince: string;
  readonly customer: {
    readonly id: string;
    readonly name: string | null;
    readonly email: string | null;
  } | null;
  readonly calls: readonly PendingCall[];
}

/** Runs waiting for approval, oldest first (operators and admins). */
export async function listApprovals(client: ApiClient, signal?: AbortSignal): Promise<PendingApproval[]> {
  return (await client.json<{ approvals: PendingApproval[] }>('/v1/support/approvals', { signal })).approvals;
}

/**
 * Approves or rejects a waiting run; the run then goes on and the outcome is returned. A run someone
 * else decided first rejects with `ApiError` code `run_not_paused` (409).
 */
export function decideApproval(
  client: ApiClient,
  runId: string,
  approved: boolean,
  reason?: string,
): Promise<SupportTurn> {
  const path = `/v1/support/approvals/${encodeURIComponent(runId)}/${approved ? 'approve' : 'reject'}`;
  return client.json(path, { method: 'POST', ...(reason ? { body: { reason } } : {}) });
}
