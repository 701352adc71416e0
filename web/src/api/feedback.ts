/** Feedback on answers: `POST /v1/feedback` (customers), `GET /v1/feedback` (operators). */
import type { ApiClient } from './http.ts';

/** A rating of one answer, named by its trace. */
export interface Feedback {
  readonly traceId: string;
  readonly rating: 'up' | 'down';
  readonly comment?: string;
}

/** A stored rating with the answer it rates (question and answer text, when logged). */
export interface StoredFeedback {
  readonly traceId: string;
  readonly userId: string;
  readonly rating: 'up' | 'down';
  readonly comment: string | null;
  readonly category: string | null;
  readonly createdAt: string;
  readonly answer: { readonly question?: string; readonly answer?: string } & Record<string, unknown>;
}

/** Sends feedback. */
export async function sendFeedback(client: ApiClient, feedback: Feedback): Promise<void> {
  await client.send('/v1/feedback', { body: feedback });
}

/** Ratings, newest first. */
export async function listFeedback(client: ApiClient, rating?: 'up' | 'down'): Promise<StoredFeedback[]> {
  const query = rating ? `?rating=${rating}` : '';
  return (await client.json<{ feedback: StoredFeedback[] }>(`/v1/feedback${query}`)).feedback;
}
