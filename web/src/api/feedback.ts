/** Feedback on answers: `POST /v1/feedback` (customers), `GET /v1/feedback` (operators). */
import type { ApiClient } from './http.ts';
import type { ApiRequest, ApiResponse } from './routes.gen.ts';

/** A rating of one answer, named by its trace. */
export type Feedback = ApiRequest<'post /v1/feedback'>;

/** A stored rating with the answer it rates (as the caller may see it). */
export type StoredFeedback = ApiResponse<'get /v1/feedback'>['feedback'][number];

/** Sends feedback. */
export async function sendFeedback(client: ApiClient, feedback: Feedback): Promise<void> {
  await client.send('/v1/feedback', { body: feedback });
}

/** Ratings, newest first. */
export async function listFeedback(
  client: ApiClient,
  rating?: StoredFeedback['rating'],
): Promise<readonly StoredFeedback[]> {
  const query = rating ? `?rating=${rating}` : '';
  return (await client.json<ApiResponse<'get /v1/feedback'>>(`/v1/feedback${query}`)).feedback;
}
