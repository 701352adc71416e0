/**
 * @module models/embedding/cohere-embedding-model
 * A small client of Cohere's `/v2/embed` wire protocol behind the AI SDK embedding spec. We keep our
 * own rather than `@ai-sdk/cohere`: its releases for `@ai-sdk/provider` 3 pin older copies of the
 * provider packages than ours, and the newer ones need Node 22. HTTP failures are thrown as the SDK's
 * `APICallError`, so they are classified (and retried) exactly like the other providers' failures.
 *
 * Cohere embeds documents and queries differently (`input_type`); callers say which with
 * `providerOptions: { cohere: { inputType: 'search_query' } }`, documents being the default.
 */
import {
  APICallError,
  type EmbeddingModelV3,
  type EmbeddingModelV3CallOptions,
  type EmbeddingModelV3Result,
  InvalidResponseDataError,
} from '@ai-sdk/provider';

/** Where Cohere's API lives; `/embed` is appended. */
export const COHERE_BASE_URL = 'https://api.cohere.com/v2';

/** Settings of the client. */
export interface CohereEmbeddingSettings {
  readonly modelId: string;
  readonly apiKey: string;
  readonly baseUrl?: string;
  /** Sent as `output_dimension` (embed-v4.0 only). */
  readonly outputDimension?: number;
  readonly fetch?: typeof fetch;
}

/** Cohere's embeddings as an `EmbeddingModelV3`. */
export function createCohereEmbeddingModel(settings: CohereEmbeddingSettings): EmbeddingModelV3 {
  const url = `${(settings.baseUrl ?? COHERE_BASE_URL).replace(/\/+$/, '')}/embed`;
  const doFetch = settings.fetch ?? fetch;
  return {
    specificationVersion: 'v3',
    provider: 'cohere',
    modelId: settings.modelId,
    maxEmbeddingsPerCall: 96,
    supportsParallelCalls: true,
    async doEmbed({ values, abortSignal, providerOptions, headers }: EmbeddingModelV3CallOptions) {
      const inputType = providerOptions?.cohere?.inputType;
      const body = {
        model: settings.modelId,
        texts: values,
        input_type: typeof inputType === 'string' ? inputType : 'search_document',
        embedding_types: ['float'],
        truncate: 'END',
        ...(settings.outputDimension ? { output_dimension: settings.outputDimension } : {}),
      };
      const response = await doFetch(url, {
        method: 'POST',
        headers: {
          ...headers,
          authorization: `Bearer ${settings.apiKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: abortSignal,
      });
      const text = await response.text();
      const responseHeaders = Object.fromEntries(response.headers.entries());
      if (!response.ok) {
        throw new APICallError({
          message: errorMessage(text) ?? `HTTP ${response.status}`,
          url,
          requestBodyValues: { model: body.model, texts: values.length },
          statusCode: response.status,
          responseHeaders,
          responseBody: text,
          isRetryable: [408, 409, 429].includes(response.status) || response.status >= 500,
        });
      }
      return parseEmbedResponse(text, responseHeaders);
    },
  };
}

function parseEmbedResponse(text: string, headers: Record<string, string>): EmbeddingModelV3Result {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InvalidResponseDataError({
      data: text.slice(0, 200),
      message: 'Cohere sent a body that is not JSON.',
    });
  }
  const body = data as {
    embeddings?: { float?: unknown };
    meta?: { billed_units?: { input_tokens?: unknown } };
  };
  const vectors = body.embeddings?.float;
  if (!Array.isArray(vectors) || !vectors.every((vector) => Array.isArray(vector))) {
    throw new InvalidResponseDataError({ data: body, message: 'Cohere sent no `embeddings.float` list.' });
  }
  const tokens = body.meta?.billed_units?.input_tokens;
  return {
    embeddings: vectors as number[][],
    ...(typeof tokens === 'number' ? { usage: { tokens } } : {}),
    response: { headers },
    warnings: [],
  };
}

function errorMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return text.trim().slice(0, 200) || undefined;
  }
}
