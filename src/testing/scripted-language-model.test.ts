import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createScriptedLanguageModel, UnexpectedModelCallError } from './scripted-language-model.ts';

describe('scripted language model', () => {
  it('plays its script through the AI SDK, records calls and refuses unexpected ones', async () => {
    const model = createScriptedLanguageModel([
      { text: 'First [1].', usage: { inputTokens: 12, outputTokens: 3 } },
      { text: 'Second.' },
    ]);
    const first = await generateText({ model, prompt: 'one' });
    expect(first.text).toBe('First [1].');
    expect(first.usage.inputTokens).toBe(12);
    const second = streamText({ model, prompt: 'two' });
    let streamed = '';
    for await (const delta of second.textStream) streamed += delta;
    expect(streamed).toBe('Second.');
    expect(model.calls).toHaveLength(2);
    expect(JSON.stringify(model.calls[0]?.prompt)).toContain('one');
    model.assertComplete();
    await expect(generateText({ model, prompt: 'three' })).rejects.toThrow();
    expect(() => createScriptedLanguageModel([{ text: 'x' }]).assertComplete()).toThrow(/unused/);
    expect(new UnexpectedModelCallError(3).message).toMatch(/3 times/);
  });

  it('honours abort signals while waiting', async () => {
    const model = createScriptedLanguageModel([{ text: 'slow', delayMs: 5_000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client went away')), 20);
    const started = performance.now();
    await expect(
      generateText({ model, prompt: 'x', abortSignal: controller.signal, maxRetries: 0 }),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
