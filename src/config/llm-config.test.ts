import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { loadConfig } from './config.ts';

// A cwd without groundwork.config.json, so only env and overrides count.
const load = (env: Record<string, string>, overrides = {}) =>
  loadConfig(overrides, env, new URL('.', import.meta.url).pathname);

describe('llm config', () => {
  it('defaults to the automatic model choice, a 60 s timeout and 2 retries', () => {
    expect(load({}).llm).toEqual({
      model: 'auto',
      fallbacks: [],
      timeoutMs: 60_000,
      maxRetries: 2,
      tasks: {},
    });
  });

  it('maps the GROUNDWORK_LLM_* variables', () => {
    const config = load({
      GROUNDWORK_LLM: 'openai-compatible:qwen2.5-7b-instruct',
      GROUNDWORK_LLM_BASE_URL: 'http://localhost:8000/v1',
      GROUNDWORK_LLM_API_KEY: 'sk-local',
      GROUNDWORK_LLM_FALLBACKS: ' openai:gpt-4o-mini , anthropic:claude-3-5-haiku-latest,',
      GROUNDWORK_LLM_TIMEOUT_MS: '30000',
      GROUNDWORK_LLM_MAX_RETRIES: '0',
    });
    expect(config.llm).toEqual({
      model: 'openai-compatible:qwen2.5-7b-instruct',
      baseUrl: 'http://localhost:8000/v1',
      apiKey: 'sk-local',
      fallbacks: ['openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku-latest'],
      timeoutMs: 30_000,
      maxRetries: 0,
      tasks: {},
    });
  });

  it('lets explicit values win field by field over the environment', () => {
    const config = load(
      { GROUNDWORK_LLM: 'openai:gpt-4o-mini', GROUNDWORK_LLM_API_KEY: 'sk-env' },
      { llm: { model: 'anthropic:claude-3-5-haiku-latest' } },
    );
    expect(config.llm).toMatchObject({ model: 'anthropic:claude-3-5-haiku-latest', apiKey: 'sk-env' });
  });

  it('says which variable is not a number', () => {
    expect(() => load({ GROUNDWORK_LLM_TIMEOUT_MS: '60s' })).toThrow(ConfigError);
    expect(() => load({ GROUNDWORK_LLM_TIMEOUT_MS: '60s' })).toThrow('GROUNDWORK_LLM_TIMEOUT_MS');
  });

  it('rejects a base URL that is not a URL', () => {
    expect(() => load({ GROUNDWORK_LLM_BASE_URL: 'localhost:8000' })).toThrow('llm.baseUrl');
  });
});
