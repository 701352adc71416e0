/**
 * The operator inbox (operators and admins). Response types are the routes' declared responses
 * (routes.gen.ts); the live events are written here.
 */
import type { ApiClient } from './http.ts';
import type { ApiRequest, ApiResponse } from './routes.gen.ts';
import { readEvents } from './sse.ts';

/** What the operator reads before taking over: the escalation, every message, the customer's memories. */
export type EscalationTranscript = ApiResponse<'get /v1/inbox/{id}'>;

/** One escalated conversation; `claimedBy` is the key id of the operator holding it (`anonymous` with auth off). */
export type Escalation = EscalationTranscript['escalation'];

/** Where an escalation is. */
export type EscalationStatus = Escalation['status'];

/** A transcript message; `tool` messages carry the call in `details`. */
export type TranscriptMessage = EscalationTranscript['messages'][number];

/** An inbox change (never message text); `message-created` says who wrote (`role`). */
export interface InboxEvent {
  readonly type: string;
  readonly escalationId: string;
  readonly conversationId: string;
  readonly actor?: string;
  readonly role?: string;
}

/** Escalations of one status (or all), the longest waiting first; `newest` puts the latest first. */
export async function listInbox(
  client: ApiClient,
  status?: EscalationStatus,
  order: 'oldest' | 'newest' = 'oldest',
): Promise<readonly Escalation[]> {
  const query = new URLSearchParams({ ...(status ? { status } : {}), order });
  return (await client.json<ApiResponse<'get /v1/inbox'>>(`/v1/inbox?${query}`)).escalations;
}

/** How many cases there are per status (the navigation shows the waiting ones). */
export type InboxSummary = ApiResponse<'get /v1/inbox/summary'>;

/** The tenant's case counts. */
export function inboxSummary(client: ApiClient, signal?: AbortSignal): Promise<InboxSummary> {
  return client.json('/v1/inbox/summary', { signal });
}

/** One escalation with its transcript (the read is audited). */
export function getEscalation(client: ApiClient, id: string): Promise<EscalationTranscript> {
  return client.json(`/v1/inbox/${encodeURIComponent(id)}`);
}

type Action = 'claim' | 'handback' | 'close';

/**
 * Claims, hands back or closes; a lost claim rejects with `ApiError` 409 `already_claimed`. A close
 * may carry a `resolution`, remembered for the customer as a past issue.
 */
export async function actOn(
  client: ApiClient,
  id: string,
  action: Action,
  body?: ApiRequest<'post /v1/inbox/{id}/close'>,
): Promise<Escalation> {
  const path = `/v1/inbox/${encodeURIComponent(id)}/${action}`;
  return (await client.json<ApiResponse<`post /v1/inbox/{id}/${Action}`>>(path, { method: 'POST', body }))
    .escalation;
}

/** Replies to the customer as a person. */
export async function replyTo(client: ApiClient, id: string, text: string): Promise<TranscriptMessage> {
  const path = `/v1/inbox/${encodeURIComponent(id)}/reply`;
  return (await client.json<ApiResponse<'post /v1/inbox/{id}/reply'>>(path, { body: { text } })).message;
}

/**
 * Follows inbox changes until `signal` aborts, reconnecting after a drop (EventSource cannot send
 * the Authorization header, so this reads the stream of a `fetch`). `onChange` is also called on
 * every (re)connection, since changes may have been missed meanwhile.
 */
export async function followInbox(
  client: ApiClient,
  onChange: (event: InboxEvent | null) => void,
  signal: AbortSignal,
): Promise<void> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      const response = await client.send('/v1/inbox/events', { accept: 'text/event-stream', signal });
      if (!response.body) throw new Error('no body');
      for await (const message of readEvents(response.body)) {
        attempt = 0;
        onChange(message.event === 'inbox-ready' ? null : (JSON.parse(message.data) as InboxEvent));
      }
    } catch (error) {
      if (signal.aborted || (error as { isAuthFailure?: boolean }).isAuthFailure) return;
    }
    // Back off up to 15 s between attempts.
    await new Promise((resolve) => setTimeout(resolve, Math.min(15_000, 500 * 2 ** attempt)));
  }
}
