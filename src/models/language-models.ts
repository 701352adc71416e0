/**
 * @module models/language-models
 * Resolves the `llm` configuration to the language model the answer service uses: the primary and
 * its fallbacks, each an AI SDK provider model, inside one resilience wrapper. `none` resolves to
 * undefined: the product then answers extractively.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { LlmConfig } from '../config/config.ts';
import { ConfigError } from '../errors.ts';
import { isHostedModel } from './hosted-model.ts';
import { createProviderModel, LLM_PROVIDERS, type LlmProvider } from './provider-models.ts';
import { redactingLanguageModel } from './redacting-language-model.ts';
import { createResilientLanguageModel, DEFAULT_BACKOFF } from './resilient-language-model.ts';
import type { BackoffSettings } from './retry-after.ts';
import type { AttemptFailure, NamedModel } from './run-with-fallbacks.ts';

/** Least per-attempt timeout of an in-process model (time to first token is prompt processing on CPU). */
export const LOCAL_MODEL_MIN_TIMEOUT_MS = 300_000;

/** A resolved language model. */
export interface ResolvedLanguageModel {
  readonly model: LanguageModelV3;
  /** `provider:model` of the primary, for logs and `AskResult.model`. */
  readonly name: string;
  /** `provider:model` of the primary and then each fallback. */
  readonly chain: readonly string[];
}

/** I/O and tuning that only tests and tools set. */
export interface ResolveLanguageModelOptions {
  readonly fetch?: typeof fetch;
  /** Where OPENAI_API_KEY and ANTHROPIC_API_KEY are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly backoff?: Partial<BackoffSettings>;
  readonly onAttemptFailed?: (failure: AttemptFailure) => void;
  /**
   * Keep personal data from the provider (models/redacting-language-model.ts): `auto` for hosted
   * models only (models/hosted-model.ts), `true` for all, `false` (default here) for none.
   */
  readonly redact?: boolean | 'auto';
  /** The setting the primary comes from, for error messages; default `GROUNDWORK_LLM`. */
  readonly setting?: string;
}

/**
 * Returns the configured model, or undefined for `none`. Throws `ConfigError` for an unknown
 * provider, a missing key (hosted providers) or a missing base URL (`openai-compatible`).
 *
 * @example
 * const llm = resolveLanguageModel(config.llm);
 * if (llm) await generateText({ model: llm.model, prompt, ...MODEL_CALL_SETTINGS });
 */
export function resolveLanguageModel(
  config: Omit<LlmConfig, 'tasks'>,
  options: ResolveLanguageModelOptions = {},
): ResolvedLanguageModel | undefined {
  const spec = config.model.trim();
  if (spec === 'none' || spec === '') return undefined;
  const env = options.env ?? process.env;
  const setting = options.setting ?? 'GROUNDWORK_LLM';
  const primary = parseModelSpec(spec, setting);
  const models: NamedModel[] = [
    build(primary, { baseUrl: config.baseUrl, apiKey: config.apiKey }, setting, env, options),
  ];
  config.fallbacks.forEach((fallback, index) => {
    const setting = `GROUNDWORK_LLM_FALLBACKS[${index}]`;
    const entry = typeof fallback === 'string' ? { model: fallback } : fallback;
    const parsed = parseModelSpec(entry.model, setting);
    // A fallback of the primary's provider shares its URL and key unless it names its own.
    const shared: { baseUrl?: string; apiKey?: string } = parsed.provider === primary.provider ? config : {};
    const connection = { baseUrl: entry.baseUrl ?? shared.baseUrl, apiKey: entry.apiKey ?? shared.apiKey };
    models.push(build(parsed, connection, setting, env, options));
  });
  // An in-process model is not a remote service: a retry recomputes the same prompt on the same busy
  // cores, and a CPU reads a long prompt for longer than a hosted API takes to answer.
  const local = primary.provider === 'local';
  const model = createResilientLanguageModel(models, {
    timeoutMs: local ? Math.max(config.timeoutMs, LOCAL_MODEL_MIN_TIMEOUT_MS) : config.timeoutMs,
    maxRetries: local ? 0 : config.maxRetries,
    ...DEFAULT_BACKOFF,
    ...options.backoff,
    onAttemptFailed: options.onAttemptFailed,
  });
  return { model, name: models[0]!.name, chain: models.map((entry) => entry.name) };
}

/** Splits `provider:model`; the model id may itself contain colons (`llama3.1:8b` on Ollama). */
export function parseModelSpec(spec: string, setting: string): { provider: LlmProvider; modelId: string } {
  const colon = spec.indexOf(':');
  const provider = colon < 0 ? spec : spec.slice(0, colon);
  const modelId = colon < 0 ? '' : spec.slice(colon + 1).trim();
  const known = LLM_PROVIDERS.join(', ');
  if (!(LLM_PROVIDERS as readonly string[]).includes(provider)) {
    throw new ConfigError(
      `${setting} names an unknown provider "${provider}" in "${spec}". Use provider:model with one of ${known} (e.g. openai:gpt-4o-mini), or "none" for extractive answers.`,
      { setting, value: spec },
    );
  }
  if (!modelId) {
    throw new ConfigError(`${setting} is "${spec}" without a model: use ${provider}:<model>.`, {
      setting,
      value: spec,
    });
  }
  return { provider: provider as LlmProvider, modelId };
}

function build(
  parsed: { provider: LlmProvider; modelId: string },
  connection: { baseUrl?: string; apiKey?: string },
  setting: string,
  env: Readonly<Record<string, string | undefined>>,
  options: ResolveLanguageModelOptions,
): NamedModel {
  const model = createProviderModel({ ...parsed, ...connection, setting, env, fetch: options.fetch });
  const redact =
    options.redact === 'auto' ? isHostedModel(parsed.provider, connection.baseUrl) : options.redact === true;
  return {
    ...parsed,
    name: `${parsed.provider}:${parsed.modelId}`,
    model: redact ? redactingLanguageModel(model) : model,
  };
}
