/**
 * The one door to the API: every request of the UI goes through `ApiClient`, which adds the key,
 * turns error bodies into `ApiError`, and reports a refused key once (so the app can return to
 * sign-in) instead of each page handling 401 on its own.
 */

/** An error body of the API (`{error: {code, message}}`) as an exception. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the key is missing, unknown, revoked or expired. */
  get isAuthFailure(): boolean {
    return this.status === 401;
  }
}

/** Raised when a stream ends before its final event (a dropped connection). */
export class StreamDroppedError extends Error {
  constructor() {
    super('The connection closed before the answer was complete.');
    this.name = 'StreamDroppedError';
  }
}

/** What the client needs from the app. */
export interface ApiClientOptions {
  /** The current API key, or null (auth off). */
  readonly key: () => string | null;
  /** Called when the API refuses the key; the request still rejects with the error. */
  readonly onAuthFailure: (error: ApiError) => void;
  readonly fetch?: typeof fetch;
}

/** Sends requests to this origin's API. */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  /** A JSON request; `body` is sent as JSON unless it is FormData. Resolves to the parsed body. */
  async json<T>(
    path: string,
    init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const response = await this.send(path, init);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** A request whose response is returned as is once it is known to be a success (streams). */
  async send(
    path: string,
    init: {
      method?: string;
      body?: unknown;
      signal?: AbortSignal;
      accept?: string;
      key?: string | null;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
    const key = init.key === undefined ? this.options.key() : init.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let body: FormData | string | undefined;
    if (init.body instanceof FormData) body = init.body;
    else if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const response = await (this.options.fetch ?? fetch)(path, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      signal: init.signal,
    });
    if (response.ok) return response;
    const error = await errorOf(response);
    // Only a refusal of the key in use means "sign in again"; probing a typed key is the caller's.
    if (error.isAuthFailure && init.key === undefined) this.options.onAuthFailure(error);
    throw error;
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.message) {
      return new ApiError(
        response.status,
        body.error.code ?? 'error',
        body.error.message,
        body.error.details,
      );
    }
  } catch {
    // Not JSON (a proxy's page, say): fall through to the status line.
  }
  return new ApiError(
    response.status,
    'http_error',
    `The server answered ${response.status} ${response.statusText}.`,
  );
}
