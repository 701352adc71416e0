/**
 * @module testing/embeddings-server
 * A local HTTP server speaking OpenAI's `/v1/embeddings` and Cohere's `/v2/embed` wire protocols with
 * deterministic vectors (the hash embedder's, so similar texts get similar vectors). Tests script
 * failures (429 with rate-limit headers, 5xx, wrong vector lengths, a bad key) ahead of the normal
 * answers; the throughput bench uses it as a stand-in embedding server with a fixed cost per request
 * and per text. It records every request and the most requests it served at once.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashVector } from './hash-embedder.ts';

/** A scripted reply used instead of the normal answer. */
export type EmbeddingsReply =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  /** The normal answer, but with vectors of this length. */
  | { readonly dimensions: number }
  /** Accept the request and never answer. */
  | { readonly hang: true };

/** A request as the server saw it. */
export interface EmbeddingsRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Record<string, unknown>;
  /** The texts, whichever protocol carried them. */
  readonly texts: readonly string[];
  readonly receivedAt: number;
}

/** Settings of the stand-in. */
export interface EmbeddingsServerOptions {
  readonly dimensions: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else 401). */
  readonly apiKey?: string;
  /** Fixed latency of every request, and per text in it (a model's cost). */
  readonly latencyMs?: number;
  readonly perTextMs?: number;
  /** Leave usage out of answers (some OpenAI-compatible servers do). */
  readonly omitUsage?: boolean;
}

/** A running stand-in. */
export interface EmbeddingsServer {
  /** `http://127.0.0.1:<port>`: OpenAI clients want `${url}/v1`, Cohere's `${url}/v2`. */
  readonly url: string;
  readonly requests: readonly EmbeddingsRequest[];
  /** Most requests in flight at once since the last `script`. */
  readonly maxInFlight: number;
  /** Replies used, in order, before normal answers; forgets earlier requests. */
  script(replies: readonly EmbeddingsReply[]): void;
  close(): Promise<void>;
}

/** Tokens the stand-in bills for a text: one per four characters, at least one. */
export function billedTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Starts the stand-in on a free loopback port. */
export async function startEmbeddingsServer(options: EmbeddingsServerOptions): Promise<EmbeddingsServer> {
  const requests: EmbeddingsRequest[] = [];
  let replies: EmbeddingsReply[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    const receivedAt = performance.now();
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on('close', () => inFlight--);
    readJson(request).then(
      (body) => {
        const path = (request.url ?? '').split('?')[0] ?? '';
        const cohere = path.endsWith('/embed');
        const texts = ((cohere ? body.texts : body.input) ?? []) as string[];
        requests.push({ path, headers: request.headers, body, texts, receivedAt });
        const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
          response.writeHead(status, { 'content-type': 'application/json', ...headers });
          response.end(JSON.stringify(payload));
        };
        if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
          send(
            401,
            cohere
              ? { message: 'invalid api token' }
              : {
                  error: {
                    message: 'Incorrect API key provided.',
                    type: 'invalid_request_error',
                    code: 'invalid_api_key',
                  },
                },
          );
          return;
        }
        const reply = replies.shift();
        if (reply && 'hang' in reply) return;
        if (reply && 'status' in reply) {
          send(reply.status, reply.body ?? { error: { message: `scripted ${reply.status}` } }, reply.headers);
          return;
        }
        const dimensions = reply?.dimensions ?? options.dimensions;
        const vectors = texts.map((text) => hashVector(text, dimensions));
        const tokens = texts.reduce((sum, text) => sum + billedTokens(text), 0);
        const payload = cohere
          ? {
              id: 'embed-1',
              embeddings: { float: vectors },
              texts,
              meta: options.omitUsage ? {} : { billed_units: { input_tokens: tokens } },
            }
          : {
              object: 'list',
              data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
              model: body.model,
              ...(options.omitUsage ? {} : { usage: { prompt_tokens: tokens, total_tokens: tokens } }),
            };
        const delay = (options.latencyMs ?? 0) + (options.perTextMs ?? 0) * texts.length;
        if (delay > 0) setTimeout(() => send(200, payload), delay);
        else send(200, payload);
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    script(next) {
      replies = [...next];
      requests.length = 0;
      maxInFlight = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}
