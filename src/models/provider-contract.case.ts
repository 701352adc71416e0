/**
 * @module models/provider-contract.case
 * One contract suite for every LLM provider, run by `<provider>.test.ts` against a local server that
 * speaks that provider's wire protocol from recorded fixtures. Each case goes through the real AI SDK
 * provider, over real HTTP, inside our resilience wrapper.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { generateText, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LlmConfig } from '../config/config.ts';
import { type ProviderReply, type ProviderServer, startProviderServer } from '../testing/provider-server.ts';
import { ModelError } from './errors.ts';
import { resolveLanguageModel } from './language-models.ts';
import { MODEL_CALL_SETTINGS } from './resilient-language-model.ts';
import { toTokenUsage } from './token-usage.ts';

/** What differs between providers. */
export interface ProviderCase {
  readonly provider: 'openai' | 'anthropic' | 'openai-compatible';
  readonly model: string;
  readonly fallbackModel: string;
  /** Path the provider posts to, under the server's `/v1`. */
  readonly path: string;
  readonly fixtures: {
    readonly generate: string;
    readonly stream: string;
    readonly toolCall: string;
    readonly rateLimited: string;
    readonly unavailable: string;
    /** A stream that opens with 200 and then reports an outage as an error event, if recorded. */
    readonly streamError?: string;
  };
  readonly unavailableStatus: number;
  /** Headers the provider sends with a 429, and the wait they ask for. */
  readonly retryAfter: { readonly headers: Record<string, string>; readonly ms: number };
  /** The API key as the request carried it. */
  readonly apiKeyOf: (headers: Readonly<Record<string, string | string[] | undefined>>) => unknown;
  /** Usage recorded in the `generate` fixture. */
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
}

/** Our settings, plus an output limit so the SDK need not guess one per model. */
const CALL_SETTINGS = { ...MODEL_CALL_SETTINGS, maxOutputTokens: 512 };
const ANSWER = 'Refunds are issued to the original payment method within 5 business days [1].';
const API_KEY = 'sk-test-4f1c9b2e';
const PROMPT: LanguageModelV3CallOptions['prompt'] = [
  { role: 'user', content: [{ type: 'text', text: 'How long do refunds take?' }] },
];
const TOOLS = {
  get_order_status: tool({
    description: 'Looks up the status of an order.',
    inputSchema: z.object({ orderId: z.string() }),
  }),
};

