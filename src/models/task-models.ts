/**
 * @module models/task-models
 * A separate model per sub-task (`llm.tasks`): condensing follow-ups, summarising long conversations,
 * the model-based moderator and the evaluation judge are short, well-defined jobs a cheaper model can
 * do. A task without its own model uses the answering model. A task model is backed up by the
 * answering model and its fallbacks, inside the same resilience wrapper (ADR 0006), so a cheap
 * model's outage costs money, not answers.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { LlmConfig } from '../config/config.ts';
import { LLM_TASKS, type LlmTask } from '../config/llm-config.ts';
import { parseModelSpec, type ResolveLanguageModelOptions, resolveLanguageModel } from './language-models.ts';

/** A model and its `provider:model` name. */
export interface NamedLanguageModel {
  readonly model: LanguageModelV3;
  readonly name: string;
}

/** The model of each sub-task; undefined when neither the task nor the product has a model. */
export type TaskModels = Readonly<Record<LlmTask, NamedLanguageModel | undefined>>;

/** The setting each task's model comes from, for error messages. */
const SETTINGS: Record<LlmTask, string> = {
  condense: 'GROUNDWORK_LLM_CONDENSE',
  summarise: 'GROUNDWORK_LLM_SUMMARISE',
  moderation: 'GROUNDWORK_LLM_MODERATION',
  judge: 'GROUNDWORK_LLM_JUDGE',
};

/**
 * Resolves `llm.tasks`. `answering` is the product's model (undefined in extractive mode); `given`
 * are models handed in by the caller (tests), which win over the configuration.
 *
 * @example
 * const tasks = resolveTaskModels(config.llm, languageModel, {}); // tasks.condense.name === 'openai:gpt-4o-mini'
 */
export function resolveTaskModels(
  config: LlmConfig,
  answering: NamedLanguageModel | undefined,
  given: Partial<Record<LlmTask, NamedLanguageModel>> = {},
  options: ResolveLanguageModelOptions = {},
): TaskModels {
  const entries = LLM_TASKS.map((task) => {
    const handed = given[task];
    if (handed) return [task, handed] as const;
    const spec = config.tasks[task]?.trim();
    if (!spec || spec === 'none') return [task, answering] as const;
    const { provider } = parseModelSpec(spec, SETTINGS[task]);
    const primary = config.model.trim();
    const sameProvider = primary !== 'none' && primary.startsWith(`${provider}:`);
    // The answering model and its fallbacks back the task model up, when there is one.
    const backups =
      answering && primary !== 'none' && primary !== 'auto' ? [primary, ...config.fallbacks] : [];
    const resolved = resolveLanguageModel(
      {
        ...config,
        model: spec,
        baseUrl: sameProvider ? config.baseUrl : undefined,
        apiKey: sameProvider ? config.apiKey : undefined,
        fallbacks: backups,
      },
      { ...options, setting: SETTINGS[task] },
    );
    return [task, resolved ? { model: resolved.model, name: resolved.name } : answering] as const;
  });
  return Object.fromEntries(entries) as TaskModels;
}
