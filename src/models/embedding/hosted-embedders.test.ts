import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddingConfig } from '../../config/embedding-config.ts';
import { ConfigError } from '../../errors.ts';
import type { EmbedderInfo } from '../../spec/embedding.ts';
import {
  billedTokens,
  type EmbeddingsServer,
  startEmbeddingsServer,
} from '../../testing/embeddings-server.ts';
import { hashVector } from '../../testing/hash-embedder.ts';
import { embedderName, resolveEmbedder } from '../embedders.ts';
import type { ModelError } from '../errors.ts';

const KEY = 'sk-embed-test-7d1e';

/** The error a call ends with; fails the test when it succeeds. */
async function failureOf(call: PromiseLike<unknown>): Promise<ModelError> {
  try {
    await call;
  } catch (error) {
    return error as ModelError;
  }
  throw new Error('expected the call to fail');
}

/** What differs between the wire protocols. */
const CASES = [
  {
    provider: 'openai',
    model: 'text-embedding-3-small',
    dimensions: 1536,
    version: 'v1',
    path: '/v1/embeddings',
  },
  {
    provider: 'openai-compatible',
    model: 'bge-small-en-v1.5',
    dimensions: 384,
    version: 'v1',
    path: '/v1/embeddings',
  },
  { provider: 'cohere', model: 'embed-english-v3.0', dimensions: 1024, version: 'v2', path: '/v2/embed' },
] as const;

