import { APICallError, type LanguageModelV3, type LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { createScriptedLanguageModel, type ScriptedReply } from '../testing/scripted-language-model.ts';
import { createResilientLanguageModel } from './resilient-language-model.ts';
import type { NamedModel } from './run-with-fallbacks.ts';

const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
const named = (name: string, script: ScriptedReply[]) => {
  const [provider = '', modelId = ''] = name.split(':');
  const model = createScriptedLanguageModel(script, { modelId });
  return { entry: { name, provider, modelId, model } satisfies NamedModel, model };
};
const wrap = (entries: NamedModel[], timeoutMs = 1000) =>
  createResilientLanguageModel(entries, { timeoutMs, maxRetries: 1, initialDelayMs: 1, maxDelayMs: 100 });
const apiError = (statusCode: number) =>
  new APICallError({ message: `HTTP ${statusCode}`, url: 'http://x', requestBodyValues: {}, statusCode });
const collect = async (model: LanguageModelV3) => {
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of (await model.doStream({ prompt })).stream) parts.push(part);
  return parts;
};

describe('createResilientLanguageModel', () => {
  it('falls back across providers after retryable failures', async () => {
    const primary = named('openai:gpt-4o-mini', [{ error: apiError(503) }, { error: apiError(502) }]);
    const fallback = named('anthropic:claude-3-5-haiku-latest', [{ text: 'from the fallback' }]);
    const result = await wrap([primary.entry, fallback.entry]).doGenerate({ prompt });
    expect(result.content).toEqual([{ type: 'text', text: 'from the fallback' }]);
    expect(result.providerMetadata?.groundwork).toEqual({
      model: 'anthropic:claude-3-5-haiku-latest',
      attempts: 3,
    });
    primary.model.assertComplete();
    fallback.model.assertComplete();
  });

  it('does not retry or fall back on a rejected request', async () => {
    const primary = named('openai:gpt-4o-mini', [{ error: apiError(401) }]);
    const fallback = named('anthropic:claude-3-5-haiku-latest', []);
    await expect(wrap([primary.entry, fallback.entry]).doGenerate({ prompt })).rejects.toMatchObject({
      code: 'model_request_rejected',
      retryable: false,
      details: { provider: 'openai', status: 401, attempts: 1 },
    });
    expect(fallback.model.calls).toHaveLength(0);
    primary.model.assertComplete();
  });

  it('rethrows errors that are not provider failures untouched', async () => {
    const bug = new RangeError('a bug');
    const primary = named('openai:gpt-4o-mini', [{ error: bug }]);
    await expect(wrap([primary.entry]).doGenerate({ prompt })).rejects.toBe(bug);
    expect(primary.model.calls).toHaveLength(1);
    primary.model.assertComplete();
  });

  it('times out a stream that stalls after its first chunk, as an error part', async () => {
    let calls = 0;
    const stalling: LanguageModelV3 = {
      specificationVersion: 'v3',
      provider: 'openai',
      modelId: 'gpt-4o-mini',
      supportedUrls: {},
      doGenerate: () => Promise.reject(new Error('not used')),
      doStream: async () => {
        calls++;
        // One chunk at once, then silence: the stream commits, then its idle timeout fires.
        const stream = new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            controller.enqueue({ type: 'stream-start', warnings: [] });
            controller.enqueue({ type: 'text-start', id: 't0' });
            controller.enqueue({ type: 'text-delta', id: 't0', delta: 'Refunds' });
          },
        });
        return { stream };
      },
    };
    const entry = { name: 'openai:gpt-4o-mini', provider: 'openai', modelId: 'gpt-4o-mini', model: stalling };
    const started = performance.now();
    const parts = await collect(wrap([entry], 200));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(parts.map((part) => part.type)).toEqual(['stream-start', 'text-start', 'text-delta', 'error']);
    const last = parts.at(-1);
    expect(last?.type === 'error' && last.error).toMatchObject({ code: 'model_timeout' });
    expect(calls).toBe(1);
  });

  it('passes a caller abort through a committed stream', async () => {
    const primary = named('openai:gpt-4o-mini', [
      { text: 'Refunds take 5 days', delayMs: 1200, chunkSize: 8 },
    ]);
    const controller = new AbortController();
    const { stream } = await wrap([primary.entry]).doStream({ prompt, abortSignal: controller.signal });
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return;
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
