/**
 * The local chat model with the real Gemma 3 270M, when it is installed in GROUNDWORK_TEST_MODELS_DIR
 * (src/testing/real-models.ts; skipped otherwise). The catalog's GGUF is the pretrained (not instruction-tuned) model and has no
 * chat template, so these tests check the plumbing with prompts a base model can complete (few-shot),
 * not the quality of its answers.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateText, Output, streamText, tool } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { missingModelReason, realModelDir } from '../../testing/real-models.ts';
import { findLocalModel } from './catalog.ts';
import { createLocalLanguageModel } from './llama-language-model.ts';

const spec = findLocalModel('gemma-3-270m');
const dir = realModelDir('gemma-3-270m');
const modelPath = dir && spec ? path.join(dir, spec.entryFile) : undefined;
const present = modelPath !== undefined && existsSync(modelPath);
if (!present) {
  console.warn(`Skipping: ${missingModelReason('gemma-3-270m')}`);
}

const FEW_SHOT =
  'Q: What is the capital of Italy?\nA: Rome\nQ: What is the capital of Germany?\nA: Berlin\nQ: What is the capital of France?\nA:';

describe.skipIf(!present)('Gemma 3 270M through the AI SDK', () => {
  const model = createLocalLanguageModel({ modelPath: modelPath ?? '', spec: spec!, contextTokens: 2048 });
  afterAll(() => model.dispose());

  it('answers a simple question briefly through generateText', { timeout: 180_000 }, async () => {
    const result = await generateText({
      model,
      prompt: FEW_SHOT,
      temperature: 0,
      maxOutputTokens: 12,
      stopSequences: ['\n'],
      maxRetries: 0,
    });
    console.info(`Gemma 3 270M answered: ${JSON.stringify(result.text)}`);
    expect(result.text.trim().length).toBeGreaterThan(0);
    expect(result.text).not.toContain('\n');
    expect(result.usage.inputTokens).toBeGreaterThan(30);
    expect(result.usage.outputTokens).toBeLessThanOrEqual(12);
  });

  it('streams through streamText', { timeout: 180_000 }, async () => {
    const result = streamText({ model, prompt: FEW_SHOT, temperature: 0, maxOutputTokens: 8, maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(await result.text);
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });

  it('returns schema-valid JSON', { timeout: 180_000 }, async () => {
    const schema = z.object({ city: z.enum(['Paris', 'Rome', 'Berlin']), sure: z.boolean() });
    const result = await generateText({
      model,
      prompt: 'Which city is the capital of France? Reply in JSON.',
      output: Output.object({ schema }),
      temperature: 0,
      maxOutputTokens: 48,
      maxRetries: 0,
    });
    expect(schema.safeParse(result.output).success).toBe(true);
  });

  it('calls a tool with schema-valid arguments through generateText', { timeout: 180_000 }, async () => {
    const result = await generateText({
      model,
      prompt: 'What is the weather in Paris?',
      tools: {
        get_weather: tool({
          description: 'The weather in a city.',
          inputSchema: z.object({ city: z.enum(['Paris', 'Rome', 'Berlin']) }),
        }),
      },
      toolChoice: 'required',
      temperature: 0,
      maxOutputTokens: 160,
      maxRetries: 0,
    });
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({
      toolName: 'get_weather',
      input: { city: expect.any(String) },
    });
  });
});
