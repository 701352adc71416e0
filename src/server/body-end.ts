/**
 * @module server/body-end
 * Tells when a streamed response is over. A handler returns a streamed response (server-sent events)
 * as soon as its headers are ready, long before the body is written; work that must cover the whole
 * response (the request's root span, its duration metric) waits for the body instead. The body is
 * passed through unchanged, chunk by chunk, as the server reads it.
 */

/** How a body ended: read to its end, cancelled by the reader (the client went away), or failed. */
export type BodyOutcome =
  | { readonly kind: 'complete' }
  | { readonly kind: 'cancelled'; readonly reason: unknown }
  | { readonly kind: 'failed'; readonly error: unknown };

/** True for a response whose body is written over time (server-sent events). */
export function isStreamedResponse(response: Response): boolean {
  // The header first: reading `body` of a plain response can make the server adapter build a stream.
  return (
    (response.headers.get('content-type') ?? '').startsWith('text/event-stream') && response.body !== null
  );
}

/**
 * `response` with the same status, headers and body, calling `onEnd` exactly once when its body ends.
 * A cancellation is passed on to the original body (so the handler sees the client leave) before
 * `onEnd` runs.
 *
 * @example
 * context.res = onBodyEnd(context.res, (outcome) => span.end());
 */
export function onBodyEnd(response: Response, onEnd: (outcome: BodyOutcome) => void): Response {
  const source = response.body;
  if (!source) {
    onEnd({ kind: 'complete' });
    return response;
  }
  const reader = source.getReader();
  let ended = false;
  // Cancelling the source settles a read in flight; that read must not count as the body's end.
  let cancelled = false;
  const end = (outcome: BodyOutcome) => {
    if (ended) return;
    ended = true;
    onEnd(outcome);
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (cancelled) return;
        if (done) {
          controller.close();
          end({ kind: 'complete' });
        } else controller.enqueue(value);
      } catch (error) {
        if (cancelled) return;
        controller.error(error);
        end({ kind: 'failed', error });
      }
    },
    async cancel(reason) {
      cancelled = true;
      try {
        await reader.cancel(reason);
      } finally {
        end({ kind: 'cancelled', reason });
      }
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
