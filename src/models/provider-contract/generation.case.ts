/**
 * @module models/provider-contract/generation.case
 * Happy paths: text, streamed text, a tool call; the request carries the key and the model name.
 */
import { generateText, streamText } from 'ai';
import { expect, it } from 'vitest';
import { MODEL_CALL_SETTINGS } from '../resilient-language-model.ts';
import { toTokenUsage } from '../token-usage.ts';
import {
  ANSWER,
  API_KEY,
  CALL_SETTINGS,
  failure,
  type Harness,
  PROMPT,
  type ProviderCase,
  TOOLS,
} from './harness.ts';

/** Registers the generation cases. */
export function generationCases(c: ProviderCase, h: Harness): void {
  it('generates text, sending the API key and the model name', async () => {
    const model = h.modelFor([{ fixture: c.fixtures.generate }]);
    const result = await model.doGenerate({ prompt: PROMPT });
    expect(result.content).toEqual([expect.objectContaining({ type: 'text', text: ANSWER })]);
    expect(toTokenUsage(result.usage)).toEqual(c.usage);
    expect(result.providerMetadata?.groundwork).toEqual({ model: `${c.provider}:${c.model}`, attempts: 1 });
    const [request] = h.server.requests;
    expect(request?.url).toBe(`/v1${c.path}`);
    expect(c.apiKeyOf(request!.headers)).toBe(API_KEY);
    expect(request?.body.model).toBe(c.model);
  });

  it('passes the generation settings of a prompt version to the provider', async () => {
    const model = h.modelFor([{ fixture: c.fixtures.generate }]);
    await generateText({
      model,
      prompt: 'How long do refunds take?',
      ...MODEL_CALL_SETTINGS,
      temperature: 0.15,
      topP: 0.8,
      maxOutputTokens: 222,
      stopSequences: ['\n\nQuestion:'],
    });
    const body = h.server.requests[0]?.body as Record<string, unknown>;
    const sent = {
      temperature: body.temperature,
      topP: body.top_p,
      maxTokens: body.max_tokens ?? body.max_completion_tokens,
      stop: body.stop ?? body.stop_sequences,
    };
    // Anthropic takes temperature or top-p, not both: the AI SDK drops top-p (with a warning).
    const topP = c.provider === 'anthropic' ? undefined : 0.8;
    expect(sent).toEqual({ temperature: 0.15, topP, maxTokens: 222, stop: ['\n\nQuestion:'] });
  });

  it('streams text through streamText', async () => {
    const model = h.modelFor([{ fixture: c.fixtures.stream }]);
    const result = streamText({ model, prompt: 'How long do refunds take?', ...CALL_SETTINGS });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe(ANSWER);
    expect((await result.usage).inputTokens).toBeGreaterThan(0);
    expect(h.server.requests[0]?.body.stream).toBe(true);
  });

  it('returns a tool call with JSON arguments', async () => {
    const model = h.modelFor([{ fixture: c.fixtures.toolCall }]);
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
    expect(JSON.stringify(h.server.requests[0]?.body.tools)).toContain('get_order_status');
  });

  it('does not let the AI SDK multiply our retries', async () => {
    const unavailable = { fixture: c.fixtures.unavailable, status: c.unavailableStatus };
    const model = h.modelFor([unavailable, unavailable], { maxRetries: 1 });
    // No MODEL_CALL_SETTINGS: generateText's default of 2 retries must not apply on top of ours.
    const error = await failure(
      generateText({ model, prompt: 'How long do refunds take?', maxOutputTokens: 512 }),
    );
    expect(error.code).toBe('model_unavailable');
    expect(h.server.requests).toHaveLength(2);
  });
}