describe.each(CASES)('hosted embedder $provider', (c) => {
  let server: EmbeddingsServer;
  beforeAll(async () => {
    server = await startEmbeddingsServer({ dimensions: c.dimensions, apiKey: KEY });
  });
  afterAll(() => server.close());

  const embedder = (settings: Partial<EmbeddingConfig> = {}, redact?: boolean | 'auto'): EmbedderInfo =>
    resolveEmbedder(`${c.provider}:${c.model}`, {
      hosted: {
        settings: {
          apiKey: KEY,
          baseUrl: `${server.url}/${c.version}`,
          ...(c.provider === 'openai-compatible' ? { dimensions: c.dimensions } : {}),
          timeoutMs: 10_000,
          maxRetries: 2,
          ...settings,
        },
        env: {},
        backoff: { initialDelayMs: 10, maxDelayMs: 2000 },
        ...(redact === undefined ? {} : { redact }),
      },
    })!;

  const texts = (n: number) =>
    Array.from({ length: n }, (_, i) => `Passage ${i} about refunds: ${'x'.repeat(80)}`);

  it('batches by token budget and returns every vector in order with the billed tokens', async () => {
    server.script([]);
    const values = texts(10);
    // Each text is ~100 characters (34 estimated tokens): three fit in a 110-token request.
    const { embeddings, usage } = await embedder({ batchTokens: 110 }).model.doEmbed({ values });
    expect(server.requests.map((request) => request.texts.length)).toEqual([3, 3, 3, 1]);
    expect(server.requests.every((request) => request.path === c.path)).toBe(true);
    expect(embeddings).toEqual(values.map((value) => hashVector(value, c.dimensions)));
    expect(usage?.tokens).toBe(values.reduce((sum, value) => sum + billedTokens(value), 0));
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const slow = await startEmbeddingsServer({ dimensions: c.dimensions, apiKey: KEY, latencyMs: 60 });
    try {
      const model = resolveEmbedder(`${c.provider}:${c.model}`, {
        hosted: {
          settings: {
            apiKey: KEY,
            baseUrl: `${slow.url}/${c.version}`,
            dimensions: c.dimensions,
            batchTokens: 40,
            concurrency: 2,
          },
          env: {},
        },
      })!.model;
      await Promise.all([model.doEmbed({ values: texts(4) }), model.doEmbed({ values: texts(4) })]);
      expect(slow.requests).toHaveLength(8);
      expect(slow.maxInFlight).toBe(2);
    } finally {
      await slow.close();
    }
  });

  it('waits as long as a 429 asks (retry-after) and then succeeds', async () => {
    server.script([{ status: 429, headers: { 'retry-after': '0.3' }, body: { message: 'slow down' } }]);
    const { embeddings } = await embedder().model.doEmbed({ values: ['one text'] });
    expect(embeddings).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(280);
  });

  it('honours x-ratelimit-reset-* when a 429 has no retry-after', async () => {
    server.script([
      { status: 429, headers: { 'x-ratelimit-reset-requests': '120ms', 'x-ratelimit-reset-tokens': '0.4s' } },
    ]);
    await embedder().model.doEmbed({ values: ['one text'] });
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(380);
  });

  it('retries a 5xx, then gives up with model_unavailable', async () => {
    server.script([{ status: 503 }]);
    await expect(embedder().model.doEmbed({ values: ['a'] })).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
    server.script([{ status: 500 }, { status: 502 }, { status: 503 }]);
    const error = await failureOf(embedder().model.doEmbed({ values: ['a'] }));
    expect(error.code).toBe('model_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`${c.provider}:${c.model}`);
    expect(server.requests).toHaveLength(3);
  });

  it('refuses vectors of the wrong length, without retrying', async () => {
    server.script([{ dimensions: 12 }]);
    const error = await failureOf(embedder().model.doEmbed({ values: ['a', 'b'] }));
    expect(error.code).toBe('model_bad_response');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`12-dimensional vector; expected ${c.dimensions}`);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a bad key as a rejected request naming the setting, without retrying', async () => {
    server.script([]);
    const error = await failureOf(embedder({ apiKey: 'wrong' }).model.doEmbed({ values: ['a'] }));
    expect(error.code).toBe('model_request_rejected');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain('GROUNDWORK_EMBEDDER_API_KEY');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a request that never answers', async () => {
    server.script([{ hang: true }, { hang: true }, { hang: true }]);
    const error = await failureOf(embedder({ timeoutMs: 150 }).model.doEmbed({ values: ['a'] }));
    expect(error.code).toBe('model_timeout');
    expect(server.requests).toHaveLength(3);
  });

  it('estimates tokens when the server reports none', async () => {
    const quiet = await startEmbeddingsServer({ dimensions: c.dimensions, omitUsage: true });
    try {
      const { usage } = await resolveEmbedder(`${c.provider}:${c.model}`, {
        hosted: {
          settings: { apiKey: KEY, baseUrl: `${quiet.url}/${c.version}`, dimensions: c.dimensions },
          env: {},
        },
      })!.model.doEmbed({ values: ['123456789'] });
      expect(usage?.tokens).toBe(3);
    } finally {
      await quiet.close();
    }
  });

  it('sends no personal data to a hosted server when redaction is on', async () => {
    server.script([]);
    const text = 'Write to jane.doe@example.com or call +44 20 7946 0958 about order 1234.';
    await embedder({}, true).model.doEmbed({ values: [text] });
    const sent = server.requests[0]!.texts[0]!;
    expect(sent).not.toContain('jane.doe@example.com');
    expect(sent).toContain('[EMAIL_1]');
    expect(sent).toContain('order 1234');
  });
});

