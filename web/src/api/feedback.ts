/** Feedback on an answer: `POST /v1/feedback` (offered only when the server has the route). */
import type { ApiClient } from './http.ts';

/** A rating of one answer, named by its trace. */
export interface Feedback {
  readonly traceId: string;
  readonly rating: 'up' | 'down';
  readonly comment?: string;
}

/** Sends feedback. */
export async function sendFeedback(client: ApiClient, feedback: Feedback): Promise<void> {
  await client.send('/v1/feedback', { body: feedback });
}
