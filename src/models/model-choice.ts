/**
 * @module models/model-choice
 * A model setting (`GROUNDWORK_EMBEDDER`, `GROUNDWORK_LLM`) parsed once: `auto` resolved to what this
 * machine can run, and a `local:<name>` setting tied to its catalog description. The composition root
 * and the CLI read the choice instead of taking the `local:` prefix apart themselves.
 */
import { resolveAuto } from './local/auto.ts';
import { findLocalModel, type LocalModelSpec } from './local/catalog.ts';

const LOCAL_PREFIX = 'local:';

/** A resolved model setting. */
export interface ModelChoice {
  /** The concrete setting: `none`, `local:<name>`, `provider:model`, or `given` (a model passed in). */
  readonly spec: string;
  /** The catalog entry when the setting names a local model the catalog knows. */
  readonly local?: LocalModelSpec;
  /** One line for the operator when `auto` fell back to `none`. */
  readonly note?: string;
}

/** The name in a `local:<name>` setting, or undefined for any other setting. */
export function localModelName(setting: string): string | undefined {
  return setting.startsWith(LOCAL_PREFIX) ? setting.slice(LOCAL_PREFIX.length) : undefined;
}

/** Resolves `auto` and parses the setting of an embedder or a language model. */
export function chooseModel(setting: string, kind: 'embedding' | 'chat', modelsDir: string): ModelChoice {
  const { spec, note } = resolveAuto(setting, kind, modelsDir);
  const name = localModelName(spec);
  const local = name === undefined ? undefined : findLocalModel(name);
  return { spec, ...(local ? { local } : {}), ...(note ? { note } : {}) };
}

/** The choice for a language model handed in by the caller (tests, embedding applications). */
export const GIVEN_MODEL: ModelChoice = { spec: 'given' };

/** Whether the choice runs in this process (a model that may fail to load and needs warming up). */
export function isLocal(choice: ModelChoice): boolean {
  return localModelName(choice.spec) !== undefined;
}

/** The answerer's token budgets. */
export interface AnswerBudgets {
  readonly contextTokens: number;
  readonly maxOutputTokens: number;
}

/**
 * The configured budgets, capped by what the chosen local chat model is described to handle well (a
 * CPU-bound model slows down with more passages and rambles with more output); hosted models and
 * `none` keep the configured budgets.
 */
export function answerBudgetsFor(choice: ModelChoice, configured: AnswerBudgets): AnswerBudgets {
  const chat = choice.local?.chat;
  if (!chat) return configured;
  return {
    contextTokens: Math.min(configured.contextTokens, chat.answerContextTokens),
    maxOutputTokens: Math.min(configured.maxOutputTokens, chat.answerOutputTokens),
  };
}
