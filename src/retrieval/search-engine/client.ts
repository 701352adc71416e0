/**
 * @module retrieval/search-engine/client
 * A small client of the Elasticsearch/OpenSearch REST API over plain `fetch` (ADR 0044): JSON and
 * NDJSON bodies, a timeout on every request, and one error for everything that means "the engine
 * cannot answer now" — refused or reset connections, timeouts, 5xx, 429, and searches that came back
 * partial (timed out, or with failed shards). A partial search is never returned as a top k.
 */
import { SearchEngineUnavailableError } from '../../errors.ts';

/** Options of {@link SearchEngineClient}. */
export interface SearchEngineClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:9200`. */
  readonly url: string;
  /** Milliseconds a query may take (default 5000). */
  readonly timeoutMs?: number;
  /** Milliseconds an index write (bulk, refresh, merge) may take (default 120000). */
  readonly writeTimeoutMs?: number;
}

/** A request the engine answered with a 4xx other than 404/429: a bug in what we sent. */
export class SearchEngineRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`search engine refused ${what} (HTTP ${status}): ${JSON.stringify(body).slice(0, 500)}`);
    this.name = 'SearchEngineRequestError';
  }
}

interface RequestOptions {
  readonly body?: unknown;
  /** NDJSON lines (bulk). */
  readonly ndjson?: readonly unknown[];
  readonly write?: boolean;
  /** Statuses returned as `undefined` instead of thrown (404 for "no such index"). */
  readonly allow?: readonly number[];
}

/** The subset of a search response the adapter reads. */
export interface SearchResponse<Source = unknown> {
  readonly timed_out?: boolean;
  readonly _shards?: { readonly total: number; readonly successful: number; readonly failed: number };
  readonly hits: {
    readonly hits: readonly {
      readonly _id: string;
      readonly _index: string;
      readonly _score: number | null;
      readonly _source?: Source;
      readonly fields?: Record<string, readonly unknown[]>;
      readonly sort?: readonly unknown[];
    }[];
  };
}

/** The REST client. */
export class SearchEngineClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly writeTimeoutMs: number;

  constructor(options: SearchEngineClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 120_000;
  }

  /** Sends one request; `undefined` for an allowed status. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T | undefined> {
    const timeout = options.write ? this.writeTimeoutMs : this.timeoutMs;
    const body =
      options.ndjson !== undefined
        ? `${options.ndjson.map((line) => JSON.stringify(line)).join('\n')}\n`
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers:
          body === undefined
            ? undefined
            : { 'content-type': options.ndjson ? 'application/x-ndjson' : 'application/json' },
        body,
        signal: AbortSignal.timeout(timeout),
      });
      text = await response.text();
    } catch (error) {
      const name = (error as { name?: string }).name;
      const reason =
        name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeout} ms` : 'unreachable';
      throw new SearchEngineUnavailableError(reason, { cause: error });
    }
    const parsed = parseJson(text);
    if (response.ok) return parsed as T;
    if (options.allow?.includes(response.status)) return undefined;
    if (response.status >= 500 || response.status === 429) {
      throw new SearchEngineUnavailableError(`HTTP ${response.status}`, {
        cause: new Error(text.slice(0, 500)),
      });
    }
    throw new SearchEngineRequestError(response.status, parsed, `${method} ${path.split('?')[0]}`);
  }

  /** Runs a search; a partial answer (timed out, or failed shards) is an unavailable engine. */
  async search<Source = unknown>(
    indices: string,
    body: unknown,
    query = '',
  ): Promise<SearchResponse<Source>> {
    const response = (await this.request<SearchResponse<Source>>('POST', `/${indices}/_search${query}`, {
      body,
    })) as SearchResponse<Source>;
    if (response.timed_out === true) throw new SearchEngineUnavailableError('search timed out');
    if ((response._shards?.failed ?? 0) > 0) {
      throw new SearchEngineUnavailableError(`${response._shards?.failed} shards failed`);
    }
    return response;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