describe('hosted embedder configuration', () => {
  const resolve = (spec: string, settings: Partial<EmbeddingConfig> = {}, env: Record<string, string> = {}) =>
    resolveEmbedder(spec, { hosted: { settings, env } });

  it('fails at start-up without a key, naming both variables', () => {
    expect(() => resolve('openai:text-embedding-3-small')).toThrow(
      /GROUNDWORK_EMBEDDER_API_KEY or OPENAI_API_KEY/,
    );
    expect(() => resolve('cohere:embed-english-v3.0')).toThrow(/COHERE_API_KEY/);
    expect(resolve('openai:text-embedding-3-small', {}, { OPENAI_API_KEY: 'sk' })?.dimensions).toBe(1536);
  });

  it('needs a base URL for openai-compatible and never sends OPENAI_API_KEY there', () => {
    expect(() => resolve('openai-compatible:bge-small-en-v1.5', { dimensions: 384 })).toThrow(
      /GROUNDWORK_EMBEDDER_BASE_URL/,
    );
  });

  it('knows the dimensions of known models and needs them for others', () => {
    expect(resolve('openai:text-embedding-3-large', {}, { OPENAI_API_KEY: 'sk' })?.dimensions).toBe(3072);
    expect(resolve('cohere:embed-english-light-v3.0', { apiKey: 'k' })?.dimensions).toBe(384);
    expect(() => resolve('openai-compatible:my-model', { baseUrl: 'http://localhost:8080/v1' })).toThrow(
      /GROUNDWORK_EMBEDDER_DIMENSIONS/,
    );
    expect(() =>
      resolve('openai:text-embedding-ada-002', { dimensions: 512 }, { OPENAI_API_KEY: 'sk' }),
    ).toThrow(ConfigError);
  });

  it('keeps the model id whole when it has colons (Ollama tags)', () => {
    const info = resolve('openai-compatible:nomic-embed-text:latest', {
      baseUrl: 'http://localhost:11434/v1',
      dimensions: 768,
    });
    expect(info?.model.modelId).toBe('nomic-embed-text:latest');
  });
});

describe('what hosted embedders are asked', () => {
  let server: EmbeddingsServer;
  beforeAll(async () => {
    server = await startEmbeddingsServer({ dimensions: 512 });
  });
  afterAll(() => server.close());

  it('asks OpenAI for shorter vectors when the dimensions setting says so', async () => {
    server.script([]);
    const info = resolveEmbedder('openai:text-embedding-3-small', {
      hosted: { settings: { apiKey: KEY, baseUrl: `${server.url}/v1`, dimensions: 512 }, env: {} },
    })!;
    await info.model.doEmbed({ values: ['a'] });
    expect(server.requests[0]!.body.dimensions).toBe(512);
  });

  it('embeds Cohere queries as search_query and documents as search_document', async () => {
    server.script([]);
    const info = resolveEmbedder('cohere:embed-v4.0', {
      hosted: { settings: { apiKey: KEY, baseUrl: `${server.url}/v2`, dimensions: 512 }, env: {} },
    })!;
    await info.model.doEmbed({ values: ['a document'] });
    await info.model.doEmbed({ values: ['a question'], providerOptions: info.queryProviderOptions });
    expect(server.requests.map((request) => request.body.input_type)).toEqual([
      'search_document',
      'search_query',
    ]);
    expect(server.requests[0]!.body.output_dimension).toBe(512);
  });

  it('redacts for hosted servers only by default (auto): a loopback server gets the text as it is', async () => {
    server.script([]);
    const text = 'Mail jane.doe@example.com';
    const local = resolveEmbedder('openai-compatible:m', {
      hosted: { settings: { baseUrl: `${server.url}/v1`, dimensions: 512 }, env: {}, redact: 'auto' },
    })!;
    await local.model.doEmbed({ values: [text] });
    expect(server.requests[0]!.texts[0]).toBe(text);
    const hosted = resolveEmbedder('openai:text-embedding-3-small', {
      hosted: {
        settings: { apiKey: KEY, baseUrl: `${server.url}/v1`, dimensions: 512 },
        env: {},
        redact: 'auto',
      },
    })!;
    await hosted.model.doEmbed({ values: [text] });
    expect(server.requests[1]!.texts[0]).toBe('Mail [EMAIL_1]');
  });
});

describe('hosted embedder names', () => {
  it('are the configured provider:model, so vectors are stored, priced and found again under it', () => {
    const info = resolveEmbedder('openai:text-embedding-3-small', {
      hosted: { settings: { apiKey: KEY }, env: {} },
    })!;
    expect(embedderName(info)).toBe('openai:text-embedding-3-small');
    const compatible = resolveEmbedder('openai-compatible:bge-m3', {
      hosted: { settings: { baseUrl: 'http://127.0.0.1:1/v1', dimensions: 1024 }, env: {} },
    })!;
    expect(embedderName(compatible)).toBe('openai-compatible:bge-m3');
  });
});
