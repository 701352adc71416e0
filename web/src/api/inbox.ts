/**
 * The operator inbox (operators and admins). Types mirror src/store/escalations.ts and
 * src/store/conversations.ts.
 */
import type { ApiClient } from './http.ts';
import { readEvents } from './sse.ts';

/** Where an escalation is. */
export type EscalationStatus = 'waiting' | 'claimed' | 'returned' | 'closed';

/** One escalated conversation. */
export interface Escalation {
  readonly id: string;
  readonly conversationId: string;
  readonly customerId: string | null;
  readonly trigger: string;
  readonly reason: string;
  readonly notes: readonly { readonly agent: string; readonly text: string }[];
  readonly customerContext: Record<string, unknown>;
  readonly status: EscalationStatus;
  /** The key id of the operator holding it (`anonymous` with auth off). */
  readonly claimedBy: string | null;
  readonly createdAt: string;
  readonly waitingSeconds: number;
}

/** A transcript message; `tool` messages carry the call in `details`. */
export interface TranscriptMessage {
  readonly ordinal: number;
  readonly role: 'user' | 'assistant' | 'operator' | 'system' | 'tool';
  readonly content: string;
  readonly author?: string | null;
  readonly details?: Record<string, unknown> | null;
  readonly createdAt: string;
}

/** What the operator reads before taking over. */
export interface EscalationTranscript {
  readonly escalation: Escalation;
  readonly messages: readonly TranscriptMessage[];
  readonly customerMemories: readonly {
    readonly kind: 'fact' | 'preference' | 'issue';
    readonly text: string;
    readonly resolution: string | null;
  }[];
}

/** An inbox change (never message text). */
export interface InboxEvent {
  readonly type: string;
  readonly escalationId: string;
  readonly conversationId: string;
  readonly actor?: string;
}

/** Open escalations first: the ones waiting, then the claimed ones. */
export async function listInbox(client: ApiClient, status?: EscalationStatus): Promise<Escalation[]> {
  const query = status ? `?status=${status}` : '';
  return (await client.json<{ escalations: Escalation[] }>(`/v1/inbox${query}`)).escalations;
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
  body?: { resolution: string },
): Promise<Escalation> {
  const path = `/v1/inbox/${encodeURIComponent(id)}/${action}`;
  return (await client.json<{ escalation: Escalation }>(path, { method: 'POST', body })).escalation;
}

/** Replies to the customer as a person. */
export async function replyTo(client: ApiClient, id: string, text: string): Promise<TranscriptMessage> {
  const path = `/v1/inbox/${encodeURIComponent(id)}/reply`;
  return (await client.json<{ message: TranscriptMessage }>(path, { body: { text } })).message;
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
