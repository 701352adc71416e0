/**
 * @module testing/provider-server
 * A local HTTP server that stands in for an LLM provider in tests: it plays back a script of replies
 * (recorded fixtures, error statuses, malformed bodies, hung or dropped connections) and records
 * every request, so tests exercise the real AI SDK providers over real HTTP without mocking them.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** One scripted reply. `fixture` names a file in the server's fixture folder (`.sse` is streamed). */
export type ProviderReply =
  | {
      readonly fixture: string;
      readonly status?: number;
      readonly headers?: Record<string, string>;
      /** Milliseconds to wait before answering (a slow provider). */
      readonly delayMs?: number;
    }
  | { readonly body: string; readonly status?: number; readonly contentType?: string }
  /** Accept the request and never answer. */
  | { readonly hang: true }
  /** Stream the first `events` events of an `.sse` fixture, then drop the connection. */
  | { readonly fixture: string; readonly dropAfterEvents: number };

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The JSON body, parsed. */
  readonly body: Record<string, unknown>;
  /** `performance.now()` when the request arrived, to measure waits between attempts. */
  readonly receivedAt: number;
}

/** A running fake provider. */
export interface ProviderServer {
  /** `http://127.0.0.1:<port>`; providers usually want `${url}/v1`. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /**
   * Replaces the script and forgets earlier requests. Replies are consumed in order; a request beyond
   * the script gets a 500.
   */
  script(replies: readonly ProviderReply[]): void;
  close(): Promise<void>;
}

/** Starts a server on a free port serving fixtures from `fixtureDir`. */
export async function startProviderServer(fixtureDir: string): Promise<ProviderServer> {
  const requests: RecordedRequest[] = [];
  let replies: ProviderReply[] = [];
  const server = createServer((request, response) => {
    const receivedAt = performance.now();
    readBody(request).then(
      (text) => {
        requests.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          receivedAt,
        });
        const reply = replies.shift() ?? { body: '{"error":"no scripted reply left"}', status: 500 };
        respond(reply, response, fixtureDir);
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(next) {
      replies = [...next];
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(reply: ProviderReply, response: ServerResponse, fixtureDir: string): void {
  if ('hang' in reply) return;
  if ('body' in reply) {
    response.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
    response.end(reply.body);
    return;
  }
  const text = readFileSync(path.join(fixtureDir, reply.fixture), 'utf8');
  const streamed = reply.fixture.endsWith('.sse');
  const contentType = streamed ? 'text/event-stream' : 'application/json';
  if ('dropAfterEvents' in reply) {
    response.writeHead(200, { 'content-type': contentType });
    const events = text.split('\n\n').slice(0, reply.dropAfterEvents);
    response.write(`${events.join('\n\n')}\n\n`);
    // Let the client read what was sent before the connection breaks.
    setTimeout(() => response.socket?.destroy(), 30);
    return;
  }
  const answer = () => {
    response.writeHead(reply.status ?? 200, { 'content-type': contentType, ...reply.headers });
    response.end(text);
  };
  if (reply.delayMs) setTimeout(answer, reply.delayMs);
  else answer();
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
