/**
 * The support app (`groundwork support`, apps/support/http.ts): a customer's message, and the runs
 * that wait for an operator's approval. Types are the routes' declared responses (routes.gen.ts).
 */
import type { ApiClient } from './http.ts';
import type { ApiResponse } from './routes.gen.ts';

/**
 * A support turn's outcome. `pendingApproval`: a person must approve these calls (a refund above
 * the limit) before the request goes on; `replyOrdinal`: the stored reply's ordinal in the
 * conversation, absent while a person holds it.
 */
export type SupportTurn = ApiResponse<'post /v1/support/messages'>;

/** Who answered a support turn: the agents on a model, the no-LLM policy, or a person. */
export type SupportMode = SupportTurn['mode'];

/** A tool call of a turn. */
export type SupportToolCall = SupportTurn['toolCalls'][number];

/** A passage a support reply cites (no snippet: the support API names the source only). */
export type SupportCitation = SupportTurn['citations'][number];

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

/** A run waiting for a person's decision. */
export type PendingApproval = ApiResponse<'get /v1/support/approvals'>['approvals'][number];

/** One paused call of a run; `refund` (for `start_return`): the order and the refund it would issue. */
export type PendingCall = PendingApproval['calls'][number];

/** Runs waiting for approval, oldest first (operators and admins). */
export async function listApprovals(
  client: ApiClient,
  signal?: AbortSignal,
): Promise<readonly PendingApproval[]> {
  return (await client.json<ApiResponse<'get /v1/support/approvals'>>('/v1/support/approvals', { signal }))
    .approvals;
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

/** A verification lockout: a conversation, session, key or customer refusing verification now. */
export type Lockout = ApiResponse<'get /v1/support/lockouts'>['lockouts'][number];

/** Lockouts in force in the tenant (operators); 404 when the support app is not mounted. */
export async function listLockouts(client: ApiClient, signal?: AbortSignal): Promise<readonly Lockout[]> {
  return (await client.json<ApiResponse<'get /v1/support/lockouts'>>('/v1/support/lockouts', { signal }))
    .lockouts;
}

/** Clears a lockout (its failures are forgotten; audited); `lockout_not_found` when already cleared. */
export async function clearLockout(client: ApiClient, id: string): Promise<Lockout> {
  const path = `/v1/support/lockouts/${encodeURIComponent(id)}`;
  return (await client.json<ApiResponse<'delete /v1/support/lockouts/{id}'>>(path, { method: 'DELETE' }))
    .lockout;
}