/** Registers the contract tests for one provider. */
export function describeProviderContract(c: ProviderCase): void {
  const fixtures = new URL(`./__fixtures__/${c.provider}/`, import.meta.url);
  describe(`${c.provider} through the resilience wrapper`, () => {
    let server: ProviderServer;
    beforeAll(async () => {
      server = await startProviderServer(fileURLToPath(fixtures));
    });
    afterAll(() => server.close());

    const modelFor = (replies: ProviderReply[], overrides: Partial<LlmConfig> = {}): LanguageModelV3 => {
      server.script(replies);
      const config: LlmConfig = {
        model: `${c.provider}:${c.model}`,
        baseUrl: `${server.url}/v1`,
        apiKey: API_KEY,
        fallbacks: [],
        timeoutMs: 2000,
        maxRetries: 2,
        ...overrides,
      };
      const resolved = resolveLanguageModel(config, {
        env: {},
        backoff: { initialDelayMs: 5, maxDelayMs: 2000 },
      });
      return resolved!.model;
    };
    const failure = (promise: PromiseLike<unknown>) =>
      Promise.resolve(promise).then(
        () => expect.fail('expected the call to fail'),
        (error: unknown) => error as ModelError,
      );

    it('generates text, sending the API key and the model name', async () => {
      const model = modelFor([{ fixture: c.fixtures.generate }]);
      const result = await model.doGenerate({ prompt: PROMPT });
      expect(result.content).toEqual([expect.objectContaining({ type: 'text', text: ANSWER })]);
      expect(toTokenUsage(result.usage)).toEqual(c.usage);
      expect(result.providerMetadata?.groundwork).toEqual({ model: `${c.provider}:${c.model}`, attempts: 1 });
      const [request] = server.requests;
      expect(request?.url).toBe(`/v1${c.path}`);
      expect(c.apiKeyOf(request!.headers)).toBe(API_KEY);
      expect(request?.body.model).toBe(c.model);
    });

    it('streams text through streamText', async () => {
      const model = modelFor([{ fixture: c.fixtures.stream }]);
      const result = streamText({ model, prompt: 'How long do refunds take?', ...CALL_SETTINGS });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      expect(text).toBe(ANSWER);
      expect((await result.usage).inputTokens).toBeGreaterThan(0);
      expect(server.requests[0]?.body.stream).toBe(true);
    });

    it('returns a tool call with JSON arguments', async () => {
      const model = modelFor([{ fixture: c.fixtures.toolCall }]);
      const result = await generateText({
        model,
        prompt: 'Where is order A-1042?',
        tools: TOOLS,
        ...CALL_SETTINGS,
      });
      expect(result.toolCalls).toEqual([
        expect.objectContaining({ toolName: 'get_order_status', input: { orderId: 'A-1042' } }),
      ]);
      expect(result.finishReason).toBe('tool-calls');
      expect(JSON.stringify(server.requests[0]?.body.tools)).toContain('get_order_status');
    });

    it('waits as long as retry-after asks after a 429, then succeeds', async () => {
      const model = modelFor([
        { fixture: c.fixtures.rateLimited, status: 429, headers: c.retryAfter.headers },
        { fixture: c.fixtures.generate },
      ]);
      const result = await model.doGenerate({ prompt: PROMPT });
      expect(result.content[0]).toMatchObject({ text: ANSWER });
      const [first, second] = server.requests;
      const waited = second!.receivedAt - first!.receivedAt;
      expect(waited).toBeGreaterThanOrEqual(c.retryAfter.ms - 5);
      expect(waited).toBeLessThan(c.retryAfter.ms + 600);
    });

    it('gives up at once when retry-after is beyond the cap', async () => {
      const model = modelFor([
        { fixture: c.fixtures.rateLimited, status: 429, headers: { 'retry-after': '120' } },
      ]);
      const error = await failure(model.doGenerate({ prompt: PROMPT }));
      expect(error).toMatchObject({ code: 'model_rate_limited', category: 'system', retryable: true });
      expect(error.details).toMatchObject({
        provider: c.provider,
        status: 429,
        retryAfterMs: 120_000,
        attempts: 1,
      });
      expect(server.requests).toHaveLength(1);
    });

    it('retries a 5xx, then succeeds', async () => {
      const model = modelFor([
        { fixture: c.fixtures.unavailable, status: c.unavailableStatus },
        { fixture: c.fixtures.generate },
      ]);
      const result = await model.doGenerate({ prompt: PROMPT });
      expect(result.content[0]).toMatchObject({ text: ANSWER });
      expect(result.providerMetadata?.groundwork).toMatchObject({ attempts: 2 });
    });

    it('fails with model_unavailable after 1 + maxRetries attempts of a persistent 5xx', async () => {
      const unavailable = { fixture: c.fixtures.unavailable, status: c.unavailableStatus };
      const model = modelFor([unavailable, unavailable, unavailable]);
      const error = await failure(model.doGenerate({ prompt: PROMPT }));
      expect(ModelError.isModelError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'model_unavailable', category: 'system', retryable: true });
      expect(error.details).toMatchObject({
        provider: c.provider,
        model: c.model,
        status: c.unavailableStatus,
      });
      expect(error.details.attempts).toBe(3);
      expect(error.cause).toBeInstanceOf(Error);
      expect(server.requests).toHaveLength(3);
    });

    it('does not let the AI SDK multiply our retries', async () => {
      const unavailable = { fixture: c.fixtures.unavailable, status: c.unavailableStatus };
      const model = modelFor([unavailable, unavailable], { maxRetries: 1 });
      // No MODEL_CALL_SETTINGS: generateText's default of 2 retries must not apply on top of ours.
      const error = await failure(
        generateText({ model, prompt: 'How long do refunds take?', maxOutputTokens: 512 }),
      );
      expect(error.code).toBe('model_unavailable');
      expect(server.requests).toHaveLength(2);
    });

    it('fails with model_bad_response on a malformed body, without retrying', async () => {
      // A body cut off mid-JSON, as a proxy that drops the connection early would deliver it.
      const truncated = readFileSync(new URL(c.fixtures.generate, fixtures), 'utf8').slice(0, 80);
      const model = modelFor([{ body: truncated }, { fixture: c.fixtures.generate }]);
      const error = await failure(model.doGenerate({ prompt: PROMPT }));
      expect(error).toMatchObject({ code: 'model_bad_response', category: 'system', retryable: false });
      expect(error.details).toMatchObject({ provider: c.provider, status: 200 });
      expect(server.requests).toHaveLength(1);
    });

    it('fails with model_timeout when the connection hangs', async () => {
      const model = modelFor([{ hang: true }], { timeoutMs: 300, maxRetries: 0 });
      const started = performance.now();
      const error = await failure(model.doGenerate({ prompt: PROMPT }));
      const elapsed = performance.now() - started;
      expect(error).toMatchObject({ code: 'model_timeout', category: 'system', retryable: true });
      expect(elapsed).toBeGreaterThanOrEqual(295);
      expect(elapsed).toBeLessThan(1500);
    });

    it('falls back to the next model when the primary keeps failing', async () => {
      const unavailable = { fixture: c.fixtures.unavailable, status: c.unavailableStatus };
      const model = modelFor([unavailable, unavailable, { fixture: c.fixtures.generate }], {
        maxRetries: 1,
        fallbacks: [`${c.provider}:${c.fallbackModel}`],
      });
      const result = await model.doGenerate({ prompt: PROMPT });
      expect(result.content[0]).toMatchObject({ text: ANSWER });
      expect(server.requests.map((request) => request.body.model)).toEqual([
        c.model,
        c.model,
        c.fallbackModel,
      ]);
      expect(result.providerMetadata?.groundwork).toEqual({
        model: `${c.provider}:${c.fallbackModel}`,
        attempts: 3,
      });
    });

    it('cancels at once, without retrying, when the caller aborts', async () => {
      const model = modelFor([{ hang: true }, { fixture: c.fixtures.generate }]);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = performance.now();
      const error = await failure(model.doGenerate({ prompt: PROMPT, abortSignal: controller.signal }));
      expect(performance.now() - started).toBeLessThan(1000);
      expect((error as unknown as Error).name).toBe('AbortError');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.requests).toHaveLength(1);
    });

    it('retries a stream that fails before its first chunk', async () => {
      const model = modelFor([
        { fixture: c.fixtures.unavailable, status: c.unavailableStatus },
        { fixture: c.fixtures.stream },
      ]);
      const parts = await collect(model, undefined);
      const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');
      expect(text).toBe(ANSWER);
      const finish = parts.find((part) => part.type === 'finish');
      expect(finish?.providerMetadata?.groundwork).toMatchObject({ attempts: 2 });
      expect(server.requests).toHaveLength(2);
    });

    const streamError = c.fixtures.streamError;
    it.skipIf(!streamError)('retries a stream whose first event is an error', async () => {
      const model = modelFor([{ fixture: streamError! }, { fixture: c.fixtures.stream }]);
      const parts = await collect(model, undefined);
      const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');
      expect(text).toBe(ANSWER);
      expect(parts.some((part) => part.type === 'error')).toBe(false);
      expect(server.requests).toHaveLength(2);
    });

    it.skipIf(!streamError)(
      'fails with model_unavailable when every stream opens with an error',
      async () => {
        const model = modelFor([{ fixture: streamError! }, { fixture: streamError! }], { maxRetries: 1 });
        const error = await failure(collect(model, undefined));
        expect(error).toMatchObject({ code: 'model_unavailable', retryable: true });
        expect(error.message).not.toContain('[object Object]');
        expect(server.requests).toHaveLength(2);
      },
    );

    it('surfaces a failure after the first chunk instead of retrying', async () => {
      const model = modelFor([
        { fixture: c.fixtures.stream, dropAfterEvents: 4 },
        { fixture: c.fixtures.stream },
      ]);
      const parts = await collect(model, undefined);
      expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
      const last = parts.at(-1);
      expect(last?.type).toBe('error');
      expect(last?.type === 'error' && last.error).toMatchObject({ code: 'model_unavailable' });
      expect(server.requests).toHaveLength(1);
    });
  });
}

async function collect(model: LanguageModelV3, signal: AbortSignal | undefined) {
  const { stream } = await model.doStream({ prompt: PROMPT, abortSignal: signal });
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}
