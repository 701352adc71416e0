import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LlmConfig } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import { parseModelSpec, resolveLanguageModel } from './language-models.ts';

const base: LlmConfig = { model: 'none', fallbacks: [], timeoutMs: 60_000, maxRetries: 2, tasks: {} };
const resolve = (config: Partial<LlmConfig>, env: Record<string, string> = {}) =>
  resolveLanguageModel({ ...base, ...config }, { env });
const configError = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  return expect.fail('expected a ConfigError');
};

describe('resolveLanguageModel', () => {
  it('resolves none (and an empty value) to undefined', () => {
    expect(resolve({ model: 'none' })).toBeUndefined();
    expect(resolve({ model: '' })).toBeUndefined();
  });

  it('names the primary and the chain of fallbacks', () => {
    const resolved = resolve(
      { model: 'openai:gpt-4o-mini', fallbacks: ['anthropic:claude-3-5-haiku-latest'] },
      { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a' },
    );
    expect(resolved?.name).toBe('openai:gpt-4o-mini');
    expect(resolved?.chain).toEqual(['openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku-latest']);
    expect(resolved?.model).toMatchObject({
      specificationVersion: 'v3',
      provider: 'openai',
      modelId: 'gpt-4o-mini',
    });
  });

  it('rejects an unknown provider, saying what to set', () => {
    const error = configError(() => resolve({ model: 'mistral:large' }));
    expect(error.message).toContain('unknown provider "mistral"');
    expect(error.message).toContain('openai, anthropic, openai-compatible');
    expect(error.message).toContain('GROUNDWORK_LLM');
  });

  it('rejects a provider without a model', () => {
    expect(configError(() => resolve({ model: 'openai' })).message).toContain('use openai:<model>');
  });

  it('asks for a key for hosted providers', () => {
    const openai = configError(() => resolve({ model: 'openai:gpt-4o-mini' }));
    expect(openai.message).toContain('GROUNDWORK_LLM_API_KEY or OPENAI_API_KEY');
    const anthropic = configError(() => resolve({ model: 'anthropic:claude-3-5-haiku-latest' }));
    expect(anthropic.message).toContain('GROUNDWORK_LLM_API_KEY or ANTHROPIC_API_KEY');
  });

  it('checks fallbacks too, naming the entry', () => {
    const error = configError(() =>
      resolve({
        model: 'openai:gpt-4o-mini',
        apiKey: 'sk-o',
        fallbacks: ['anthropic:claude-3-5-haiku-latest'],
      }),
    );
    expect(error.message).toContain('GROUNDWORK_LLM_FALLBACKS[0]');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
  });

  it('asks for a base URL for openai-compatible, and needs no key', () => {
    const error = configError(() => resolve({ model: 'openai-compatible:qwen2.5-7b-instruct' }));
    expect(error.message).toContain('GROUNDWORK_LLM_BASE_URL');
    const resolved = resolve({
      model: 'openai-compatible:llama3.1:8b',
      baseUrl: 'http://localhost:11434/v1',
    });
    expect(resolved?.name).toBe('openai-compatible:llama3.1:8b');
  });

  it('lets an explicit key win over the environment, and never sends OPENAI_API_KEY elsewhere', async () => {
    const seen: Headers[] = [];
    const body = readFileSync(new URL('./__fixtures__/openai/chat-completion.json', import.meta.url), 'utf8');
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      seen.push(new Headers(init?.headers));
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    };
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
    const env = { OPENAI_API_KEY: 'sk-from-env' };
    const explicit = resolveLanguageModel(
      { ...base, model: 'openai:gpt-4o-mini', apiKey: 'sk-explicit' },
      { env, fetch },
    );
    await explicit?.model.doGenerate({ prompt });
    const fromEnv = resolveLanguageModel({ ...base, model: 'openai:gpt-4o-mini' }, { env, fetch });
    await fromEnv?.model.doGenerate({ prompt });
    const compatible = resolveLanguageModel(
      { ...base, model: 'openai-compatible:qwen2.5-7b-instruct', baseUrl: 'http://localhost:8000/v1' },
      { env, fetch },
    );
    await compatible?.model.doGenerate({ prompt });
    expect(seen.map((headers) => headers.get('authorization'))).toEqual([
      'Bearer sk-explicit',
      'Bearer sk-from-env',
      null,
    ]);
  });
});

describe('parseModelSpec', () => {
  it('keeps colons that belong to the model id', () => {
    expect(parseModelSpec('openai-compatible:qwen2.5:7b', 'GROUNDWORK_LLM')).toEqual({
      provider: 'openai-compatible',
      modelId: 'qwen2.5:7b',
    });
  });
});
