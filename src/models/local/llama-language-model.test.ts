import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GroundworkError } from '../../errors.ts';
import { buildTinyGguf, writeTinyGguf } from '../../testing/tiny-gguf.ts';
import { createLocalLanguageModel, type LocalLanguageModel } from './llama-language-model.ts';

const spec = { name: 'tiny-llama' };
const prompt = (text: string): LanguageModelV3CallOptions['prompt'] => [
  { role: 'system', content: 'You answer briefly.' },
  { role: 'user', content: [{ type: 'text', text }] },
];
const greedy = (
  text: string,
  extra: Partial<LanguageModelV3CallOptions> = {},
): LanguageModelV3CallOptions => ({
  prompt: prompt(text),
  temperature: 0,
  maxOutputTokens: 16,
  ...extra,
});
const textOf = (result: Awaited<ReturnType<LocalLanguageModel['doGenerate']>>) =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

async function collect(stream: ReadableStream<LanguageModelV3StreamPart>) {
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

async function loadError(file: string): Promise<GroundworkError> {
  const model = createLocalLanguageModel({ modelPath: file, spec: { name: 'broken' }, contextTokens: 256 });
  const error = await model.doGenerate(greedy('hi')).then(
    () => expect.fail('expected a load error'),
    (thrown: unknown) => thrown,
  );
  expect(GroundworkError.isInstance(error)).toBe(true);
  return error as GroundworkError;
}

let dir: string;
let file: string;
let model: LocalLanguageModel;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'groundwork-llama-'));
  file = await writeTinyGguf(dir);
  // One thread: the model is tiny, and spinning llama.cpp threads on a busy 2-core machine crawl.
  model = createLocalLanguageModel({ modelPath: file, spec, contextTokens: 512, threads: 1 });
});

