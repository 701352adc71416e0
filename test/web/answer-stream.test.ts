/**
 * The web UI's API client and SSE reader, in Node (they use only fetch-era globals): events split
 * across network chunks, a stream that ends early, and a refused key.
 */
import { describe, expect, it, vi } from 'vitest';
import { streamChatTurn } from '../../web/src/api/answers.ts';
import { ApiClient, type ApiError, StreamDroppedError } from '../../web/src/api/http.ts';

/** A response whose body arrives in the given pieces. */
function streamed(pieces: string[], headers: Record<string, string> = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', ...headers } });
}

const done = {
  type: 'done',
  result: {
    answer: 'Within 30 days [1].',
    citations: [],
    mode: 'generative',
    model: 'x',
    traceId: 't1',
    notes: [],
  },
};

function client(response: Response, onAuthFailure = vi.fn()) {
  const fetch = vi.fn(async () => response);
  return { client: new ApiClient({ key: () => 'gw_a_b', onAuthFailure, fetch }), fetch, onAuthFailure };
}

describe('web UI answer stream', () => {
  it('reads events split anywhere, with CRLF line ends, and resolves with the done result', async () => {
    const text = `event: text-delta\r\ndata: {"type":"text-delta","delta":"Within"}\r\n\r\nevent: done\r\ndata: ${JSON.stringify(done)}\r\n\r\n`;
    const pieces = [text.slice(0, 7), text.slice(7, 50), text.slice(50, 51), text.slice(51)];
    const { client: api, fetch } = client(streamed(pieces, { 'groundwork-conversation-id': 'c1' }));
    const events: string[] = [];
    let conversation: string | null = null;
    const result = await streamChatTurn(
      api,
      { question: 'q' },
      { onOpen: (id) => (conversation = id), onEvent: (event) => events.push(event.type) },
    );
    expect(result.answer).toBe('Within 30 days [1].');
    expect(events).toEqual(['text-delta', 'done']);
    expect(conversation).toBe('c1');
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer gw_a_b');
    expect(JSON.parse(init.body as string)).toEqual({ question: 'q', stream: true });
  });

  it('reports a stream that ends before done as dropped', async () => {
    const { client: api } = client(
      streamed(['event: text-delta\ndata: {"type":"text-delta","delta":"W"}\n\n']),
    );
    await expect(
      streamChatTurn(api, { question: 'q' }, { onOpen() {}, onEvent() {} }),
    ).rejects.toBeInstanceOf(StreamDroppedError);
  });

  it('turns a refused key into an ApiError and tells the app once', async () => {
    const body = JSON.stringify({ error: { code: 'expired_api_key', message: 'The API key has expired.' } });
    const { client: api, onAuthFailure } = client(new Response(body, { status: 401 }));
    const failure = (await streamChatTurn(api, { question: 'q' }, { onOpen() {}, onEvent() {} }).catch(
      (error: unknown) => error,
    )) as ApiError;
    expect(failure).toMatchObject({
      status: 401,
      code: 'expired_api_key',
      message: 'The API key has expired.',
    });
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
  });
});
