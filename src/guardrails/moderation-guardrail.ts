/**
 * @module guardrails/moderation-guardrail
 * The rule-based moderation guardrail (input and output) and the one decision function every
 * moderation classifier shares: the flagged categories, the tenant's action for each, and the
 * strictest wins (block > escalate > log). Sexual content involving minors is always blocked.
 */

import { DEFAULT_MODERATION_ACTIONS } from '../config/guardrails-config.ts';
import type { Guardrail, GuardrailContext, GuardrailDecision } from '../spec/guardrails.ts';
import type {
  GuardrailActionSource,
  GuardrailActions,
  ModerationAction,
  ModerationCategory,
} from '../spec/moderation.ts';
import { moderate } from './moderation-rules.ts';

const CRISIS_LINE =
  'It sounds like you may be going through something very hard. You do not have to face it alone: please contact local emergency services or a crisis line (in the US, call or text 988).';

/** What the user is told when a message in a conversation is stopped for self-harm: a person, not a refusal. */
export const SELF_HARM_MESSAGE = `${CRISIS_LINE} A member of our team has been notified.`;

/** The same on a stateless request, where there is no conversation for a person to join. */
export const SELF_HARM_MESSAGE_STATELESS = CRISIS_LINE;

/** Codes of moderation decisions. */
export const MODERATION_CODES = {
  blocked: 'guardrail_moderation',
  selfHarm: 'guardrail_self_harm',
  escalated: 'guardrail_moderation_escalated',
  logged: 'guardrail_moderation_logged',
} as const;

/** Actions when no tenant source is given: the configured defaults of a fresh install. */
export const STATIC_ACTIONS: GuardrailActionSource = {
  actionsFor: async () => ({ moderation: DEFAULT_MODERATION_ACTIONS, stereotyping: 'block' }),
};

const RANK: Record<ModerationAction, number> = { log: 0, escalate: 1, block: 2 };

/**
 * The decision for `flagged` under `actions`. Escalations say a person was told only when there is a
 * conversation to hand over; on a stateless request they are refusals recorded for review.
 */
export function decideModeration(
  flagged: readonly ModerationCategory[],
  actions: GuardrailActions,
  context: Pick<GuardrailContext, 'stage' | 'conversationId'>,
): GuardrailDecision {
  const { stage } = context;
  if (flagged.length === 0) return { action: 'allow', code: 'ok', reason: 'No moderated category matched.' };
  const actionOf = (category: ModerationCategory): ModerationAction =>
    category === 'sexual-minors' ? 'block' : actions.moderation[category];
  const strictest = flagged.map(actionOf).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
  const list = flagged.join(', ');
  const categories = [...flagged];
  const what = stage === 'output' ? 'The answer' : 'This request';
  if (strictest === 'block') {
    return {
      action: 'block',
      code: MODERATION_CODES.blocked,
      categories,
      reason: `${what} falls under a category the assistant does not help with (${list}).`,
    };
  }
  if (strictest === 'escalate') {
    const selfHarm = flagged.includes('self-harm') && actionOf('self-harm') === 'escalate';
    return {
      action: 'escalate',
      code: selfHarm ? MODERATION_CODES.selfHarm : MODERATION_CODES.escalated,
      categories,
      reason: selfHarm
        ? context.conversationId
          ? SELF_HARM_MESSAGE
          : SELF_HARM_MESSAGE_STATELESS
        : `${what} falls under a category a member of our team reviews (${list}); ${context.conversationId ? 'a person will reply in this conversation' : 'the assistant will not answer it'}.`,
    };
  }
  return {
    action: 'log',
    code: MODERATION_CODES.logged,
    categories,
    reason: `Matched ${list}; allowed and recorded, as this tenant's settings ask.`,
  };
}

/**
 * Moderates questions and answers with the rules, acting per category as the tenant's settings say
 * (the defaults when no source is given).
 *
 * @example
 * const moderation = createModerationGuardrail({ actions: settingsService });
 */
export function createModerationGuardrail(options: { actions?: GuardrailActionSource } = {}): Guardrail {
  const source = options.actions ?? STATIC_ACTIONS;
  return {
    name: 'moderation',
    stages: ['input', 'output'],
    async check(text, context) {
      const flagged = moderate(text);
      // Settings are read only for flagged texts: most texts need none.
      if (flagged.length === 0)
        return { action: 'allow', code: 'ok', reason: 'No moderated category matched.' };
      return decideModeration(flagged, await source.actionsFor(context.tenantId), context);
    },
  };
}
