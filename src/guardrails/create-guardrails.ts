/**
 * @module guardrails/create-guardrails
 * Builds the guardrail pipeline from the `guardrails` config section, in the order they run: at input,
 * injection before moderation (an injection attempt is answered as such), the rules before a
 * moderation model (a plain case costs no model call); at output, moderation (a refusal makes the
 * rest moot) and stereotyping, then grounding (so the personal-data check sees only sentences that stay), then
 * personal data. Moderation acts per category as each tenant's settings say (`actions`).
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { GuardrailsConfig } from '../config/config.ts';
import type { Guardrail } from '../spec/guardrails.ts';
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import type { GuardrailActionSource, ModerationModel } from '../spec/moderation.ts';
import { createIndirectInjectionGuardrail, createInjectionGuardrail } from './input-guardrails.ts';
import { createModelModerationGuardrail } from './model-moderation.ts';
import { createModerationGuardrail } from './moderation-guardrail.ts';
import { createModerationModelGuardrail } from './moderation-model-guardrail.ts';
import { createGroundingGuardrail, createPiiLeakGuardrail } from './output-guardrails.ts';
import { GuardrailPipeline, type PipelineOptions } from './pipeline.ts';
import { createStereotypingGuardrail } from './stereotyping.ts';

/** What the guardrails are built from besides config. */
export interface GuardrailDependencies {
  readonly analyzer: LexicalAnalyzer;
  /** The language model, for the model-based moderator when `moderation.model` is on. */
  readonly model?: LanguageModelV3;
  /** The moderation model or API of `moderation.classifier` (resolved by the app). */
  readonly moderationModel?: ModerationModel;
  /** Each tenant's moderation and stereotyping actions; the configured defaults when absent. */
  readonly actions?: GuardrailActionSource;
}

/**
 * The pipeline the config asks for; empty (every stage passes) when `enabled` is false.
 *
 * @example
 * const pipeline = createGuardrailPipeline(config.guardrails, { analyzer });
 */
export function createGuardrailPipeline(
  config: GuardrailsConfig,
  dependencies: GuardrailDependencies,
  options: PipelineOptions = {},
): GuardrailPipeline {
  const guardrails: Guardrail[] = [];
  if (config.enabled) {
    if (config.injection.enabled) guardrails.push(createInjectionGuardrail(config.injection.threshold));
    const { actions } = dependencies;
    if (config.moderation.enabled) guardrails.push(createModerationGuardrail({ actions }));
    const classifier = config.moderation.classifier;
    if (config.moderation.enabled && classifier && dependencies.moderationModel) {
      guardrails.push(
        createModerationModelGuardrail(dependencies.moderationModel, {
          actions,
          failClosed: classifier.failClosed,
          stages: classifier.stages,
        }),
      );
    }
    if (config.moderation.enabled && config.moderation.model && dependencies.model) {
      guardrails.push(createModelModerationGuardrail(dependencies.model, { actions }));
    }
    // Before grounding, so a generalisation is judged whether or not its sentence is supported.
    if (config.stereotyping.enabled) guardrails.push(createStereotypingGuardrail({ actions }));
    if (config.passages.enabled) guardrails.push(createIndirectInjectionGuardrail(config.passages));
    if (config.grounding.enabled) {
      guardrails.push(createGroundingGuardrail({ analyzer: dependencies.analyzer, ...config.grounding }));
    }
    if (config.piiLeak.enabled) guardrails.push(createPiiLeakGuardrail());
  }
  return new GuardrailPipeline(guardrails, options);
}
