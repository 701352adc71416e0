/**
 * @module ingest/sources/http-transport
 * One HTTP GET to addresses that were already resolved and checked. The default transport hands
 * node:http a `lookup` that answers with exactly those addresses, so the connection goes where the
 * check looked: a DNS answer that changes between the check and the connect (rebinding) is never
 * asked for. Redirects are not followed here; the reader checks and follows each hop itself.
 */
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** An address a host resolved to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** One request; the transport must connect only to `addresses`, never resolve `url`'s host again. */
export interface PinnedRequest {
  readonly url: URL;
  readonly addresses: readonly ResolvedAddress[];
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

/** The response head and a body to stream. */
export interface HttpReply {
  readonly status: number;
  header(name: string): string | undefined;
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops reading and frees the connection. */
  discard(): void;
}

/** Sends one GET without following redirects. */
export type HttpTransport = (request: PinnedRequest) => Promise<HttpReply>;

/** The transport of production: node:http(s) connecting to the checked addresses only. */
export const nodeHttpTransport: HttpTransport = (request) =>
  new Promise<HttpReply>((resolve, reject) => {
    const first = request.addresses[0];
    if (!first) {
      reject(new Error('No checked address to connect to.'));
      return;
    }
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) {
        const all: LookupAddress[] = request.addresses.map(({ address, family }) => ({ address, family }));
        callback(null, all);
      } else callback(null, first.address, first.family);
    };
    const client = request.url.protocol === 'https:' ? https : http;
    // No agent: a pooled connection opened for another check must not carry this request.
    const outgoing = client.request(request.url, {
      method: 'GET',
      headers: request.headers,
      signal: request.signal,
      lookup,
      agent: false,
    });
    outgoing.on('response', (incoming) => {
      resolve({
        status: incoming.statusCode ?? 0,
        header: (name) => {
          const value = incoming.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        body: incoming,
        discard: () => incoming.destroy(),
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });

/**
 * A transport over an injected `fetch` (tests and tools that must not reach the network). It cannot
 * pin the address: the policy check still runs on every hop, but the connection resolves the host
 * again, so production wiring uses `nodeHttpTransport`.
 */
export function fetchTransport(fetchImpl: typeof fetch): HttpTransport {
  return async (request) => {
    const response = await fetchImpl(request.url, {
      redirect: 'manual',
      signal: request.signal,
      headers: request.headers,
    });
    return {
      status: response.status,
      // fetch has already decoded the body; its content-encoding no longer describes it.
      header: (name) =>
        name.toLowerCase() === 'content-encoding' ? undefined : (response.headers.get(name) ?? undefined),
      body: (response.body as AsyncIterable<Uint8Array> | null) ?? emptyBody(),
      discard: () => {
        response.body?.cancel().catch(() => {});
      },
    };
  };
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}