afterAll(async () => {
  await model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('createLocalLanguageModel on a tiny random-weight GGUF', () => {
  it('is an AI SDK v3 model of the local provider', () => {
    expect(model).toMatchObject({ specificationVersion: 'v3', provider: 'local', modelId: 'tiny-llama' });
  });

  it('shares one load between concurrent first calls', async () => {
    const other = createLocalLanguageModel({ modelPath: file, spec, contextTokens: 256, threads: 1 });
    const [first, second] = await Promise.all([other.load(), other.load()]);
    expect(first).toBe(second);
    await other.dispose();
  });

  it('generates text and reports usage', async () => {
    const result = await model.doGenerate(greedy('What is the answer?'));
    expect(textOf(result).length).toBeGreaterThan(0);
    expect(result.usage.inputTokens.total).toBeGreaterThan(5);
    expect(result.usage.outputTokens.total).toBe(16);
    expect(result.warnings).toEqual([]);
  });

  it('stops at maxOutputTokens with finishReason length and exactly that many tokens', async () => {
    const result = await model.doGenerate(greedy('hello world', { maxOutputTokens: 7 }));
    expect(result.finishReason.unified).toBe('length');
    expect(result.usage.outputTokens.total).toBe(7);
  });

  it('starts every request from a fresh state', async () => {
    const first = textOf(await model.doGenerate(greedy('the order')));
    await model.doGenerate(greedy('something else entirely, longer than before'));
    expect(textOf(await model.doGenerate(greedy('the order')))).toBe(first);
  });

  it('streams parts in the AI SDK order', async () => {
    const { stream } = await model.doStream(greedy('Is it true?', { maxOutputTokens: 10 }));
    const parts = await collect(stream);
    const types = parts.map((part) => part.type);
    expect(types[0]).toBe('stream-start');
    expect(types[1]).toBe('text-start');
    expect(types.at(-2)).toBe('text-end');
    expect(types.at(-1)).toBe('finish');
    expect(types.slice(2, -2).every((type) => type === 'text-delta')).toBe(true);
    const finish = parts.at(-1) as Extract<LanguageModelV3StreamPart, { type: 'finish' }>;
    expect(finish.usage.outputTokens.total).toBe(10);
    expect(finish.finishReason.unified).toBe('length');
    // The streamed text is the text a non-streamed call returns.
    const streamed = parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
    expect(streamed).toBe(textOf(await model.doGenerate(greedy('Is it true?', { maxOutputTokens: 10 }))));
  });

  it('cuts the output before the first stop sequence', async () => {
    const full = textOf(await model.doGenerate(greedy('return days', { maxOutputTokens: 24 })));
    // A short printable piece from the middle of the greedy output.
    const start = [...full].findIndex(
      (_, index) => index >= 3 && /^[!-~]{2}$/.test(full.slice(index, index + 2)),
    );
    expect(start).toBeGreaterThan(0);
    const stop = full.slice(start, start + 2);
    const cut = await model.doGenerate(greedy('return days', { maxOutputTokens: 24, stopSequences: [stop] }));
    expect(textOf(cut)).toBe(full.slice(0, full.indexOf(stop)));
    expect(cut.finishReason.unified).toBe('stop');
  });

  it('constrains JSON output to the schema, even with random weights', async () => {
    const schema = z.object({ answer: z.enum(['yes', 'no']), confident: z.boolean() }).strict();
    const result = await model.doGenerate(
      greedy('Answer in JSON.', {
        maxOutputTokens: 64,
        responseFormat: { type: 'json', schema: z.toJSONSchema(schema) as never },
      }),
    );
    expect(result.finishReason.unified).toBe('stop');
    expect(schema.safeParse(JSON.parse(textOf(result))).success).toBe(true);
  });

  it('stops when aborted mid-stream, and serves the next request', async () => {
    const controller = new AbortController();
    const { stream } = await model.doStream(
      greedy('a long one', { maxOutputTokens: 400, abortSignal: controller.signal }),
    );
    const reader = stream.getReader();
    const reason = new Error('caller gave up');
    let deltas = 0;
    const outcome = await (async () => {
      for (;;) {
        const next = await reader.read();
        if (next.done) return 'done';
        if (next.value.type === 'text-delta' && ++deltas === 1) controller.abort(reason);
      }
    })().catch((error: unknown) => error);
    expect(outcome).toBe(reason);
    expect(deltas).toBeLessThan(400);
    expect(textOf(await model.doGenerate(greedy('after the abort', { maxOutputTokens: 3 })))).not.toBe('');
  });

  it('rejects an already aborted call', async () => {
    const signal = AbortSignal.abort(new Error('too late'));
    await expect(model.doGenerate(greedy('x', { abortSignal: signal }))).rejects.toThrow('too late');
  });

  it('refuses requests beyond its queue as retryable overload', async () => {
    const busy = createLocalLanguageModel({
      modelPath: file,
      spec,
      contextTokens: 512,
      threads: 1,
      maxQueue: 0,
    });
    const controller = new AbortController();
    const { stream } = await busy.doStream(
      greedy('keep busy', { maxOutputTokens: 400, abortSignal: controller.signal }),
    );
    const error = await Promise.resolve(busy.doGenerate(greedy('me too'))).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'model_overloaded', retryable: true });
    controller.abort();
    await stream.cancel();
    await busy.dispose();
  });

  it('calls a required tool with schema-valid arguments, even with random weights', async () => {
    const inputSchema = {
      type: 'object',
      properties: { topic: { type: 'string', enum: ['returns', 'shipping'] }, urgent: { type: 'boolean' } },
      required: ['topic', 'urgent'],
      additionalProperties: false,
    } as const;
    const result = await model.doGenerate(
      greedy('Which policy?', {
        // Random weights pad the JSON with whitespace the grammar allows; 72 tokens are used here.
        maxOutputTokens: 160,
        tools: [{ type: 'function', name: 'search_policy', description: 'Finds a policy.', inputSchema }],
        toolChoice: { type: 'required' },
      }),
    );
    expect(result.finishReason.unified).toBe('tool-calls');
    expect(result.content).toEqual([
      expect.objectContaining({
        type: 'tool-call',
        toolName: 'search_policy',
        toolCallId: expect.any(String),
      }),
    ]);
    const call = result.content[0] as Extract<(typeof result.content)[number], { type: 'tool-call' }>;
    const input = JSON.parse(call.input) as { topic: string; urgent: unknown };
    expect(['returns', 'shipping']).toContain(input.topic);
    expect(typeof input.urgent).toBe('boolean');
    expect(result.warnings).toEqual([]);
  });

  it('streams a tool reply as mapped parts, never as raw protocol JSON', async () => {
    const tools = [
      {
        type: 'function' as const,
        name: 'lookup',
        inputSchema: {
          type: 'object',
          properties: { id: { type: 'string', enum: ['a', 'b'] } },
          required: ['id'],
        } as const,
      },
      { type: 'function' as const, name: 'other', inputSchema: { type: 'object', properties: {} } as const },
    ];
    const call = greedy('Look it up.', {
      maxOutputTokens: 160,
      tools,
      toolChoice: { type: 'tool', toolName: 'lookup' },
    });
    const parts = await collect((await model.doStream(call)).stream);
    expect(parts.map((part) => part.type)).toEqual(['stream-start', 'tool-call', 'finish']);
    const generated = await model.doGenerate(call);
    const [streamed] = parts.filter((part) => part.type === 'tool-call');
    expect(generated.content).toEqual([{ ...streamed, toolCallId: expect.any(String) }]);
    expect(JSON.parse((streamed as { input: string }).input)).toEqual({
      id: expect.stringMatching(/^[ab]$/),
    });
  });

  it('ignores tools when toolChoice is none', async () => {
    const result = await model.doGenerate(
      greedy('x', {
        maxOutputTokens: 2,
        tools: [{ type: 'function', name: 'search', inputSchema: { type: 'object', properties: {} } }],
        toolChoice: { type: 'none' },
      }),
    );
    expect(result.finishReason.unified).toBe('length');
    expect(result.content.every((part) => part.type === 'text')).toBe(true);
  });
});

describe('local model load errors', () => {
  it('names a missing file and the pull command', async () => {
    const missing = path.join(dir, 'absent.gguf');
    const error = await loadError(missing);
    expect(error.code).toBe('model_load_failed');
    expect(error.message).toContain(missing);
    expect(error.message).toContain('bin/groundwork models pull broken');
  });

  it('names a truncated file and the verify command', async () => {
    const whole = await readFile(file);
    const truncated = path.join(dir, 'truncated.gguf');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const error = await loadError(truncated);
    expect(error.code).toBe('model_load_failed');
    expect(error.message).toContain(truncated);
    expect(error.message).toContain('truncated');
    expect(error.message).toContain('bin/groundwork models verify broken');
  });

  it('names a corrupt file', async () => {
    const corrupt = path.join(dir, 'corrupt.gguf');
    const bytes = buildTinyGguf();
    bytes.write('JUNK', 0, 'latin1');
    await writeFile(corrupt, bytes);
    const error = await loadError(corrupt);
    expect(error.code).toBe('model_load_failed');
    expect(error.message).toContain(corrupt);
    expect(error.message).toContain('corrupt');
  });

  it('refuses a model larger than free memory', async () => {
    const small = createLocalLanguageModel({
      modelPath: file,
      spec: { name: 'tiny', approxRamBytes: 700 * 2 ** 20 },
      freeMemory: () => 100 * 2 ** 20,
    });
    await expect(small.load()).rejects.toMatchObject({
      code: 'model_too_large',
      message: expect.stringContaining('needs about 700 MiB'),
    });
  });
});
