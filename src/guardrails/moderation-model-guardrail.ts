/**
 * @module guardrails/moderation-model-guardrail
 * The moderation guardrail backed by a `ModerationModel` (an OpenAI-style moderation API, Llama
 * Guard). Each call is a `guardrail.moderation_model` span with the `guardrail.*` attributes and the
 * model; its decision is counted like every guardrail decision. When the model cannot answer, the
 * guardrail fails closed (the pipeline blocks with `guardrail_error`) unless `failClosed` is false:
 * then the decision is an `allow` with code `guardrail_moderation_unavailable` and the rules decide alone.
 */
import { withSpan } from '../observability/tracer.ts';
import type { Guardrail, GuardrailDecision, GuardrailStage } from '../spec/guardrails.ts';
import type { GuardrailActionSource, ModerationModel } from '../spec/moderation.ts';
import { decideModeration, MODERATION_CODES, STATIC_ACTIONS } from './moderation-guardrail.ts';

/** Options of the model-backed guardrail. */
export interface ModerationModelGuardrailOptions {
  readonly actions?: GuardrailActionSource;
  /** Block when the model fails (default true). */
  readonly failClosed?: boolean;
  /** Where it runs (default input and output). */
  readonly stages?: readonly ('input' | 'output')[];
}

/** Code of an allow given because the moderation model could not answer and `failClosed` is false. */
export const MODERATION_UNAVAILABLE_CODE = 'guardrail_moderation_unavailable';

/**
 * Builds the guardrail.
 *
 * @example
 * pipeline.push(createModerationModelGuardrail(resolveModerationModel(config)!, { actions: settings }));
 */
export function createModerationModelGuardrail(
  model: ModerationModel,
  options: ModerationModelGuardrailOptions = {},
): Guardrail {
  const source = options.actions ?? STATIC_ACTIONS;
  const failClosed = options.failClosed ?? true;
  const stages: GuardrailStage[] = [...(options.stages ?? ['input', 'output'])];
  return {
    name: 'moderation-model',
    stages,
    check(text, context) {
      const attributes = {
        'guardrail.name': 'moderation-model',
        'guardrail.stage': context.stage,
        'gen_ai.operation.name': 'moderation',
        'gen_ai.provider.name': model.protocol,
        'gen_ai.request.model': model.name,
      };
      return withSpan('guardrail.moderation_model', attributes, async (span): Promise<GuardrailDecision> => {
        let verdict: Awaited<ReturnType<ModerationModel['doClassify']>>;
        try {
          verdict = await model.doClassify({
            text,
            role: context.stage === 'output' ? 'output' : 'input',
            userText: context.userText,
            signal: context.signal,
          });
        } catch (error) {
          if (failClosed || context.signal?.aborted) throw error;
          span.setAttribute('guardrail.action', 'allow');
          return {
            action: 'allow',
            code: MODERATION_UNAVAILABLE_CODE,
            reason: `The moderation model could not answer (${(error as Error).message}); the rules decided alone.`,
          };
        }
        const categories = verdict.flagged.map((flag) => flag.category);
        span.setAttributes({
          'guardrail.labels': verdict.labels.join(','),
          'guardrail.categories': categories.join(','),
        });
        if (categories.length === 0 && verdict.labels.length > 0) {
          // Flagged in a category we do not moderate (advice, IP, elections): recorded, not acted on.
          return {
            action: 'log',
            code: MODERATION_CODES.logged,
            categories: [...verdict.labels],
            reason: `The moderation model flagged ${verdict.labels.join(', ')}, which no setting acts on.`,
          };
        }
        const actions = categories.length > 0 ? await source.actionsFor(context.tenantId) : undefined;
        const decision = actions
          ? decideModeration(categories, actions, context)
          : { action: 'allow' as const, code: 'ok', reason: 'The moderation model found it safe.' };
        const top = Math.max(0, ...verdict.flagged.map((flag) => flag.score ?? 0));
        span.setAttribute('guardrail.action', decision.action);
        return top > 0 ? { ...decision, score: top } : decision;
      });
    },
  };
}
